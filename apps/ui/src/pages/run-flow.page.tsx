import { Alert, Button, Fieldset, Group, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, TagsInput, TextInput, Title } from '@mantine/core';
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
import { EMPTY_RUN_OPTIONS, parseRunOptions, type RunOptionValues } from '../flows/run-options.js';

type Mode = 'PRODUCTIVE' | 'DEVELOPMENT';

/**
 * The run form generated from the chosen revision's typed inputs, with the per-run options
 * (name, priority, maximum runtime, deferred start, labels, breakpoints). "Run" starts a productive
 * execution, "Run in dev mode" a DEVELOPMENT one (no downstream flow triggers, its own concurrency
 * slots, left out of the default lists); both go to the live execution.
 */
export function RunFlowPage() {
  const { namespace = '', id = '' } = useParams();
  const { client, access } = useSession();
  const navigate = useNavigate();
  const [revision, setRevision] = useState<string | null>(null);
  const revisions = useApiQuery<{ flowRevisions: Flow[] }>(FLOW_REVISIONS, { namespace, id });
  const flowQuery = useApiQuery<{ flow: Flow | null }>(FLOW, { namespace, id, revision: revision ? Number(revision) : undefined });
  const flow = flowQuery.data?.flow;
  const inputs = flow?.inputDefinitions ?? [];
  const [values, setValues] = useState<RawValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [labels, setLabels] = useState<string[]>([]);
  const [labelError, setLabelError] = useState<string>();
  const [submitError, setSubmitError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [breakpoints, setBreakpoints] = useState<string[]>([]);
  const [stepMode, setStepMode] = useState(false);
  const [options, setOptions] = useState<RunOptionValues>(EMPTY_RUN_OPTIONS);
  const [optionErrors, setOptionErrors] = useState<Partial<Record<keyof RunOptionValues, string>>>({});
  const [mode, setMode] = useState<Mode>('PRODUCTIVE');
  const setOption = (key: keyof RunOptionValues, value: string) => {
    setOptions((current) => ({ ...current, [key]: value }));
    setOptionErrors(({ [key]: _fixed, ...others }) => others);
  };

  useEffect(() => {
    if (flow) setValues(initialValues(flow.inputDefinitions ?? []));
  }, [flow]);

  // The form's submit (Run, or Enter) starts a productive run; "Run in dev mode" a development one.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void start('PRODUCTIVE');
  };
  const start = async (runMode: Mode) => {
    const checked = validateInputs(inputs, values);
    const parsedLabels = parseLabels(labels);
    const parsedOptions = parseRunOptions(options);
    setErrors(checked.errors);
    setLabelError(parsedLabels.error);
    setOptionErrors(parsedOptions.errors);
    if (Object.keys(checked.errors).length || parsedLabels.error || Object.keys(parsedOptions.errors).length) return;
    setMode(runMode);
    setBusy(true);
    setSubmitError(undefined);
    try {
      const { createExecution } = await client.request<{ createExecution: { id: string } }>(CREATE_EXECUTION, {
        namespace, flowId: id, inputs: checked.values, labels: parsedLabels.labels, revision: revision ? Number(revision) : undefined,
        ...(breakpoints.length > 0 ? { breakpoints } : {}), ...(stepMode ? { stepMode } : {}),
        ...parsedOptions.options, ...(runMode === 'DEVELOPMENT' ? { mode: runMode } : {}),
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
          <Fieldset legend="Run options" aria-label="Run options">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Name" description="Shown in the list instead of the flow" value={options.name} onChange={(e) => setOption('name', e.currentTarget.value)} />
              <NumberInput label="Priority" description="Higher runs first; empty: the flow's" min={0} allowDecimal={false} value={options.priority} onChange={(v) => setOption('priority', String(v))} error={optionErrors.priority} />
              <TextInput label="Max runtime" description="ISO-8601, e.g. PT10M; replaces the flow's timeout" value={options.maxRuntime} onChange={(e) => setOption('maxRuntime', e.currentTarget.value)} error={optionErrors.maxRuntime} />
              <TextInput type="datetime-local" step={1} label="Start at" description="Empty: now. Later: waits, cancellable" value={options.scheduledAt} onChange={(e) => setOption('scheduledAt', e.currentTarget.value)} error={optionErrors.scheduledAt} />
            </SimpleGrid>
          </Fieldset>
          <MultiSelect label="Breakpoints" description="Pause before these tasks, showing what they would run with" data={flowTaskIds(flow?.tasks)} value={breakpoints} onChange={setBreakpoints} searchable clearable />
          <Switch label="Step mode: pause before every task" checked={stepMode} onChange={(e) => setStepMode(e.currentTarget.checked)} />
          <ErrorPanel title="The execution was not started" message={submitError} />
          <Group justify="flex-end">
            <Button type="button" variant="default" onClick={() => void start('DEVELOPMENT')} loading={busy && mode === 'DEVELOPMENT'} disabled={!flow || busy} title="A test run: no downstream flow triggers, its own concurrency slots, left out of the default lists">
              Run in dev mode
            </Button>
            <Button type="submit" loading={busy && mode === 'PRODUCTIVE'} disabled={!flow || busy}>
              Run
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
