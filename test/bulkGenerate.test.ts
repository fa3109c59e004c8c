import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateBulk } from '../src/demo/bulk/generateBulk.js';
import { replay } from '../src/projections/replay.js';
import { snapshotProjections } from './helpers/history.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const NOW = new Date('2026-11-20T17:30:00Z');
const THREE_YEARS_AGO = new Date('2023-11-20T17:30:00Z');
const DAY = 86_400_000;

for (const driver of testDrivers()) {
  describe(`bulk generator (${driver.name})`, () => {
    let t: TestDb;
    let events = 0;
    const one = async <R>(sql: string): Promise<R> => (await t.db.query<R>(sql)).rows[0] as R;

    before(async () => {
      t = await driver.open();
      const r = await generateBulk(t.db, { leads: 2000, now: NOW, chunkLeads: 700 });
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.value.leads, 2000);
      assert.equal(r.value.firstIndex, 0);
      events = r.value.events;
    });
    after(() => t.close());

    test('2,000 leads over three offices and 40 agents, written through the event log', async () => {
      const c = await one<Record<string, number>>(`SELECT
        (SELECT count(*)::int FROM leadhouse.leads) AS leads,
        (SELECT count(*)::int FROM leadhouse.events) AS events,
        (SELECT count(*)::int FROM leadhouse.events WHERE type = 'lead.created') AS created,
        (SELECT count(DISTINCT source_id)::int FROM leadhouse.leads) AS offices,
        (SELECT count(DISTINCT owner_email)::int FROM leadhouse.leads) AS owners,
        (SELECT count(*)::int FROM leadhouse.owners) AS owner_rows,
        (SELECT count(*)::int FROM leadhouse.stages) AS stages,
        (SELECT count(*)::int FROM leadhouse.goals) AS goals`);
      assert.deepEqual(
        { leads: c['leads'], events: c['events'], created: c['created'], offices: c['offices'] },
        { leads: 2000, events, created: 2000, offices: 3 },
      );
      assert.equal(c['owners'], 40);
      assert.equal(c['owner_rows'], 40);
      assert.equal(c['stages'], 21, 'seven positioned steps per office');
      assert.ok((c['goals'] ?? 0) > 0, 'goals are written when the table exists');
      const positions = await t.db.query<{ name: string; position: number }>(
        `SELECT name, position FROM leadhouse.stages WHERE source_id = 'office_a' ORDER BY position`,
      );
      assert.deepEqual(
        positions.rows.map((r) => r.name),
        ['Referido', 'Contactado', 'Visita agendada', 'Visita realizada', 'Propuesta', 'Reserva', 'Firmado'],
      );
    });

    test('about five stage changes per lead, a realistic mix of outcomes, three years of history', async () => {
      const s = await one<Record<string, number>>(`SELECT
        (SELECT count(*)::float8 FROM leadhouse.stage_changes) / 2000 AS per_lead,
        avg((status = 'won')::int)::float8 AS won, avg((status = 'lost')::int)::float8 AS lost,
        avg((status = 'cancelled')::int)::float8 AS cancelled,
        avg((status IN ('todo', 'standby'))::int)::float8 AS open,
        avg((deleted_at IS NOT NULL)::int)::float8 AS deleted,
        count(*) FILTER (WHERE status IN ('won', 'lost', 'cancelled') AND closed_at IS NULL)::int AS closed_no_date,
        count(*) FILTER (WHERE status IN ('todo', 'standby') AND closed_at IS NOT NULL)::int AS open_with_date,
        extract(epoch FROM min(created_at))::float8 * 1000 AS first, extract(epoch FROM max(updated_at))::float8 * 1000 AS last
        FROM leadhouse.leads`);
      assert.ok(
        (s['per_lead'] ?? 0) > 4.3 && (s['per_lead'] ?? 0) < 5.5,
        `stage changes per lead ${s['per_lead']}`,
      );
      assert.ok((s['won'] ?? 0) > 0.15 && (s['won'] ?? 0) < 0.25, `won ${s['won']}`);
      assert.ok((s['lost'] ?? 0) > 0.3, `lost ${s['lost']}`);
      assert.ok((s['cancelled'] ?? 0) > 0.05, `cancelled ${s['cancelled']}`);
      assert.ok((s['open'] ?? 0) > 0.2, `open ${s['open']}`);
      assert.ok((s['deleted'] ?? 0) < 0.03, `deleted ${s['deleted']}`);
      assert.equal(s['closed_no_date'], 0);
      assert.equal(s['open_with_date'], 0);
      assert.ok(
        (s['first'] ?? 0) >= THREE_YEARS_AGO.getTime() &&
          (s['first'] ?? 0) < THREE_YEARS_AGO.getTime() + 30 * DAY,
      );
      assert.ok((s['last'] ?? 0) <= NOW.getTime() && (s['last'] ?? 0) > NOW.getTime() - 2 * DAY);
    });

    test('the projections are what a replay of the log gives', async () => {
      const before = await snapshotProjections(t.db);
      const r = await replay(t.db);
      assert.equal(r.events, events);
      assert.deepEqual(await snapshotProjections(t.db), before);
    });

    test('refuses a database that has leads, unless appending', async () => {
      const refused = await generateBulk(t.db, { leads: 10, now: NOW });
      assert.ok(!refused.ok);
      assert.match(refused.error, /already has 2000 leads.*--append/);
      const appended = await generateBulk(t.db, { leads: 10, now: NOW, append: true });
      assert.ok(appended.ok);
      assert.equal(appended.value.firstIndex, 2000);
      assert.equal((await one<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.leads')).n, 2010);
    });
  });
}
