import { describe, expect, it } from 'vitest';
import { CORE_TASK_CATALOG, type FlowDefinition, parseFlow } from '@chronicle/domain';
import { latestFlows, wrapperChain, WrapperError, type FlowLookup } from './wrapper-chain.js';

const flow = (name: string, wrappers: string[] = []): FlowDefinition => {
  const [namespace, id] = [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.') + 1)];
  const declared = wrappers.length === 0 ? '' : `wrappers:\n${wrappers.map((w) => `  - { namespace: ${w.slice(0, w.lastIndexOf('.'))}, flowId: ${w.slice(w.lastIndexOf('.') + 1)} }`).join('\n')}\n`;
  return parseFlow(`id: ${id}\nnamespace: ${namespace}\n${declared}tasks:\n  - { id: a, type: Log, message: hi }\n`, CORE_TASK_CATALOG, 1);
};

/** Flows by name, as the repository would answer them (no I/O: the chain only needs a lookup). */
const flows = (...defs: FlowDefinition[]): FlowLookup => async (namespace, flowId) => defs.find((d) => d.namespace === namespace && d.id === flowId);
const names = (chain: { namespace: string; flowId: string }[]) => chain.map((w) => `${w.namespace}.${w.flowId}`);
const refusal = async (promise: Promise<unknown>): Promise<WrapperError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WrapperError) return error;
    throw error;
  }
  throw new Error('expected a WrapperError');
};

describe('wrapperChain: the layers around a start, outermost first', () => {
  it('runs the declared wrappers in order, each wrapper\'s own wrappers outside it, the run\'s added ones outermost', async () => {
    const invoice = flow('sales.invoice', ['ops.audit', 'ops.timebox']);
    const lookUp = flows(invoice, flow('ops.audit', ['ops.notify']), flow('ops.timebox'), flow('ops.notify'), flow('ops.trace'));
    expect(names(await wrapperChain(lookUp, invoice, {}))).toEqual(['ops.notify', 'ops.audit', 'ops.timebox']);
    const added = await wrapperChain(lookUp, invoice, { wrappers: [{ namespace: 'ops', flowId: 'trace' }] });
    expect(names(added)).toEqual(['ops.trace', 'ops.notify', 'ops.audit', 'ops.timebox']);
    // unwrapped: the flow's own are off, those the run adds still apply.
    expect(names(await wrapperChain(lookUp, invoice, { unwrapped: true, wrappers: [{ namespace: 'ops', flowId: 'trace' }] }))).toEqual(['ops.trace']);
  });

  it('refuses a cycle (a wraps b wraps a), naming the field that closes it', async () => {
    const a = flow('n.a', ['n.b']);
    const error = await refusal(wrapperChain(flows(a, flow('n.b', ['n.a'])), a, {}));
    expect(error.code).toBe('WRAPPERS_INVALID');
    expect(error.message).toBe('n.b.wrappers[0]: wrapper cycle: n.a → n.b → n.a (a flow cannot wrap, directly or not, a flow that wraps it)');
    // A run that adds the flow itself as its wrapper.
    const self = await refusal(wrapperChain(flows(flow('n.c')), flow('n.c'), { wrappers: [{ namespace: 'n', flowId: 'c' }] }));
    expect(self.issues[0]).toEqual({ path: ['wrappers', 0], message: expect.stringMatching(/wrapper cycle: n\.c → n\.c/) });
  });

  it('names an unknown wrapper flow at start; at deploy it is skipped (it may be deployed later)', async () => {
    const a = flow('n.a', ['n.missing']);
    expect((await refusal(wrapperChain(flows(a), a, {}))).message).toBe('n.a.wrappers[0]: the wrapper flow n.missing does not exist; deploy it first');
    expect(await wrapperChain(flows(a), a, {}, 'skip', 'wrappers')).toEqual([]);
  });

  it('checks a flow being deployed against the flows deployed already', async () => {
    const deployed = flow('n.b', ['n.a']);
    const deploying = flow('n.a', ['n.b']);
    const lookUp = latestFlows({ head: async (ns: string, id: string) => (ns === 'n' && id === 'b' ? { latest: { definition: deployed }, status: { deleted: false } } : undefined) } as never, deploying);
    expect((await refusal(wrapperChain(lookUp, deploying, {}, 'skip', 'wrappers'))).message).toMatch(/^n\.b\.wrappers\[0\]: wrapper cycle: n\.a → n\.b → n\.a/);
  });
  it('never looks up a wrapper out of reach: the same refusal at start for a flow that exists and one that does not, skipped at deploy', async () => {
    const own = flow('teamA.job', ['teamB.outer']);
    const looked: string[] = [];
    const lookUp: FlowLookup = async (namespace, flowId) => (looked.push(`${namespace}.${flowId}`), flows(flow('teamB.outer', ['teamA.job']))(namespace, flowId));
    const reach = (ns: string) => ns === 'teamA';
    const existing = await refusal(wrapperChain(lookUp, own, {}, 'error', undefined, reach));
    const missing = await refusal(wrapperChain(lookUp, flow('teamA.job', ['teamB.nothing']), {}, 'error', undefined, reach));
    expect(existing.message).toMatch(/wrapper flow teamB\.outer is in namespace teamB, which a flow of teamA may not start/);
    expect(existing.message.replace('outer', 'X')).toBe(missing.message.replace('nothing', 'X'));
    // At deploy: skipped like an unknown flow, not expanded (its wrapper cycle back to teamA.job would tell it exists).
    expect(await wrapperChain(lookUp, own, {}, 'skip', 'wrappers', reach)).toEqual([]);
    expect(looked).toEqual([]);
  });
});
