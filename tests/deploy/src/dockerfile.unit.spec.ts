import { describe, expect, it } from 'vitest';
import { dockerfileTargets, readRepoFile, repoFileExists } from './deploy-files.js';

const dockerfile = readRepoFile('deploy', 'Dockerfile');

/** The instructions of one stage, from its FROM line to the next. */
function stage(target: string): string {
  const start = dockerfile.search(new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${target}\\s*$`, 'im'));
  if (start < 0) throw new Error(`no stage ${target}`);
  const next = dockerfile.slice(start + 1).search(/^FROM\s/im);
  return next < 0 ? dockerfile.slice(start) : dockerfile.slice(start, start + 1 + next);
}

describe('deploy/Dockerfile', () => {
  it('has a target per app and for the jobs, each running an entry that exists', () => {
    expect(dockerfileTargets()).toEqual(expect.arrayContaining(['gateway', 'executor', 'scheduler', 'projection', 'standalone', 'tools']));
    for (const app of ['gateway', 'executor', 'scheduler', 'projection', 'standalone']) {
      expect(stage(app), app).toContain(`CMD ["node", "apps/${app}/dist/main.js"]`);
      expect(repoFileExists('apps', app, 'src', 'main.ts'), app).toBe(true);
    }
  });

  it('installs production dependencies only, and runs as the unprivileged node user', () => {
    expect(stage('prod-deps')).toMatch(/RUN npm \$\{NPM_INSTALL\} --omit=dev/);
    expect(dockerfile).toMatch(/^ARG NPM_INSTALL=ci$/m);
    expect(stage('runtime')).toMatch(/^USER node$/m);
    expect(stage('runtime')).not.toMatch(/COPY --from=build \/app /);
    // A stage that switches to root for a set-up step switches back.
    for (const target of dockerfileTargets()) {
      const users = [...stage(target).matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
      if (users.length > 0) expect(users.at(-1), target).toBe('node');
    }
  });

  it('has a build-context ignore file that keeps local state out', () => {
    const ignore = readRepoFile('deploy', 'Dockerfile.dockerignore').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.chronicle', '.infra']));
  });
});
