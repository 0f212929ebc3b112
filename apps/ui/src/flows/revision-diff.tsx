import { Group, Paper, ScrollArea, Select, Stack, Text } from '@mantine/core';
import { diffLines } from 'diff';
import { useEffect, useMemo, useState } from 'react';
import type { Flow } from '../api/types.js';
import { formatDate } from '../components/format.js';

type Revision = Pick<Flow, 'revision' | 'source' | 'deployedAt'>;

/** Two revisions side by side as a line diff (added green, removed red, marked for screen readers). */
export function RevisionDiff({ revisions }: { revisions: readonly Revision[] }) {
  const options = revisions.map((r) => ({ value: String(r.revision), label: `revision ${r.revision} · ${formatDate(r.deployedAt)}` }));
  const latest = revisions[revisions.length - 1]?.revision;
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  useEffect(() => {
    if (latest === undefined) return;
    setTo(String(latest));
    setFrom(String(Math.max(1, latest - 1)));
  }, [latest]);

  const parts = useMemo(() => {
    const a = revisions.find((r) => String(r.revision) === from)?.source ?? '';
    const b = revisions.find((r) => String(r.revision) === to)?.source ?? '';
    return diffLines(a, b);
  }, [revisions, from, to]);

  if (revisions.length === 0) return <Text c="dimmed">No revision.</Text>;
  return (
    <Stack>
      <Group grow preventGrowOverflow={false} wrap="wrap">
        <Select label="From revision" data={options} value={from} onChange={setFrom} allowDeselect={false} />
        <Select label="To revision" data={options} value={to} onChange={setTo} allowDeselect={false} />
      </Group>
      <Paper withBorder p={0}>
        <ScrollArea.Autosize mah="60vh">
          <div role="region" aria-label={`Changes from revision ${from} to ${to}`} data-testid="revision-diff">
            {parts.flatMap((part, i) =>
              part.value
                .replace(/\n$/, '')
                .split('\n')
                .map((line, j) => (
                  <div key={`${i}-${j}`} className={`diff-line ${part.added ? 'diff-added' : part.removed ? 'diff-removed' : ''}`}>
                    <span aria-label={part.added ? 'added' : part.removed ? 'removed' : undefined}>{part.added ? '+ ' : part.removed ? '- ' : '  '}</span>
                    {line}
                  </div>
                )),
            )}
          </div>
        </ScrollArea.Autosize>
      </Paper>
    </Stack>
  );
}
