import { Button, Group, Modal, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../api/graphql-client.js';
import { KILL, PAUSE, REPLAY, RESTART, RESUME } from '../api/operations.js';
import type { Execution, InputDefinition } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ReplayForm, type ReplayRequest } from './replay-form.js';
import { ResumeForm } from './resume-form.js';

interface Props {
  execution: Execution;
  /** Task ids that replay may start from. */
  taskIds: readonly string[];
  /** The paused Pause task's `onResume` inputs, when the flow declares them. */
  resumeInputs?: readonly InputDefinition[];
}

/** Kill, pause, resume (approve/reject), restart, replay: exactly the execution's `availableActions` from the API, when the token may act. */
export function ExecutionActions({ execution, taskIds, resumeInputs }: Props) {
  const { client, access } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState<'resume' | 'replay' | null>(null);
  if (!access.canExecute) return null;

  const offers = new Set(execution.availableActions);
  const run = async (query: string, done: string, variables: Record<string, unknown> = {}) => {
    try {
      await client.request(query, { id: execution.id, ...variables });
      notifications.show({ color: 'green', message: done });
      return undefined;
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not done', message: errorMessage(error) });
      return errorMessage(error);
    }
  };
  const confirmKill = () =>
    modals.openConfirmModal({
      title: 'Kill this execution?',
      children: <Text size="sm">Running task runs are told to stop; the execution ends KILLED.</Text>,
      labels: { confirm: 'Kill', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => void run(KILL, 'Kill requested'),
    });
  const resume = async (approve: boolean, inputs: Record<string, unknown> | undefined) => {
    const error = await run(RESUME, approve ? 'Resumed' : 'Rejected', { approve, inputs });
    if (!error) setOpen(null);
    return error;
  };
  const replay = async (request: ReplayRequest) => {
    try {
      const { replayExecution } = await client.request<{ replayExecution: { id: string } }>(REPLAY, { id: execution.id, ...request });
      setOpen(null);
      notifications.show({ color: 'green', message: 'Replay started' });
      navigate(`/executions/${replayExecution.id}`);
      return undefined;
    } catch (error) {
      return errorMessage(error);
    }
  };

  return (
    <>
      <Group gap="xs" wrap="wrap" role="toolbar" aria-label="Execution actions">
        {offers.has('RESUME') && <Button color="green" onClick={() => setOpen('resume')}>Resume…</Button>}
        {offers.has('PAUSE') && (
          <Button variant="default" onClick={() => run(PAUSE, 'Pause requested')}>
            Pause
          </Button>
        )}
        {offers.has('KILL') && (
          <Button color="red" variant="light" onClick={confirmKill}>
            Kill
          </Button>
        )}
        {offers.has('RESTART') && (
          <Button variant="default" onClick={() => run(RESTART, 'Restarted')}>
            Restart
          </Button>
        )}
        {offers.has('REPLAY') && (
          <Button variant="default" onClick={() => setOpen('replay')}>
            Replay…
          </Button>
        )}
      </Group>
      <Modal opened={open === 'resume'} onClose={() => setOpen(null)} title="Resume the paused execution">
        <ResumeForm definitions={resumeInputs} onSubmit={resume} />
      </Modal>
      <Modal opened={open === 'replay'} onClose={() => setOpen(null)} title="Replay" size="lg">
        <ReplayForm execution={execution} taskIds={taskIds} onSubmit={replay} />
      </Modal>
    </>
  );
}
