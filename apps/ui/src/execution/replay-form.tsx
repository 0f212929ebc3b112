import { Button, Group, Select, Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import { FLOW_REVISIONS } from '../api/operations.js';
import type { Execution, Flow } from '../api/types.js';
import { ErrorPanel } from '../components/error-panel.js';
import { initialValues, validateInputs, type RawValues } from '../flows/input-values.js';
import { InputsForm } from '../flows/inputs-form.js';
import { useApiQuery } from '../hooks/use-api-query.js';

export interface ReplayRequest {
  fromTaskId?: string;
  inputs: Record<string, unknown>;
  revision: number;
}

/** Replay: a new execution from a chosen task, with edited inputs and, if wanted, another revision. */
export function ReplayForm({ execution, taskIds, onSubmit }: { execution: Execution; taskIds: readonly string[]; onSubmit(request: ReplayRequest): Promise<string | undefined> }) {
  const revisions = useApiQuery<{ flowRevisions: Flow[] }>(FLOW_REVISIONS, { namespace: execution.namespace, id: execution.flowId });
  const [fromTask, setFromTask] = useState<string | null>(null);
  const [revision, setRevision] = useState(String(execution.flowRevision));
  const definitions = revisions.data?.flowRevisions.find((r) => String(r.revision) === revision)?.inputDefinitions ?? [];
  const [values, setValues] = useState<RawValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const definitionsKey = JSON.stringify(definitions);

  useEffect(() => setValues(initialValues(definitions, execution.inputs ?? {})), [definitionsKey, execution.inputs]);

  const submit = async () => {
    const checked = validateInputs(definitions, values);
    setErrors(checked.errors);
    if (Object.keys(checked.errors).length) return;
    setBusy(true);
    setError(await onSubmit({ fromTaskId: fromTask ?? undefined, inputs: checked.values, revision: Number(revision) }));
    setBusy(false);
  };

  return (
    <Stack>
      <Select label="Replay from task" description="Task runs before it keep their outputs; empty: from the start" data={[...taskIds]} value={fromTask} onChange={setFromTask} clearable searchable />
      <Select label="Flow revision" data={(revisions.data?.flowRevisions ?? []).map((r) => String(r.revision))} value={revision} onChange={(v) => v && setRevision(v)} allowDeselect={false} />
      <ErrorPanel title="Revisions could not be loaded" message={revisions.error} />
      <InputsForm inputs={definitions} values={values} errors={errors} onChange={(id, v) => setValues((c) => ({ ...c, [id]: v }))} />
      <ErrorPanel title="Not replayed" message={error} />
      <Group justify="flex-end">
        <Button onClick={submit} loading={busy}>
          Replay
        </Button>
      </Group>
    </Stack>
  );
}
