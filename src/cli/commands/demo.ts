import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { nocrmSource, type SourceConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { writeGoals } from '../../demo/bulk/reference.js';
import { runGenerate } from '../../demo/bulk/runGenerate.js';
import { LiveSimulator, type OfficeSpec, seedHistory } from '../../demo/simulator.js';
import { syncDemoSteps } from '../../demo/syncDemoSteps.js';
import { startServer } from '../../server/start.js';
import { cliLogger, configFrom, fail, onShutdown, openPrepared } from '../context.js';

const OFFICES: OfficeSpec[] = [
  { sourceId: 'office_a', apiKey: 'demo-key-office-a', subdomain: 'office-a', agents: 6, seed: 11 },
  { sourceId: 'office_b', apiKey: 'demo-key-office-b', subdomain: 'office-b', agents: 5, seed: 22 },
  { sourceId: 'office_c', apiKey: 'demo-key-office-c', subdomain: 'office-c', agents: 4, seed: 33 },
];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('serve on the embedded database with three simulated noCRM offices posting signed webhooks')
    .option('-p, --port <port>', 'port (default 3000, or $PORT)')
    .option('--database <dir-or-url>', 'database (default .leadhouse/demo)')
    .option('--history <events>', 'events per office to seed on an empty database', '600')
    .option('--rate <events-per-minute>', 'pace of the live simulator, all offices together', '60')
    .option('--no-simulate', 'serve the demo data without the live simulator')
    .option(
      '--generate <leads>',
      'load this many generated leads (3 years, through the event log), then exit',
    )
    .option('--append', 'with --generate: add to a database that already has leads')
    .action(
      async (
        opts: {
          port?: string;
          database?: string;
          history: string;
          rate: string;
          simulate: boolean;
          generate?: string;
          append?: boolean;
        },
        cmd: Command,
      ) => {
        const demoSources: Record<string, SourceConfig> = Object.fromEntries(
          OFFICES.map((o) => [o.sourceId, nocrmSource({ apiKey: o.apiKey })]),
        );
        const base = configFrom(cmd, {
          demo: true,
          overrides: {
            port: opts.port,
            database: opts.database ?? process.env['DATABASE_URL'] ?? resolve('.leadhouse/demo'),
          },
        });
        const token = base.apiToken ?? `demo-${randomBytes(12).toString('hex')}`;
        const config = { ...base, apiToken: token, sources: { ...demoSources, ...base.sources } };
        if (opts.generate !== undefined) {
          const leads = Number(opts.generate);
          if (!Number.isSafeInteger(leads) || leads <= 0)
            fail('--generate: expected a positive number of leads');
          const db = await openPrepared(config, cliLogger(config));
          const r = await runGenerate(db, { leads, append: opts.append === true }, process.stderr);
          await db.close();
          if (!r.ok) fail(r.error);
          process.stdout.write(`${JSON.stringify(r.value)}\n`);
          return;
        }
        const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
        const server = await startServer(config, log);
        if (!server.ok) fail(server.error);
        const { url, db } = server.value;
        await db.transaction((tx) => syncDemoSteps(tx, OFFICES));
        const local = url.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');

        process.stdout.write(
          [
            '',
            `  Leadhouse demo is running on ${local}`,
            `  database:   ${db.driver === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL'}`,
            `  demo token: ${token}`,
            `  try:        curl -H 'Authorization: Bearer ${token}' ${local}/api/v1/leads?limit=5`,
            `  webhooks:   ${local}/webhooks/office_a  (office_a, office_b, office_c)`,
            '',
            '',
          ].join('\n'),
        );

        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.events');
        const port = (server.value.fastify.server.address() as { port: number } | null)?.port ?? config.port;
        const target = `http://127.0.0.1:${port}`;
        if ((rows[0]?.n ?? 0) === 0 && Number(opts.history) > 0) {
          process.stdout.write(
            `  seeding ${Number(opts.history) * OFFICES.length} events of history over HTTP…\n`,
          );
          const r = await seedHistory(target, OFFICES, {
            eventsPerOffice: Number(opts.history),
            months: 14,
            logger: log,
          });
          process.stdout.write(`  seeded: ${r.ok} stored, ${r.failed} failed\n`);
        }
        // Goals from the demo's own figures (last year's monthly average + 10 %), so goal progress
        // has something to show; a user's own goals are never touched.
        const goals = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.goals');
        if ((goals.rows[0]?.n ?? 0) === 0) await writeGoals(db, new Date());
        let sim: LiveSimulator | undefined;
        if (opts.simulate) {
          sim = new LiveSimulator({
            baseUrl: target,
            offices: OFFICES,
            eventsPerMinute: Number(opts.rate),
            logger: log,
          });
          sim.start();
          process.stdout.write(
            `  live simulator: ~${opts.rate} webhooks/minute across 3 offices (Ctrl-C to stop)\n`,
          );
        }
        onShutdown(log, async () => {
          await sim?.stop();
          await server.value.close();
        });
      },
    );
}
