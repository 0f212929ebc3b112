import { Autocomplete, JsonInput, MultiSelect, NumberInput, PasswordInput, Select, Switch, TagsInput, Textarea, TextInput } from '@mantine/core';
import { DateInput, DateTimePicker, TimeInput } from '@mantine/dates';
import type { InputDefinition } from '../api/types.js';
import { LOCAL_DATE_TIME, type RawValue } from './input-values.js';

interface Props {
  input: InputDefinition;
  value: RawValue;
  error?: string;
  onChange(value: RawValue): void;
}

const HINTS: Partial<Record<InputDefinition['type'], string>> = {
  DURATION: 'ISO-8601 duration, e.g. PT30S, PT5M, P1DT2H',
  FILE: 'A file reference, e.g. chronicle:///files/<id>',
  ARRAY: 'Type a value and press Enter for each item',
  JSON: 'Any JSON value',
  YAML: 'A YAML document',
};

/** The right widget for an input's type, with its label, description, required mark and error. */
export function InputField({ input, value, error, onChange }: Props) {
  const required = Boolean(input.required) && input.defaults == null;
  const description = [input.description, HINTS[input.type], input.type === 'ARRAY' ? `items: ${input.itemType ?? 'STRING'}` : undefined].filter(Boolean).join(' · ') || undefined;
  const common = { label: input.displayName ?? input.id, description, error, required, 'data-input': input.id, 'data-type': input.type };
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

  switch (input.type) {
    case 'INT':
    case 'FLOAT':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : text}
          onChange={(v) => onChange(v)}
          allowDecimal={input.type === "FLOAT"}
          clampBehavior="none"
          min={typeof input.min === 'number' ? input.min : undefined}
          max={typeof input.max === 'number' ? input.max : undefined}
        />
      );
    case 'BOOLEAN':
      return <Switch {...common} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'ENUM':
      return <Select {...common} data={[...(input.values ?? [])]} value={text || null} onChange={(v) => onChange(v ?? '')} clearable={!required} />;
    case 'SELECT':
      // Free text when custom values are allowed or the server computes the values.
      return input.allowCustomValue === true || input.expression != null
        ? <Autocomplete {...common} data={[...(input.values ?? [])]} value={text} onChange={onChange} />
        : <Select {...common} data={[...(input.values ?? [])]} value={text || null} onChange={(v) => onChange(v ?? '')} clearable={!required} />;
    case 'MULTISELECT':
      return input.allowCustomValue === true || input.expression != null
        ? <TagsInput {...common} data={[...(input.values ?? [])]} value={Array.isArray(value) ? value : []} onChange={onChange} />
        : <MultiSelect {...common} data={[...(input.values ?? [])]} value={Array.isArray(value) ? value : []} onChange={onChange} />;
    case 'YAML':
      return <Textarea {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} autosize minRows={3} styles={{ input: { fontFamily: 'monospace' } }} />;
    case 'SECRET':
      return <PasswordInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} autoComplete="off" />;
    case 'JSON':
      return <JsonInput {...common} value={text} onChange={onChange} autosize minRows={3} formatOnBlur />;
    case 'ARRAY':
      return <TagsInput {...common} value={Array.isArray(value) ? value : []} onChange={onChange} />;
    case 'DATETIME':
      return <DateTimePicker {...common} value={text || null} onChange={(v) => onChange(v ?? '')} withSeconds valueFormat={LOCAL_DATE_TIME} clearable />;
    case 'DATE':
      return <DateInput {...common} value={text || null} onChange={(v) => onChange(v ?? '')} valueFormat="YYYY-MM-DD" clearable />;
    case 'TIME':
      return <TimeInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} withSeconds />;
    case 'URI':
      return <TextInput {...common} type="url" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'EMAIL':
      return <TextInput {...common} type="email" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}
