import { describe, expect, it } from 'vitest';
import { EnvSecrets, SecretNotFoundError } from './env-secrets.js';

// Kestra: core/src/main/java/io/kestra/core/secret/SecretService.java and its SecretFunctionTest
// (SECRET_MY_SECRET=base64 -> secret('my_secret')).
describe('EnvSecrets', () => {
  const env = {
    SECRET_MY_SECRET: Buffer.from('secretValue').toString('base64'),
    SECRET_MULTILINE: 'c2Vj\ncmV0',
    SECRET_NOT_B64: 'not base64!',
    OTHER: 'x',
  };
  it('decodes SECRET_<KEY> variables, keys case-insensitive', () => {
    const secrets = new EnvSecrets(env);
    expect(secrets.get('io.kestra', 'my_secret')).toBe('secretValue');
    expect(secrets.get('io.kestra', 'MY_SECRET')).toBe('secretValue');
    expect(secrets.get('io.kestra', 'multiline')).toBe('secret');
  });
  it('fails with Kestra\'s message for a missing key, and skips values that are not base64', () => {
    const secrets = new EnvSecrets(env);
    expect(() => secrets.get('n', 'other')).toThrow(new SecretNotFoundError('other'));
    expect(() => secrets.get('n', 'other')).toThrow("Cannot find secret for key 'other'.");
    expect(() => secrets.get('n', 'not_b64')).toThrow(SecretNotFoundError);
    expect(secrets.undecodable).toEqual(['SECRET_NOT_B64']);
  });
});
