import { Button, Group, MultiSelect, Select, TagsInput, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useEffect, useState } from 'react';
import { STATES } from '../api/types.js';

export interface ExecutionFilter {
  namespace: string;
  flowId: string;
  states: string[];
  labels: string[];
  from: string | null;
  to: string | null;
  /** PRODUCTIVE (the API's default), DEVELOPMENT (test runs) or ALL. */
  mode: string;
}

export const MODES = [
  { value: 'PRODUCTIVE', label: 'Productive' },
  { value: 'DEVELOPMENT', label: 'Development' },
  { value: 'ALL', label: 'All' },
];

export const EMPTY_FILTER: ExecutionFilter = { namespace: '', flowId: '', states: [], labels: [], from: null, to: null, mode: 'PRODUCTIVE' };

export function filterFromSearch(params: URLSearchParams): ExecutionFilter {
  return {
    namespace: params.get('namespace') ?? '',
    flowId: params.get('flowId') ?? '',
    states: params.getAll('state'),
    labels: params.getAll('label'),
    from: params.get('from'),
    to: params.get('to'),
    mode: params.get('mode') ?? 'PRODUCTIVE',
  };
}

export function filterToSearch(f: ExecutionFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.namespace) p.set('namespace', f.namespace);
  if (f.flowId) p.set('flowId', f.flowId);
  f.states.forEach((s) => p.append('state', s));
  f.labels.forEach((l) => p.append('label', l));
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.mode !== 'PRODUCTIVE') p.set('mode', f.mode);
  return p;
}

/** Namespace, flow, states, labels and a time range; applied on submit (Enter works). */
export function ExecutionFilters({ value, onApply }: { value: ExecutionFilter; onApply(f: ExecutionFilter): void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const set = <K extends keyof ExecutionFilter>(key: K, v: ExecutionFilter[K]) => setDraft((d) => ({ ...d, [key]: v }));
  return (
    <form
      aria-label="Filter executions"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput label="Namespace" value={draft.namespace} onChange={(e) => set('namespace', e.currentTarget.value)} w={170} />
        <TextInput label="Flow" value={draft.flowId} onChange={(e) => set('flowId', e.currentTarget.value)} w={150} />
        <MultiSelect label="State" data={[...STATES]} value={draft.states} onChange={(v) => set('states', v)} w={200} clearable searchable />
        <TagsInput label="Labels" placeholder="key=value" value={draft.labels} onChange={(v) => set('labels', v)} w={180} />
        <Select label="Mode" data={MODES} value={draft.mode} onChange={(v) => set('mode', v ?? 'PRODUCTIVE')} allowDeselect={false} w={140} />
        <DateTimePicker label="Started after" value={draft.from} onChange={(v) => set('from', v)} clearable w={180} />
        <DateTimePicker label="Started before" value={draft.to} onChange={(v) => set('to', v)} clearable w={180} />
        <Button type="submit">Apply</Button>
        <Button variant="default" onClick={() => onApply(EMPTY_FILTER)}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
