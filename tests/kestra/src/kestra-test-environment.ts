/**
 * The environment Kestra's own tests run in, given to every Chronicle the suites start, so that
 * Kestra's test flows read what Kestra's tests give them:
 * - build.gradle (`test { environment ... }`): the secrets `SECRET_*` (base64, `SECRET_NEW_LINE`
 *   with line breaks in its base64) and the variables `KESTRA_TEST1`, `KESTRA_TEST2`, read by
 *   `{{ envs.test1 }}` under Kestra 0.21's prefix `KESTRA_` (CHRONICLE_ENV_VARS_PREFIX);
 * - core/src/test/resources/application-test.yml (`kestra.variables.globals`): CHRONICLE_GLOBALS.
 */
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export const KESTRA_TEST_SECRETS: Readonly<Record<string, string>> = {
  SECRET_MY_SECRET: base64('{"secretKey":"secretValue"}'),
  SECRET_NEW_LINE:
    'cGFzc3dvcmR2ZXJ5dmVyeXZleXJsb25ncGFzc3dvcmR2ZXJ5dmVyeXZleXJsb25ncGFzc3dvcmR2\nZXJ5dmVyeXZleXJsb25ncGFzc3dvcmR2ZXJ5dmVyeXZleXJsb25ncGFzc3dvcmR2ZXJ5dmVyeXZl\neXJsb25n',
  SECRET_WEBHOOK_KEY: base64('secretKey'),
  SECRET_NON_B64_SECRET: 'some secret value',
  SECRET_PASSWORD: 'cGFzc3dvcmQ=',
};

export const KESTRA_TEST_ENVIRONMENT: Readonly<Record<string, string>> = {
  ...KESTRA_TEST_SECRETS,
  KESTRA_TEST1: 'true',
  KESTRA_TEST2: 'Pass by env',
  CHRONICLE_ENV_VARS_PREFIX: 'KESTRA_',
  CHRONICLE_GLOBALS: JSON.stringify({ string: 'string', int: 1, bool: true, nested: { int: 2 } }),
};

/**
 * Secrets are the process's (`SECRET_<KEY>`, read from its environment when it starts): a
 * standalone Chronicle running in this process reads them from `process.env`.
 */
export function exportKestraTestSecrets(): void {
  for (const [name, value] of Object.entries(KESTRA_TEST_SECRETS)) process.env[name] ??= value;
}
