import { mergeConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.ts';

// Only the browser end-to-end tests: they start Chronicle in-process and drive Debian's chromium.
export default mergeConfig(projectConfig('ui'), {
  test: { include: ['e2e/**/*.spec.ts'], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false },
});
