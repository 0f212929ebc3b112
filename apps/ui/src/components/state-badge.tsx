import { Badge } from '@mantine/core';
import { stateColor } from './state-colors.js';

export function StateBadge({ state, size = 'sm' }: { state: string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge color={stateColor(state)} size={size} variant="filled" data-state={state} aria-label={`state ${state}`}>
      {state}
    </Badge>
  );
}
