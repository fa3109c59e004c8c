import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runSync } from '../src/connectors/nocrm/sync/runSync.js';
import { nocrmSource } from '../src/core/config.js';
import { createLogger } from '../src/core/logger.js';
import { SyncScheduler } from '../src/server/scheduler.js';
import { migrate } from '../src/store/migrate.js';
import { openDb } from '../src/store/openDb.js';
import { FakeNocrmApi } from './fakes/fakeNocrmApi.js';
import { testConfig } from './helpers/app.js';
import { testDrivers } from './helpers/testDb.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const KEY = 'fake-api-key';

for (const driver of testDrivers()) {
  describe(`noCRM sync resilience (${driver.name})`, () => {
    test('kill -9 mid-sync: the next run resumes from the checkpoint, no page read twice, no duplicates', async () => {
      const fake = new FakeNocrmApi({ apiKey: KEY });
      fake.seed(350, { seed: 9 });
      const base = await fake.start();
      const fresh = await driver.fresh();
      const dir = mkdtempSync(join(tmpdir(), 'leadhouse-sync-crash-'));
      try {
        const database = fresh.config.kind === 'postgres' ? fresh.config.url : fresh.config.dir;
        const configPath = join(dir, 'leadhouse.yaml');
        writeFileSync(
          configPath,
          `database: ${database}\nlogLevel: error\nsources:\n  office_a: { kind: nocrm, apiKey: ${KEY}, apiBaseUrl: "${base}" }\n`,
        );
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', MAIN, 'sync', 'office_a', '--json', '--config', configPath],
          {
            stdio: 'ignore',
          },
        );
        const exited = new Promise((r) => child.once('exit', r));
        let killedAt = -1;
        fake.beforeResponse = (req) => {
          const offset = Number(req.query['offset'] ?? 0);
          if (req.path.endsWith('/leads') && offset >= 150 && killedAt < 0) {
            killedAt = fake.requests.length;
            child.kill('SIGKILL');
          }
        };
        await exited;
        assert.ok(killedAt > 0, 'the child was killed during the third page');
        delete fake.beforeResponse;

        const db = await openDb(fresh.config);
        assert.ok(db.ok);
        await migrate(db.value);
        const before = await db.value.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.leads');
        assert.equal(before.rows[0]?.n, 199, 'two pages were committed with their checkpoint');
        const mark = fake.requests.length;
        const src = nocrmSource({ apiKey: KEY, apiBaseUrl: base });
        const r = await runSync(db.value, 'office_a', src);
        assert.equal(r.status, 'done');
        const offsets = fake.requests
          .slice(mark)
          .filter((q) => q.path.endsWith('/leads'))
          .map((q) => Number(q.query['offset']));
        assert.equal(offsets[0], 199, 'resumed at the checkpoint');
        assert.ok(!offsets.includes(0), 'page 1 not read again');
        const after = await db.value.query<{ leads: number; events: number }>(
          "SELECT (SELECT count(*)::int FROM leadhouse.leads) AS leads, (SELECT count(*)::int FROM leadhouse.events WHERE external_id LIKE 'api:lead:%') AS events",
        );
        assert.deepEqual(after.rows[0], { leads: 350, events: 350 });
        await db.value.close();
      } finally {
        await fake.stop();
        await fresh.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the scheduler runs a source’s sync once even when triggered twice at the same time', async () => {
      const fake = new FakeNocrmApi({ apiKey: KEY });
      fake.seed(120, { seed: 4 });
      const base = await fake.start();
      const t = await driver.open();
      try {
        const src = nocrmSource({ apiKey: KEY, apiBaseUrl: base });
        const config = testConfig({ sources: { office_a: src } });
        const a = new SyncScheduler(t.db, config, createLogger('silent'));
        const b = new SyncScheduler(t.db, config, createLogger('silent'));
        await Promise.all([a.sync('office_a', src), b.sync('office_a', src)]);
        const leadPages = fake.requests.filter((q) => q.path.endsWith('/leads')).length;
        assert.equal(leadPages, 2, 'one run: two pages of 100');
        const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.leads');
        assert.equal(rows[0]?.n, 120);
      } finally {
        await fake.stop();
        await t.close();
      }
    });
  });
}
