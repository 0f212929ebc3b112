import { Alert, Button, Group, MultiSelect, Paper, Select, Stack, Switch, TagsInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../api/graphql-client.js';
import { CREATE_EXECUTION, FLOW, FLOW_REVISIONS } from '../api/operations.js';
import type { Flow } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { InputsForm } from '../flows/inputs-form.js';
import { initialValues, parseLabels, validateInputs, type RawValues } from '../flows/input-values.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { flowTaskIds } from '../execution/task-run-tree.js';

/** The run form generated from the chosen revision's typed inputs; Run goes to the live execution. */
export function RunFlowPage() {
  const { namespace = '', id = '' } = useParams();
  const { client, access } = useSession();
  const navigate = useNavigate();
  const [revision, setRevision] = useState<string | null>(null);
  const revisions = useApiQuery<{ flowRevisions: Flow[] }>(FLOW_REVISIONS, { namespace, id });
  const flowQuery = useApiQuery<{ flow: Flow | null }>(FLOW, { namespace, id, revision: revision ? Number(revision) : undefined });
  const flow = flowQuery.data?.flow;
  const inputs = flow?.inputs ?? [];
  const [values, setValues] = useState<RawValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [labels, setLabels] = useState<string[]>([]);
  const [labelError, setLabelError] = useState<string>();
  const [submitError, setSubmitError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [breakpoints, setBreakpoints] = useState<string[]>([]);
  const [stepMode, setStepMode] = useState(false);

  useEffect(() => {
    if (flow) setValues(initialValues(flow.inputs ?? []));
  }, [flow]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateInputs(inputs, values);
    const parsedLabels = parseLabels(labels);
    setErrors(checked.errors);
    setLabelError(parsedLabels.error);
    if (Object.keys(checked.errors).length || parsedLabels.error) return;
    setBusy(true);
    setSubmitError(undefined);
    try {
      const { createExecution } = await client.request<{ createExecution: { id: string } }>(CREATE_EXECUTION, {
        namespace, flowId: id, inputs: checked.values, labels: parsedLabels.labels, revision: revision ? Number(revision) : undefined,
        ...(breakpoints.length > 0 ? { breakpoints } : {}), ...(stepMode ? { stepMode } : {}),
      });
      navigate(`/executions/${createExecution.id}`);
    } catch (error) {
      setSubmitError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  if (!access.canExecute) return <Alert color="gray">This token may not run flows.</Alert>;
  if (flowQuery.error) return <ErrorPanel title="The flow could not be loaded" message={flowQuery.error} />;
  const revisionOptions = (revisions.data?.flowRevisions ?? []).map((r) => ({ value: String(r.revision), label: `revision ${r.revision}` })).reverse();

  return (
    <Stack maw={640}>
      <Title order={2}>
        Run {namespace}.{id}
      </Title>
      <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label="Run form">
        <Stack>
          <Select label="Revision" description="The latest unless chosen" data={revisionOptions} value={revision} onChange={setRevision} placeholder={flow ? `latest (${flow.revision})` : 'latest'} clearable />
          <InputsForm inputs={inputs} values={values} errors={errors} onChange={(key, v) => setValues((current) => ({ ...current, [key]: v }))} />
          <TagsInput label="Labels" description="key=value, Enter after each" value={labels} onChange={setLabels} error={labelError} />
          <MultiSelect label="Breakpoints" description="Pause before these tasks, showing what they would run with" data={flowTaskIds(flow?.tasks)} value={breakpoints} onChange={setBreakpoints} searchable clearable />
          <Switch label="Step mode: pause before every task" checked={stepMode} onChange={(e) => setStepMode(e.currentTarget.checked)} />
          <ErrorPanel title="The execution was not started" message={submitError} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={!flow}>
              Run
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
