import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { QuotaGate } from '../src/connectors/nocrm/api/quota.js';
import { reconcileDeleted } from '../src/connectors/nocrm/sync/reconcileDeleted.js';
import { apiFor, runSync, type SyncEvent } from '../src/connectors/nocrm/sync/runSync.js';
import { type NocrmSourceConfig, nocrmSource } from '../src/core/config.js';
import { syncSources } from '../src/projections/compatViews.js';
import { FakeNocrmApi } from './fakes/fakeNocrmApi.js';
import { envelope, leadData, postWebhook, testApp } from './helpers/app.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const KEY = 'fake-api-key';

for (const driver of testDrivers()) {
  describe(`noCRM API sync (${driver.name})`, () => {
    let t: TestDb;
    let fake: FakeNocrmApi;
    let src: NocrmSourceConfig;
    let clock: Date;
    const now = () => clock;
    const sleep = async (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    };
    const leadRequests = () => fake.requests.filter((r) => r.path.endsWith('/leads'));
    const count = async (sql: string) => (await t.db.query<{ n: number }>(sql)).rows[0]!.n;

    beforeEach(async () => {
      clock = new Date('2025-06-02T10:00:00Z');
      fake = new FakeNocrmApi({ apiKey: KEY, now: () => clock });
      t = await driver.open();
      fake.seed(250, { start: new Date('2025-03-01T08:00:00Z'), seed: 3 });
      const base = await fake.start();
      src = nocrmSource({ apiKey: KEY, apiBaseUrl: base, dailyQuota: 3 });
      await t.db.transaction((tx) => syncSources(tx, { office_a: src }));
    });
    afterEach(async () => {
      await fake.stop();
      await t.close();
    });

    test('full backfill over a small quota: plan, pauses at the quota, resumes across days', async () => {
      const events: SyncEvent[] = [];
      const r = await runSync(t.db, 'office_a', src, {
        full: true,
        wait: true,
        now,
        sleep,
        onEvent: (e) => events.push(e),
      });
      assert.equal(r.status, 'done', JSON.stringify(r));
      const plan = events.find((e) => e.kind === 'plan');
      assert.deepEqual(plan?.kind === 'plan' && plan.plan, {
        total: 250,
        pages: 3,
        requests: 7,
        remainingToday: 2,
        dailyQuota: 3,
        days: 3,
      });
      assert.equal(events.filter((e) => e.kind === 'waiting').length, 2, 'waited for two new UTC days');
      assert.equal(fake.requests.length, 8, 'probe + 4 reference + 3 pages, nothing wasted');
      assert.equal(
        await count("SELECT count(*)::int AS n FROM leadhouse.leads WHERE source_id = 'office_a'"),
        250,
      );
      assert.equal(
        await count("SELECT count(*)::int AS n FROM leadhouse.stages WHERE source_id = 'office_a'"),
        fake.steps.length,
      );
      const owners = await count(
        "SELECT count(*)::int AS n FROM leadhouse.owners WHERE source_id = 'office_a' AND name IS NOT NULL",
      );
      assert.equal(owners, fake.users.length);
      const withOwner = await count(
        'SELECT count(*)::int AS n FROM leadhouse.leads WHERE owner_id IS NOT NULL AND owner_email IS NULL',
      );
      assert.equal(withOwner, 0, 'owner e-mails resolved from /users');
      const used = await count(
        "SELECT sum(used)::int AS n FROM leadhouse.api_quota WHERE source_id = 'office_a'",
      );
      assert.equal(used, 8);
    });

    test('a 429 pauses the source (persisted) until the API says, then the sync resumes', async () => {
      src = { ...src, dailyQuota: 1000 };
      let served = 0;
      fake.beforeResponse = (req) => {
        if (req.path.endsWith('/leads') && ++served === 2) fake.rateLimitNext(1, { retryAfter: '120' });
      };
      const noWait = await runSync(t.db, 'office_a', src, { now, sleep });
      assert.equal(noWait.status, 'stopped');
      assert.equal(noWait.status === 'stopped' && noWait.failure.kind, 'rate_limited');
      const pause = await t.db.query<{ until: Date }>(
        "SELECT until FROM leadhouse.api_pause WHERE source_id = 'office_a'",
      );
      assert.equal(pause.rows[0]?.until.getTime(), clock.getTime() + 120_000);
      const before = fake.requests.length;
      const blocked = await runSync(t.db, 'office_a', src, { now, sleep });
      assert.equal(blocked.status === 'stopped' && blocked.failure.kind, 'paused');
      assert.equal(fake.requests.length, before, 'no request while paused');
      delete fake.beforeResponse;
      const resumed = await runSync(t.db, 'office_a', src, { now, sleep, wait: true });
      assert.equal(resumed.status, 'done');
      assert.equal(await count('SELECT count(*)::int AS n FROM leadhouse.leads'), 250);
      const offsets = leadRequests().map((r) => Number(r.query['offset'] ?? 0));
      assert.equal(
        offsets.filter((o) => o === 0).length,
        1,
        'page 1 is never read twice: the checkpoint holds',
      );
    });

    test('incremental: only what changed; nothing new writes no events', async () => {
      src = { ...src, dailyQuota: 1000 };
      assert.equal((await runSync(t.db, 'office_a', src, { now, sleep })).status, 'done');
      const events0 = await count('SELECT count(*)::int AS n FROM leadhouse.events');
      clock = new Date(clock.getTime() + 3600_000);
      for (const id of [31001, 31002, 31003])
        fake.touchLead(id, { status: 'won', step: 'Firmado', step_id: 1107 });
      const r = await runSync(t.db, 'office_a', src, { now, sleep });
      assert.equal(r.status === 'done' && r.run.written, 3);
      const q = leadRequests().at(-1)!.query;
      assert.equal(q['order'], 'last_update');
      assert.equal(q['direction'], 'asc');
      assert.ok(q['updated_after'], 'incremental by updated_after');
      assert.equal(
        await count(
          "SELECT count(*)::int AS n FROM leadhouse.leads WHERE status = 'won' AND lead_id IN ('31001','31002','31003')",
        ),
        3,
      );
      clock = new Date(clock.getTime() + 3600_000);
      const again = await runSync(t.db, 'office_a', src, { now, sleep });
      assert.equal(again.status === 'done' && again.run.written, 0);
      assert.equal(await count('SELECT count(*)::int AS n FROM leadhouse.events'), events0 + 3);
    });

    test('the overlap window catches a row that shows up late at the boundary', async () => {
      src = { ...src, dailyQuota: 1000 };
      const first = await runSync(t.db, 'office_a', src, { now, sleep });
      assert.equal(first.status, 'done');
      const watermark = new Date(first.status === 'done' ? first.watermark : 0);
      // A change stamped 2 minutes before the watermark that the API only shows now.
      fake.touchLead(31010, { title: 'late row' }, new Date(watermark.getTime() - 120_000));
      clock = new Date(clock.getTime() + 600_000);
      await runSync(t.db, 'office_a', src, { now, sleep });
      const { rows } = await t.db.query<{ title: string }>(
        "SELECT title FROM leadhouse.leads WHERE lead_id = '31010'",
      );
      assert.equal(rows[0]?.title, 'late row');
    });

    test('rows that move during the sync are neither skipped nor duplicated', async () => {
      src = { ...src, dailyQuota: 1000 };
      let pages = 0;
      fake.beforeResponse = (req) => {
        if (!req.path.endsWith('/leads') || req.query['limit'] === '1') return;
        pages++;
        // Between pages, leads already read get updated: they move to the end, rows shift left.
        if (pages === 2) for (const id of [31003, 31007, 31011]) fake.touchLead(id, { amount: 1 });
      };
      const r = await runSync(t.db, 'office_a', src, { now, sleep });
      assert.equal(r.status, 'done');
      assert.equal(await count('SELECT count(*)::int AS n FROM leadhouse.leads'), 250);
      assert.equal(await count('SELECT count(*)::int AS n FROM leadhouse.leads WHERE amount = 1'), 3);
      const dupes = await count(
        'SELECT count(*)::int AS n FROM (SELECT external_id FROM leadhouse.events GROUP BY external_id HAVING count(*) > 1) d',
      );
      assert.equal(dupes, 0);
    });

    test('webhook and API for the same lead: one lead, the newest state wins', async () => {
      src = { ...src, dailyQuota: 1000 };
      const app = await testApp(t.db, { sources: { office_a: src } });
      const lead = fake.leads.get(31020)!;
      const newer = new Date(new Date(lead.updated_at).getTime() + 86_400_000).toISOString();
      const res = await postWebhook(
        app,
        envelope(
          'lead.step.changed',
          leadData(31020, { step: 'Reserva', step_id: 1106, updated_at: newer }),
          {
            key: KEY,
          },
        ),
      );
      assert.equal(res.statusCode, 200, res.body);
      await runSync(t.db, 'office_a', src, { now, sleep });
      const { rows } = await t.db.query<{ step: string; event_count: number; title: string }>(
        "SELECT step, event_count, title FROM leadhouse.leads WHERE lead_id = '31020'",
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.step, 'Reserva', 'the webhook is newer than the API row');
      assert.equal(rows[0]?.event_count, 2);
      await app.fastify.close();
    });

    test('reconcile: leads gone from the CRM are soft-deleted; not attempted without the budget', async () => {
      src = { ...src, dailyQuota: 1000 };
      assert.equal((await runSync(t.db, 'office_a', src, { now, sleep })).status, 'done');
      fake.deleteLead(31005);
      fake.deleteLead(31200);
      const api = apiFor(t.db, 'office_a', src, now)!;
      const r = await reconcileDeleted(
        t.db,
        api,
        new QuotaGate(t.db, 'office_a', src.dailyQuota, now),
        'office_a',
        now,
      );
      assert.ok(r.ok);
      assert.deepEqual(r.value.deleted.sort(), ['31005', '31200']);
      const { rows } = await t.db.query<{ lead_id: string }>(
        'SELECT lead_id FROM leadhouse.leads WHERE deleted_at IS NOT NULL ORDER BY lead_id',
      );
      assert.deepEqual(
        rows.map((x) => x.lead_id),
        ['31005', '31200'],
      );
      const again = await reconcileDeleted(
        t.db,
        api,
        new QuotaGate(t.db, 'office_a', src.dailyQuota, now),
        'office_a',
        now,
      );
      assert.ok(again.ok && again.value.deleted.length === 0, 'idempotent');
      const tight = apiFor(t.db, 'office_a', { ...src, dailyQuota: 15 }, now)!;
      const skipped = await reconcileDeleted(
        t.db,
        tight,
        new QuotaGate(t.db, 'office_a', 15, now),
        'office_a',
        now,
      );
      assert.ok(
        !skipped.ok && skipped.error.kind === 'budget',
        'a partial listing proves nothing: not started',
      );
    });

    test('a bad API key stops the sync with the API error, nothing written', async () => {
      const r = await runSync(t.db, 'office_a', { ...src, apiKey: 'wrong' }, { now, sleep, wait: true });
      assert.equal(r.status, 'stopped');
      assert.equal(r.status === 'stopped' && r.failure.kind === 'http' && r.failure.status, 401);
      assert.equal(await count('SELECT count(*)::int AS n FROM leadhouse.events'), 0);
    });
  });
}
