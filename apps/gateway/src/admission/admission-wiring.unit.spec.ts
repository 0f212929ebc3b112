import { describe, expect, it } from 'vitest';
import { loadConfig, type Logger } from '@chronicle/runtime';
import type { ReadModelQueries } from '@chronicle/read-model';
import { DISTRIBUTED_MAX_LOOP_UTILISATION, GatewayModule } from '../gateway.module.js';
import { EXECUTION_ADMISSION } from '../gateway.tokens.js';
import { TokenRegistry } from '../auth/token-registry.js';
import type { ExecutionAdmission } from './execution-admission.js';
import type { LiveUpdates } from '../live/live-updates.js';

/** The gateway's admission as GatewayModule builds it, for a process given `defaultMaxLoopUtilisation` and `env`. */
function admissionOf(defaultMaxLoopUtilisation: number | undefined, env: Record<string, string> = {}): { maxLoopUtilisation: number } {
  const module = GatewayModule.register({ readModel: {} as ReadModelQueries, tokens: new TokenRegistry(''), logger: {} as Logger, instanceId: 'wiring', defaultMaxLoopUtilisation });
  const provider = module.providers!.find((p) => typeof p === 'object' && 'provide' in p && p.provide === EXECUTION_ADMISSION) as { useFactory: (live: LiveUpdates, config: unknown) => ExecutionAdmission };
  const admission = provider.useFactory({} as LiveUpdates, loadConfig(env));
  return (admission as unknown as { limit: { maxLoopUtilisation: number } }).limit;
}

describe('the gateway\'s admission wiring', () => {
  it('sheds on its loop\'s utilisation in the distributed gateway by default, not in the standalone, and CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION overrides either', () => {
    expect(admissionOf(DISTRIBUTED_MAX_LOOP_UTILISATION).maxLoopUtilisation).toBe(0.9);
    expect(admissionOf(undefined).maxLoopUtilisation).toBe(0);
    expect(admissionOf(DISTRIBUTED_MAX_LOOP_UTILISATION, { CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION: '0' }).maxLoopUtilisation).toBe(0);
    expect(admissionOf(undefined, { CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION: '0.95' }).maxLoopUtilisation).toBe(0.95);
  });
});
