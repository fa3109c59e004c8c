import type { Command } from 'commander';
import { grantBiRole, ROLE_NAME } from '../../metrics/grantBiRole.js';
import { cliLogger, configFrom, fail, openPrepared } from '../context.js';

const HELP = `
The password is read from the environment variable LEADHOUSE_BI_PASSWORD (never from the command
line, where it would land in the shell history and the process list). Without it, an existing
role keeps its password and a new role is created without one (peer/trust auth only).
The role can SELECT the reporting views (and, with --compat, the public seed views) and nothing
else; its sessions are read-only. PostgreSQL only. Details: docs/bi.md`;

export function registerBiRole(program: Command): void {
  program
    .command('bi-role')
    .description('create or update a read-only PostgreSQL role for Power BI / Metabase')
    .argument('[name]', 'role name', 'leadhouse_bi')
    .option('--compat', 'also grant the seed-compatible public.<source>_* views')
    .addHelpText('after', HELP)
    .action(async (name: string, flags: { compat?: boolean }, cmd: Command) => {
      if (!ROLE_NAME.test(name)) fail(`role name "${name}" must be lower-case letters, digits and _`);
      const config = configFrom(cmd);
      if (config.database.kind !== 'postgres')
        fail('bi-role needs PostgreSQL (DATABASE_URL): BI tools cannot connect to the embedded database');
      const password = process.env['LEADHOUSE_BI_PASSWORD'] || undefined;
      const db = await openPrepared(config, cliLogger(config));
      try {
        const what = await db.transaction((tx) =>
          grantBiRole(tx, name, password, { compatViews: flags.compat ?? false }),
        );
        process.stdout.write(
          `${what} read-only role ${name}${password ? '' : ' (no password set: LEADHOUSE_BI_PASSWORD was empty)'}\n`,
        );
      } catch (e) {
        fail(`cannot grant ${name}: ${(e as Error).message}`);
      } finally {
        await db.close();
      }
    });
}
