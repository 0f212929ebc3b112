import { Text } from '@mantine/core';
import { allExpanded, collapseAllNested, darkStyles, defaultStyles, JsonView as LiteJsonView } from 'react-json-view-lite';
import 'react-json-view-lite/dist/index.css';
import { useComputedColorScheme } from '@mantine/core';

/** Collapsible JSON (keyboard-operable); nested levels start collapsed unless `expanded`. */
export function JsonView({ value, label, expanded = false }: { value: unknown; label: string; expanded?: boolean }) {
  const scheme = useComputedColorScheme('light');
  if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value as object).length === 0)) {
    return <Text c="dimmed" size="sm">No {label.toLowerCase()}.</Text>;
  }
  const data = typeof value === 'object' ? (value as object) : { value };
  return (
    <div aria-label={label} role="group" style={{ fontSize: 13, overflowX: 'auto' }}>
      <LiteJsonView data={data} shouldExpandNode={expanded ? allExpanded : collapseAllNested} style={scheme === 'dark' ? darkStyles : defaultStyles} />
    </div>
  );
}
