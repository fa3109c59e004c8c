#!/usr/bin/env node
import { Command } from 'commander';
import { VERSION } from '../core/version.js';
import { registerBiRole } from './commands/biRole.js';
import { registerDemo } from './commands/demo.js';
import { registerGoals } from './commands/goals.js';
import { registerImport } from './commands/import.js';
import { registerMigrate } from './commands/migrate.js';
import { registerReplay } from './commands/replay.js';
import { registerServe } from './commands/serve.js';
import { registerSync } from './commands/sync.js';

const program = new Command('leadhouse')
  .description('Self-hosted CRM data hub: one event log, live sales KPIs, BI views')
  .version(VERSION)
  .option('-c, --config <path>', 'configuration file (default: $LEADHOUSE_CONFIG or ./leadhouse.yaml)')
  .showHelpAfterError();

registerServe(program);
registerDemo(program);
registerMigrate(program);
registerReplay(program);
registerImport(program);
registerSync(program);
registerGoals(program);
registerBiRole(program);

await program.parseAsync(process.argv);
