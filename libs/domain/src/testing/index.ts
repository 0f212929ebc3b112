// Test support of @chronicle/domain (`@chronicle/domain/testing`): for specs only, never production code
// (the boundary rule source-never-imports-test-kits). libs/tasks' specs decide flows of its I/O modules with it.
export { Scenario, T } from './execution-scenario.js';
export { DeciderSpecification } from './decider-specification.js';
