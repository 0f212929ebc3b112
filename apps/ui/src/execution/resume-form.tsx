import { Button, Group, JsonInput, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { InputDefinition } from '../api/types.js';
import { ErrorPanel } from '../components/error-panel.js';
import { initialValues, validateInputs, type RawValues } from '../flows/input-values.js';
import { InputsForm } from '../flows/inputs-form.js';

/** Approve or reject a paused execution, with the Pause task's `onResume` inputs (a form) or free JSON. */
export function ResumeForm({ definitions, onSubmit }: { definitions: readonly InputDefinition[] | undefined; onSubmit(approve: boolean, inputs: Record<string, unknown> | undefined): Promise<string | undefined> }) {
  const [decision, setDecision] = useState('approve');
  const [values, setValues] = useState<RawValues>(() => initialValues(definitions ?? []));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [json, setJson] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let inputs: Record<string, unknown> | undefined;
    if (definitions?.length) {
      const checked = validateInputs(definitions, values);
      setErrors(checked.errors);
      if (Object.keys(checked.errors).length) return;
      inputs = checked.values;
    } else if (json.trim()) {
      try {
        inputs = JSON.parse(json) as Record<string, unknown>;
      } catch {
        return setError('The resume inputs are not valid JSON');
      }
    }
    setBusy(true);
    setError(await onSubmit(decision === 'approve', inputs));
    setBusy(false);
  };

  return (
    <Stack>
      <SegmentedControl
        value={decision}
        onChange={setDecision}
        aria-label="Decision"
        data={[
          { value: 'approve', label: 'Approve' },
          { value: 'reject', label: 'Reject' },
        ]}
      />
      {decision === 'reject' && <Text size="sm">Rejecting fails the paused task.</Text>}
      {definitions?.length ? (
        <InputsForm inputs={definitions} values={values} errors={errors} onChange={(id, v) => setValues((c) => ({ ...c, [id]: v }))} />
      ) : (
        <JsonInput label="Resume inputs (optional JSON object)" value={json} onChange={setJson} autosize minRows={3} formatOnBlur />
      )}
      <ErrorPanel title="Not resumed" message={error} />
      <Group justify="flex-end">
        <Button onClick={submit} loading={busy} color={decision === 'approve' ? 'green' : 'red'}>
          {decision === 'approve' ? 'Approve and resume' : 'Reject'}
        </Button>
      </Group>
    </Stack>
  );
}
