import { INPUT_TYPES, type InputDefinition } from '@chronicle/domain';
import { Field, Int, ObjectType, registerEnumType, type FieldMiddleware } from '@nestjs/graphql';
import { JSONScalar } from './scalars.js';

/** The GraphQL `InputType` enum, generated from the domain's list so the two never drift. */
export const InputTypeEnum = Object.fromEntries(INPUT_TYPES.map((t) => [t, t])) as { [K in (typeof INPUT_TYPES)[number]]: K };
registerEnumType(InputTypeEnum, { name: 'InputType', description: 'The types a flow input may have (the Kestra set).' });

@ObjectType('FlowInputDependency', { description: 'Kestra\'s `dependsOn`: the input exists only when every input named exists and the condition (if any) is true.' })
export class FlowInputDependencyType {
  @Field(() => [String]) inputs!: string[];
  @Field(() => String, { nullable: true, description: 'An expression rendered with those inputs.' }) condition?: string;
}

/**
 * A flow input's definition, typed (the same data as the JSON `Flow.inputs`, which the contract
 * keeps): what a form needs to ask for the input and check it before the server does.
 */
@ObjectType('FlowInput')
export class FlowInputType {
  @Field(() => String, { description: 'May be dotted (`nested.more.int`): the value is then read as `inputs.nested.more.int`.' }) id!: string;
  @Field(() => InputTypeEnum) type!: string;
  @Field(() => JSONScalar, { nullable: true, description: 'The default value, already of the input\'s type (masked for a SECRET input unless the caller may deploy).' }) defaults?: unknown;
  @Field(() => Boolean) required!: boolean;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => String, { nullable: true, description: 'The label a form shows instead of the id.' }) displayName?: string;
  @Field(() => FlowInputDependencyType, { nullable: true }) dependsOn?: FlowInputDependencyType;
  @Field(() => String, { nullable: true, description: 'SELECT / MULTISELECT: an expression the server renders into the allowed values.' }) expression?: string;
  @Field(() => Boolean, { nullable: true, description: 'SELECT / MULTISELECT: a value outside `values` is accepted.' }) allowCustomValue?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'SELECT: a form shows radio buttons.' }) isRadio?: boolean;
  @Field(() => String, { nullable: true, description: 'FILE: the extension of the stored upload.' }) extension?: string;
  @Field(() => Boolean, { nullable: true, description: 'The value is kept for the tasks but masked in every answer.' }) secret?: boolean;
  @Field(() => [String], { nullable: true, description: 'ENUM, SELECT, MULTISELECT: the allowed values.' }) values?: string[];
  @Field(() => InputTypeEnum, { nullable: true, description: 'ARRAY, MULTISELECT: the type of every item.' }) itemType?: string;
  @Field(() => JSONScalar, { nullable: true, description: 'The lower bound: a number (INT, FLOAT; the item count of an ARRAY) or an ISO text (DURATION, DATE, DATETIME, TIME).' }) min?: unknown;
  @Field(() => JSONScalar, { nullable: true, description: 'The upper bound, as `min`.' }) max?: unknown;
  @Field(() => String, { nullable: true, description: 'Text inputs: a regular expression the whole value must match.' }) regex?: string;
  @Field(() => Int, { nullable: true }) minLength?: number;
  @Field(() => Int, { nullable: true }) maxLength?: number;
}

/**
 * `Flow.inputDefinitions` is read from the flow's `inputs` as the resolver answers them, so it
 * shows exactly what `inputs` shows to this caller (a SECRET input's default masked the same way).
 */
export const inputDefinitionsOfFlow: FieldMiddleware = ({ source }) => {
  const inputs = (source as { inputs?: unknown }).inputs;
  return Array.isArray(inputs) ? (inputs as InputDefinition[]) : [];
};
