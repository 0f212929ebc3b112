import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Namespace } from './security-principals.js';

export const WEBHOOK_KEY = (ns: string) => `hook-${ns}-key-0123456789`;
export const HMAC_SECRET = (ns: string) => `hmac-${ns}-secret-0123456789`;
export const SECRET_DEFAULT = (ns: string) => `default-${ns}-pw-0123456789`;

export const logFlow = (ns: string, id: string, message = `hello from ${ns}`) =>
  `id: ${id}\nnamespace: ${ns}\ntasks:\n  - id: hello\n    type: Log\n    message: "${message}"\n`;

/** The fixture flows of one namespace: f (a FILE input), p (pauses), dis, del, and t with one trigger of each kind. */
export function fixtureFlows(ns: Namespace): string[] {
  return [
    `id: f\nnamespace: ${ns}\ninputs:\n  - id: doc\n    type: FILE\n    required: false\ntasks:\n  - id: hello\n    type: Log\n    message: "hello from ${ns}"\n`,
    `id: p\nnamespace: ${ns}\ntasks:\n  - id: wait\n    type: Pause\n`,
    logFlow(ns, 'dis'),
    logFlow(ns, 'del'),
    `id: t
namespace: ${ns}
inputs:
  - id: password
    type: SECRET
    defaults: ${SECRET_DEFAULT(ns)}
tasks:
  - id: a
    type: Log
    message: t
triggers:
  - id: sched
    type: Schedule
    cron: "0 0 1 1 *"
    recoverMissedSchedules: NONE
  - id: hook
    type: Webhook
    key: ${WEBHOOK_KEY(ns)}
  - id: signed
    type: io.kestra.plugin.core.trigger.Webhook
    key: "signed-${WEBHOOK_KEY(ns)}"
    secret: '${HMAC_SECRET(ns)}'
  - id: kafka
    type: io.kestra.plugin.kafka.Trigger
    topic: ${ns}.orders
  - id: upstream
    type: Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition
        namespace: ${ns}
        flowId: never
`,
  ];
}

/** Every REST route the gateway's controllers declare, as `METHOD /path` (read from the source, so a new route is seen). */
export function declaredRestRoutes(): string[] {
  const root = fileURLToPath(new URL('../../../apps/gateway/src', import.meta.url));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.controller.ts')) files.push(path);
    }
  };
  walk(root);
  const routes: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const prefix = /@Controller\(\s*(?:'([^']*)')?\s*\)/.exec(text)?.[1] ?? '';
    for (const m of text.matchAll(/@(Get|Post|Put|Patch|Delete|All)\(\s*(?:'([^']*)')?\s*\)/g)) {
      const path = [prefix, m[2] ?? ''].filter(Boolean).join('/').replace(/\\/g, '');
      routes.push(`${m[1]!.toUpperCase()} /${path}`);
    }
  }
  return routes.sort();
}
