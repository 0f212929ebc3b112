import { Command, CommanderError } from 'commander';
import { ChronicleError } from '@chronicle/client';
import { errorLines, exitCodeFor } from './exit-codes.js';
import { registerDlq } from './commands/dlq.command.js';
import { registerEvents } from './commands/events.command.js';
import { registerExecutions } from './commands/executions.command.js';
import { registerFlows } from './commands/flows.command.js';
import { registerProjections } from './commands/projections.command.js';
import { registerRetention } from './commands/retention.command.js';
import { registerLocks } from './commands/locks.command.js';
import { red } from './output.js';
import { DEFAULT_URL, UsageError } from './settings.js';

const program = new Command('chronicle')
  .description('Chronicle from the command line: flows, executions, their event history, projections, dead letters, the event log.')
  .option('--url <url>', `Chronicle's address (env CHRONICLE_URL, default ${DEFAULT_URL})`)
  .option('--token <token>', 'an API token (env CHRONICLE_TOKEN; default: the local standalone admin token, if any)')
  .option('--json', 'JSON output, for scripts')
  .showHelpAfterError()
  .exitOverride();

// `chronicle ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

registerFlows(program);
registerExecutions(program);
registerProjections(program);
registerDlq(program);
registerEvents(program);
registerRetention(program);
registerLocks(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCode(error);
}

/** The exit code by the error's code (exit-codes.ts); the message on stderr. */
function exitCode(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof UsageError) {
    process.stderr.write(`${red('error:')} ${error.message}\n`);
    return exitCodeFor(error.code);
  }
  const { code, reason } = error instanceof ChronicleError ? error : { code: (error as { code?: string }).code, reason: undefined };
  const [head, ...rest] = errorLines(code, (error as Error).message ?? String(error), reason);
  process.stderr.write(`${red('error:')} ${head}\n${rest.map((line) => `${line}\n`).join('')}`);
  return exitCodeFor(code);
}
