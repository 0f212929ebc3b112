export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');

export interface WebhookOptions {
  /** How long `?wait=true` waits for the end before answering 202 with the execution id. */
  readonly waitTimeoutMs: number;
  /** Requests per second per webhook key (per gateway replica). */
  readonly ratePerSecond: number;
  /** How far a timestamped signature's x-chronicle-timestamp may be from now. */
  readonly signatureToleranceSeconds: number;
}
