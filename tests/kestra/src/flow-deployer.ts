import type { ChronicleApi } from './chronicle-api.js';

/**
 * Deploys each distinct flow source once per target, one deploy at a time: cases run
 * concurrently and several share a flow (every Subflow case needs `switch`), and two
 * concurrent deploys of one flow would race on its stream.
 */
export class FlowDeployer {
  private readonly deployed = new Map<string, Promise<void>>();
  private queue: Promise<unknown> = Promise.resolve();

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
}
