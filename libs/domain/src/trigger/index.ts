export * from './trigger.model.js';
export * from './trigger.parser.js';
export * from './schedule.ticks.js';
export * from './flow-trigger.match.js';
export * from './conditions/condition.model.js';
export { conditionHolds, type ConditionExecution, type ConditionSubject } from './conditions/condition.evaluate.js';
export { conditionKindOf, parseConditionList } from './conditions/condition.parser.js';
export { newWindowBounds, stepMultipleCondition, windowIsOpen } from './conditions/multiple-condition.window.js';
export * from './kafka-reserved-names.js';
