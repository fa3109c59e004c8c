import type { Command } from 'commander';
import { replay } from '../../projections/replay.js';
import { cliLogger, configFrom, openPrepared } from '../context.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('rebuild every projection (leads, stage changes, owners, folders) from the event log')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const db = await openPrepared(config, cliLogger(config));
      const tty = process.stderr.isTTY && !opts.json;
      const r = await replay(db, (n) => {
        if (tty) process.stderr.write(`\rreplaying… ${n} events`);
      });
      if (tty) process.stderr.write('\n');
      await db.close();
      if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else process.stdout.write(`replayed ${r.events} events into ${r.leads} leads in ${r.ms} ms\n`);
    });
}
