import { mergeConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.ts';

// Unit tests of the UI's logic, and the browser end-to-end tests (Chronicle in-process, Debian's chromium).
export default mergeConfig(projectConfig('ui'), {
  test: { include: ['src/**/*.unit.spec.ts', 'e2e/**/*.spec.ts'], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false },
});
