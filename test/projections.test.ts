import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { nocrmSource, type SourceConfig } from '../src/core/config.js';
import { type SimEvent, withDeliveryFaults } from '../src/demo/simulator.js';
import { replay } from '../src/projections/replay.js';
import type { App } from '../src/server/app.js';
import { testApp } from './helpers/app.js';
import { history, OFFICES, snapshotProjections } from './helpers/history.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const sources: Record<string, SourceConfig> = Object.fromEntries(
  OFFICES.map((o) => [o.sourceId, nocrmSource({ apiKey: o.apiKey })]),
);

/** Posts the events over the HTTP handler, `concurrency` at a time (so batches form), all must be 200. */
async function deliver(app: App, events: SimEvent[], concurrency: number): Promise<void> {
  for (let i = 0; i < events.length; i += concurrency) {
    const chunk = events.slice(i, i + concurrency);
    const res = await Promise.all(
      chunk.map((e) =>
        app.fastify.inject({
          method: 'POST',
          url: `/webhooks/${e.sourceId}`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(e.envelope),
        }),
      ),
    );
    for (const r of res) assert.equal(r.statusCode, 200, r.body);
  }
}

for (const driver of testDrivers()) {
  describe(`projections (${driver.name})`, () => {
    const events = history(1000); // 2,000 events over two offices
    let inOrder: TestDb;
    let shuffled: TestDb;
    let appA: App;
    let appB: App;

    before(async () => {
      inOrder = await driver.open();
      shuffled = await driver.open();
      appA = await testApp(inOrder.db, { sources });
      appB = await testApp(shuffled.db, { sources });
    });
    after(async () => {
      await appA.fastify.close();
      await appB.fastify.close();
      await inOrder.close();
      await shuffled.close();
    });

    test('2,000 events shuffled with 20% redeliveries give the same projections as in-order delivery', async () => {
      const faulty = withDeliveryFaults(events, { redeliveryRate: 0.2, outOfOrderRate: 0.3, seed: 7 });
      // Shuffle harder than the simulator's local reordering: whole-history permutation.
      const rng = mulberry32(99);
      const order = faulty
        .map((e) => ({ e, k: rng() }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.e);
      assert.ok(order.length >= events.length * 1.15, 'redeliveries are in the stream');

      await deliver(appA, events, 1);
      await deliver(appB, order, 16);

      const a = await snapshotProjections(inOrder.db);
      const b = await snapshotProjections(shuffled.db);
      assert.ok((a['leads'] ?? []).length > 100, 'a meaningful number of leads');
      assert.ok((a['stage_changes'] ?? []).length > (a['leads'] ?? []).length, 'leads moved through stages');
      assert.deepEqual(b, a);
      const counts = await shuffled.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM leadhouse.events',
      );
      assert.equal(counts.rows[0]?.n, events.length, 'each event stored once');
    });

    test('an older event never overwrites a newer state', async () => {
      const { rows } = await shuffled.db.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM leadhouse.leads l
        JOIN LATERAL (
          SELECT e.data FROM leadhouse.events e
          WHERE e.source_id = l.source_id AND e.entity_type = 'lead' AND e.entity_id = l.lead_id AND e.data ? 'status'
          ORDER BY e.occurred_at DESC, e.external_id COLLATE "C" DESC LIMIT 1) last ON true
        WHERE l.status IS DISTINCT FROM last.data->>'status'`);
      assert.equal(rows[0]?.n, 0);
    });

    test('replay rebuilds identical projections', async () => {
      const before = await snapshotProjections(shuffled.db);
      const r = await replay(shuffled.db);
      assert.equal(r.events, events.length);
      assert.deepEqual(await snapshotProjections(shuffled.db), before);
    });

    test('stage history: one entry row per lead, then one row per step/status change, in event time', async () => {
      const { rows } = await inOrder.db.query<{ bad: number }>(`
        SELECT count(*)::int AS bad FROM (
          SELECT source_id, lead_id, seq, changed_at,
                 lag(changed_at) OVER (PARTITION BY source_id, lead_id ORDER BY seq) AS prev,
                 from_step, to_step, from_status, to_status
          FROM leadhouse.stage_changes) s
        WHERE (seq = 1 AND (from_step IS NOT NULL OR from_status IS NOT NULL))
           OR (seq > 1 AND (changed_at < prev OR (from_step IS NOT DISTINCT FROM to_step AND from_status IS NOT DISTINCT FROM to_status)))`);
      assert.equal(rows[0]?.bad, 0);
      const won = await inOrder.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM leadhouse.stage_changes WHERE to_status = 'won' AND from_status <> 'won'",
      );
      assert.ok((won.rows[0]?.n ?? 0) > 0, 'some leads were won');
    });

    test('deleted leads are soft-deleted', async () => {
      const { rows } = await inOrder.db.query<{ deleted: number; events: number }>(`
        SELECT (SELECT count(*)::int FROM leadhouse.leads WHERE deleted_at IS NOT NULL) AS deleted,
               (SELECT count(DISTINCT (source_id, entity_id))::int FROM leadhouse.events WHERE type = 'lead.deleted') AS events`);
      assert.ok((rows[0]?.events ?? 0) > 0, 'the history deletes some leads');
      assert.equal(rows[0]?.deleted, rows[0]?.events);
    });
  });
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
