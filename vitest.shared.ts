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
      // Generous: CI runs every project at once on a loaded 2-core machine, where one CLI call or
      // service start can take seconds. A limit only stops a hung test; tests wait for conditions.
      testTimeout: 180_000,
      hookTimeout: 300_000,
      reporters: process.env.CHRONICLE_TEST_RESULTS
        ? ['default', ['json', { outputFile: `${process.env.CHRONICLE_TEST_RESULTS}/${name}.json` }]]
        : ['default'],
    },
  });
}
