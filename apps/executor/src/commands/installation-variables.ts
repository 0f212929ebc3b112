import type { InstallationVariables, JsonObject } from '@chronicle/domain';
import type { ChronicleConfig } from '@chronicle/runtime';

/**
 * The `envs` and `globals` every flow's expressions read, from the configuration
 * (CHRONICLE_ENV_VARS_PREFIX, CHRONICLE_GLOBALS). Every executor of a deployment must be given the
 * same ones, as every Kestra worker reads its own environment.
 */
export const installationVariables = (config: ChronicleConfig): InstallationVariables => ({
  envs: config.installation.envs,
  // CHRONICLE_GLOBALS was parsed from JSON (config.ts): it is a JSON object.
  globals: config.installation.globals as JsonObject,
});
