/**
 * `npm run config:doc`: prints the README's configuration table from the configuration
 * schema (libs/runtime/src/config.ts), so the table never drifts from what start-up checks.
 */
import { configTable } from '@chronicle/runtime';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('usage: npm run config:doc\n  Prints the README\'s configuration table (every setting, its meaning and default) from the configuration schema.');
  process.exit(0);
}

console.log(configTable());
