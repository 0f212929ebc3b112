import { Stack, Text } from '@mantine/core';
import type { InputDefinition } from '../api/types.js';
import { InputField } from './input-field.js';
import type { RawValue, RawValues } from './input-values.js';

/** One widget per typed input of a flow (or of a Pause task's onResume). */
export function InputsForm({ inputs, values, errors, onChange }: { inputs: readonly InputDefinition[]; values: RawValues; errors: Record<string, string>; onChange(id: string, value: RawValue): void }) {
  if (inputs.length === 0) return <Text c="dimmed" size="sm">This flow has no inputs.</Text>;
  return (
    <Stack gap="sm">
      {inputs.map((input) => (
        <InputField key={input.id} input={input} value={values[input.id]} error={errors[input.id]} onChange={(v) => onChange(input.id, v)} />
      ))}
    </Stack>
  );
}
