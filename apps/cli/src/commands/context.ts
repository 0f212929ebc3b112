import type { Command } from 'commander';
import { ChronicleClient as Sdk } from '@chronicle/client';
import { ChronicleClient } from '../api-client.js';
import { Output } from '../output.js';
import { resolveSettings, type GlobalOptions } from '../settings.js';

export interface CliContext {
  readonly client: ChronicleClient;
  /** @chronicle/client: typed reads and commands with retries (read-your-writes via minRevision). */
  readonly sdk: Sdk;
  readonly out: Output;
  readonly json: boolean;
}

/** The client and output of a command, from the global flags and the environment. */
export function contextOf(command: Command): CliContext {
  const settings = resolveSettings(command.optsWithGlobals<GlobalOptions>());
  return { client: new ChronicleClient(settings.url, settings.token), sdk: new Sdk({ url: settings.url, token: settings.token }), out: new Output(settings.json), json: settings.json };
}
