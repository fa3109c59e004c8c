import type { Command } from 'commander';
import { listMigrations } from '../../store/migrate.js';
import { cliLogger, configFrom, openPrepared } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const db = await openPrepared(config, cliLogger(config));
      const { rows } = await db.query<{ version: number; name: string; applied_at: Date }>(
        'SELECT version, name, applied_at FROM leadhouse.schema_migrations ORDER BY version',
      );
      await db.close();
      const known = listMigrations().length;
      if (opts.json) process.stdout.write(`${JSON.stringify({ driver: db.driver, applied: rows, known })}\n`);
      else
        process.stdout.write(
          `database (${db.driver}) is at migration ${rows.at(-1)?.version ?? 0} of ${known}\n`,
        );
    });
}
