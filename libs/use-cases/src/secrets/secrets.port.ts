/**
 * Port: the secrets `secret('KEY')` reads. @chronicle/stores reads them from `SECRET_<KEY>`
 * environment variables (`EnvSecrets`, Kestra's open-source way).
 */
export interface Secrets {
  /** The decoded secret; throws a SECRET_NOT_FOUND error when absent. */
  get(namespace: string, key: string): string;
}
