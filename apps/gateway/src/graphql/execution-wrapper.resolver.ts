import { Field, Int, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ExecutionType } from './execution.types.js';

@ObjectType('FlowRef', { description: 'A flow by namespace and id.' })
export class FlowRefType {
  @Field(() => String) namespace!: string;
  @Field(() => String) flowId!: string;
}

@ObjectType('WrappedRun', { description: 'What a wrapper execution runs around: the wrapped flow, and the wrappers still to run inside this one (outermost first).' })
export class WrappedRunType {
  @Field(() => String) namespace!: string;
  @Field(() => String) flowId!: string;
  @Field(() => Int, { nullable: true }) revision?: number;
  @Field(() => [FlowRefType]) innerWrappers!: FlowRefType[];
}

/**
 * Wrappers on `Execution` (Cloudomation's wrappers): `wraps` says what a wrapper execution runs
 * around; the nesting itself is the execution tree (each layer is the child of the one around it).
 */
@Resolver(() => ExecutionType)
export class ExecutionWrapperResolver {
  @ResolveField('wraps', () => WrappedRunType, { nullable: true, description: 'Set on a wrapper execution: the flow it runs around and the inner wrappers (its RunWrapped task runs the next layer as its child).' })
  wraps(@Parent() execution: ExecutionType): WrappedRunType | null {
    const wrapped = execution.wrapped;
    if (wrapped === undefined || wrapped === null) return null;
    return {
      namespace: wrapped.namespace,
      flowId: wrapped.flowId,
      ...(wrapped.revision !== undefined ? { revision: wrapped.revision } : {}),
      innerWrappers: wrapped.wrappers.map((w) => ({ namespace: w.namespace, flowId: w.flowId })),
    };
  }
}
