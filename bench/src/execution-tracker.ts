import { GatewayClient } from '@chronicle/testing';

export interface Completion {
  readonly state: string;
  /** When this process saw the terminal state over graphql-ws (performance.now()). */
  readonly seenAt: number;
  /** The execution's own timestamps: CREATED → terminal (ms). */
  readonly ownMs: number;
}

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

/**
 * Follows every execution of a namespace over one graphql-ws subscription
 * (`executionsChanged`): resolves waiters when an execution ends, and records how long each
 * update took from the decision (its state date) to this client.
 */
export class ExecutionTracker {
  private readonly done = new Map<string, Completion>();
  private readonly waiters = new Map<string, (c: Completion) => void>();
  private readonly byName = new Map<string, (c: Completion) => void>();
  readonly updateLagsMs: number[] = [];
  private recordLags = false;
  private sub?: ReturnType<GatewayClient['subscribe']>;

  constructor(private readonly client: GatewayClient, private readonly namespace: string) {}

  async start(): Promise<void> {
    this.sub = this.client.subscribe<{ executionsChanged: { id: string; state: string; stateHistory: { state: string; date: string }[] } }>(
      `subscription($ns:String){ executionsChanged(namespace:$ns){ id state stateHistory { state date } inputs } }`,
      { ns: this.namespace },
      (data) => this.onUpdate(data.executionsChanged, Date.now(), performance.now()),
    );
    await new Promise((r) => setTimeout(r, 500));
  }

  measureUpdateLags(on: boolean): void {
    this.recordLags = on;
  }

  /** Resolves when an execution whose `name` input equals `name` ends (for starts that return no id). */
  waitForTrigger(name: string): Promise<Completion> {
    return new Promise((resolve) => this.byName.set(name, resolve));
  }

  wait(id: string): Promise<Completion> {
    const done = this.done.get(id);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  stop(): void {
    this.sub?.dispose();
  }

  private onUpdate(update: { id: string; state: string; stateHistory: { state: string; date: string }[]; inputs?: { name?: string } }, wallNow: number, t: number): void {
    const last = update.stateHistory.at(-1);
    if (this.recordLags && last) this.updateLagsMs.push(wallNow - Date.parse(last.date));
    if (!TERMINAL.has(update.state) || this.done.has(update.id)) return;
    const created = update.stateHistory[0]?.date;
    const completion: Completion = { state: update.state, seenAt: t, ownMs: created && last ? Date.parse(last.date) - Date.parse(created) : NaN };
    this.done.set(update.id, completion);
    this.waiters.get(update.id)?.(completion);
    this.waiters.delete(update.id);
    const name = update.inputs?.name;
    if (name) {
      this.byName.get(name)?.(completion);
      this.byName.delete(name);
    }
  }
}
