import { CodedError } from '@chronicle/errors';
import type { Secrets } from '@chronicle/use-cases';

export class SecretNotFoundError extends CodedError {
  constructor(readonly key: string) {
    super('SECRET_NOT_FOUND', `Cannot find secret for key '${key}'.`);
  }
}

/**
 * Secrets as Kestra's open-source edition reads them (SecretService.java): every environment
 * variable `SECRET_<KEY>` holds a base64-encoded value; `secret('KEY')` returns it decoded (key
 * case-insensitive, line breaks in the base64 ignored). The same for every namespace. A value that
 * is not base64 is skipped, as Kestra logs and skips it.
 */
export class EnvSecrets implements Secrets {
  private readonly secrets: ReadonlyMap<string, string>;
  readonly undecodable: readonly string[];

  constructor(env: Readonly<Record<string, string | undefined>>) {
    const secrets = new Map<string, string>();
    const undecodable: string[] = [];
    for (const [name, raw] of Object.entries(env)) {
      if (!name.startsWith('SECRET_') || raw === undefined) continue;
      const value = raw.replace(/\r?\n|\r/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
        undecodable.push(name);
        continue;
      }
      secrets.set(name.slice('SECRET_'.length).toUpperCase(), Buffer.from(value, 'base64').toString('utf8'));
    }
    this.secrets = secrets;
    this.undecodable = undecodable;
  }

  /** The decoded secret; throws SecretNotFoundError (Kestra's message) when absent. */
  get(_namespace: string, key: string): string {
    const secret = this.secrets.get(key.toUpperCase());
    if (secret === undefined) throw new SecretNotFoundError(key);
    return secret;
  }
}
