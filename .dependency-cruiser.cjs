/**
 * The package boundaries of docs/architecture.md, checked on every `npm test`
 * (scripts/check-boundaries.ts runs this before anything else).
 * Paths are relative to the repository root; workspace packages resolve to their sources
 * through the "@chronicle/source" export condition, so an import of `@chronicle/x` is seen as an
 * edge into libs/x/src or apps/x/src.
 */
const TEST_CODE = '(\\.spec\\.ts$|/test-support/|/e2e/|^libs/testing/|^libs/domain/src/testing/|^tests/|^bench/|^scripts/|^libs/[^/]+/scripts/)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere: a cycle makes load order matter and hides a missing module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports nothing of the repository (but the error base, libs/errors) and no framework, driver or I/O built-in.',
      severity: 'error',
      from: { path: '^libs/domain/src/' },
      to: {
        path: [
          '^libs/(?!domain/|errors/)', '^apps/', '^tests/',
          'node_modules/(@nestjs|typeorm|pg|kafkajs|@eventstore|express|ws|graphql)(/|$)',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'errors-is-a-leaf',
      comment: 'libs/errors (the one error base and its codes) is below the domain: it imports nothing at all.',
      severity: 'error',
      from: { path: '^libs/errors/src/', pathNot: TEST_CODE },
      to: { path: '^(?!libs/errors/src/)' },
    },
    {
      name: 'domain-no-io-builtins',
      comment: 'The domain takes no I/O, clock or randomness from node: it is passed in.',
      severity: 'error',
      from: { path: '^libs/domain/src/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|net|http|https|child_process|dgram|dns|os|worker_threads|cluster|crypto|tls|process)$' },
    },
    {
      name: 'libs-never-import-apps',
      comment: 'Libraries and adapters are used by apps, never the other way round (a library\'s end-to-end test may start one).',
      severity: 'error',
      from: { path: '^libs/', pathNot: TEST_CODE },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-do-not-import-apps',
      comment: 'A service never reaches into another; only the standalone composition hosts them all.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: ['^apps/standalone/', TEST_CODE] },
      to: { path: '^apps/', pathNot: ['^apps/$1/'] },
    },
    {
      name: 'read-model-uses-the-event-store-port-only',
      comment: 'The read model folds events through the port; adapters have their own entry points.',
      severity: 'error',
      from: { path: '^libs/read-model/src/', pathNot: TEST_CODE },
      to: { path: '^libs/event-store/src/(postgres|eventstoredb|memory)/' },
    },
    {
      name: 'use-cases-import-no-adapter',
      comment: 'Use cases and bus contracts work through ports: no store, no composition, no event-store or read-model adapter, no driver or framework.',
      severity: 'error',
      from: { path: '^libs/(use-cases|contracts)/src/', pathNot: TEST_CODE },
      to: {
        path: [
          '^libs/(stores|composition|dev-infra|read-model)/', '^libs/event-store/src/(postgres|eventstoredb|memory)/',
          'node_modules/(@nestjs|typeorm|pg|kafkajs|@eventstore|express|ws|graphql)(/|$)',
        ],
      },
    },
    {
      name: 'tasks-reach-io-through-ports-only',
      comment: 'A task runner (libs/tasks) gets its I/O through the TaskServices ports the worker injects: it imports the domain, the errors, the contracts, the use cases\' ports and the runtime settings, never a store, the composition, the read model, an event-store or bus adapter, an app, a driver or a framework.',
      severity: 'error',
      from: { path: '^libs/tasks/src/', pathNot: TEST_CODE },
      to: {
        path: [
          '^libs/(?!tasks/|domain/|errors/|contracts/|use-cases/|runtime/)', '^apps/',
          'node_modules/(@nestjs|typeorm|pg|kafkajs|@eventstore|express|ws|graphql)(/|$)',
        ],
      },
    },
    {
      name: 'contracts-import-no-use-case',
      comment: 'The bus message shapes are shared by producers and consumers; they depend on no use case.',
      severity: 'error',
      from: { path: '^libs/contracts/src/', pathNot: TEST_CODE },
      to: { path: '^libs/use-cases/' },
    },
    {
      name: 'stores-never-import-composition',
      comment: 'Stores implement ports; the composition root chooses and builds them, never the other way round.',
      severity: 'error',
      from: { path: '^libs/stores/src/', pathNot: TEST_CODE },
      to: { path: '^libs/composition/' },
    },
    {
      name: 'only-composition-and-apps-import-stores',
      comment: 'Everything else reaches a store through the port it implements, bound by the composition.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['^(apps/[^/]+|libs/(stores|composition))/', TEST_CODE] },
      to: { path: '^libs/stores/' },
    },
    {
      name: 'controllers-and-resolvers-build-no-store',
      comment: 'A controller or resolver calls use cases and ports it is given (injection tokens); it never builds a store.',
      severity: 'error',
      from: { path: '\\.(controller|resolver)\\.ts$', pathNot: TEST_CODE },
      to: { path: '^libs/stores/' },
    },
    {
      name: 'production-code-never-loads-dev-infra',
      comment: 'The embedded Postgres and the Kafka download are for npm start, scripts and tests: the four services and every library but the test kit never load them.',
      severity: 'error',
      from: { path: '^(apps/(gateway|executor|scheduler|projection|cli)/|libs/)', pathNot: ['^libs/dev-infra/', TEST_CODE] },
      to: { path: '^libs/dev-infra/' },
    },
    {
      name: 'source-never-imports-test-kits',
      comment: 'Production code loads no test kit (fixtures, fake servers, given/when/then helpers).',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: TEST_CODE },
      to: { path: '^(libs/testing/|libs/domain/src/testing/|.*/test-support/)' },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(apps|libs|tests)/[^/]+/dist/', '^bench/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      conditionNames: ['@chronicle/source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
