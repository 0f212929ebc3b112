import { mergeConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.ts';

// Cases run concurrently inside one mode (CORPUS_CONCURRENCY, default 4); each case waits up
// to Kestra's harness limit for its execution, so a test gets a few minutes.
export default mergeConfig(projectConfig('kestra-corpus'), {
  test: {
    maxConcurrency: Number(process.env.CORPUS_CONCURRENCY ?? 4),
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
