import { Button, Group, Modal, Stack, Switch, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { FieldInfo } from '../api/api-surface.js';
import { errorMessage } from '../api/graphql-client.js';
import { useSession } from '../auth/session-context.js';
import { argType, argsFromRow, isRequired, mutationDocument, returnsScalar } from './dynamic-api.js';

/**
 * A row action backed by a mutation found in the API: arguments the row answers are filled in,
 * the others are asked for in a small form (dates with a picker).
 */
export function DynamicAction({ mutation, row, label, color, onDone }: { mutation: FieldInfo; row: Record<string, unknown>; label: string; color?: string; onDone(): void }) {
  const { client } = useSession();
  const { values, missing } = argsFromRow(mutation, row);
  const [open, setOpen] = useState(false);
  const [extra, setExtra] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);

  const send = async () => {
    setBusy(true);
    try {
      const variables = { ...values, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, argType(missing.find((a) => a.name === k)!) === 'DateTime' && v ? dayjs(String(v)).toISOString() : v])) };
      await client.request(mutationDocument(mutation, returnsScalar(mutation)), variables);
      notifications.show({ color: 'green', message: `${label}: done` });
      setOpen(false);
      onDone();
    } catch (error) {
      notifications.show({ color: 'red', title: `${label}: not done`, message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const fields = missing.map((arg) => {
    const type = argType(arg);
    const common = { key: arg.name, label: arg.name, required: isRequired(arg) };
    if (type === 'DateTime') return <DateTimePicker {...common} value={(extra[arg.name] as string) ?? null} onChange={(v) => setExtra((c) => ({ ...c, [arg.name]: v }))} clearable />;
    if (type === 'Boolean') return <Switch {...common} checked={extra[arg.name] === true} onChange={(e) => setExtra((c) => ({ ...c, [arg.name]: e.currentTarget.checked }))} />;
    return <TextInput {...common} value={(extra[arg.name] as string) ?? ''} onChange={(e) => setExtra((c) => ({ ...c, [arg.name]: type === 'Int' ? Number(e.currentTarget.value) : e.currentTarget.value }))} />;
  });

  return (
    <>
      <Button size="compact-xs" variant="light" color={color} loading={busy && !open} onClick={() => (missing.length ? setOpen(true) : void send())}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label}>
        <Stack>
          {fields}
          <Group justify="flex-end">
            <Button onClick={send} loading={busy}>
              {label}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
