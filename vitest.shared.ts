import { defineConfig } from 'vitest/config';

// Shared test settings: workspace libraries resolve to their TypeScript sources
// (the "@chronicle/source" export condition), so tests never need a build first.
export function projectConfig(name: string) {
  return defineConfig({
    resolve: { conditions: ['@chronicle/source'] },
    ssr: { resolve: { conditions: ['@chronicle/source'] } },
    test: {
      name,
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      reporters: process.env.CHRONICLE_TEST_RESULTS
        ? ['default', ['json', { outputFile: `${process.env.CHRONICLE_TEST_RESULTS}/${name}.json` }]]
        : ['default'],
    },
  });
}
