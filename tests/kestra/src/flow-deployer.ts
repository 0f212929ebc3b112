import type { ChronicleApi } from './chronicle-api.js';

/**
 * Deploys each distinct flow source once per target, one deploy at a time: cases run
 * concurrently and several share a flow (every Subflow case needs `switch`), and two
 * concurrent deploys of one flow would race on its stream.
 */
export class FlowDeployer {
  private readonly deployed = new Map<string, Promise<void>>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Per flow (namespace and id): the turn of the last case that runs it, and the source it deployed. */
  private readonly turns = new Map<string, Promise<unknown>>();
  private readonly sourceOf = new Map<string, string>();

  constructor(private readonly api: ChronicleApi) {}

  deploy(source: string): Promise<void> {
    let done = this.deployed.get(source);
    if (!done) {
      done = this.queue.then(() => this.api.deployFlow(source)).then(() => undefined);
      this.queue = done.catch(() => undefined);
      this.deployed.set(source, done);
    }
    return done;
  }

  /**
   * Runs a case while no other case of the same flow runs: two of Kestra's test flows may share
   * an id with different sources (simpleFlow and simpleflowUpdate), and a start without a
   * revision takes the latest, so a case must not see another's deploy between its own deploy and
   * its start. When the flow's last deployed source differs, this case's source deploys again.
   */
  exclusive<T>(namespace: string, flowId: string, source: string, run: () => Promise<T>): Promise<T> {
    const key = `${namespace}\u0000${flowId}`;
    const turn = (this.turns.get(key) ?? Promise.resolve()).then(() => {
      if (this.sourceOf.get(key) !== source) {
        this.deployed.delete(source);
        this.sourceOf.set(key, source);
      }
      return run();
    });
    this.turns.set(key, turn.catch(() => undefined));
    return turn;
  }
}
