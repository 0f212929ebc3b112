import type { JsonObject } from '../shared/json.js';

/**
 * The variables an installation gives every flow, as Kestra's RunContextCache does: `envs` (the
 * process's environment variables under a configured prefix, the prefix removed and the rest
 * lower-cased: `ENV_MY_VAR` is `{{ envs.my_var }}`) and `globals` (configured values, `{{ globals.x }}`).
 * The process that decides or renders reads them from its configuration and hands them in; the
 * domain never reads the environment.
 */
export interface InstallationVariables {
  readonly envs: Readonly<Record<string, string>>;
  readonly globals: JsonObject;
}

/** No environment variables, no globals: `{{ envs.x }}` and `{{ globals.x }}` fail as undefined names. */
export const NO_INSTALLATION_VARIABLES: InstallationVariables = { envs: {}, globals: {} };

