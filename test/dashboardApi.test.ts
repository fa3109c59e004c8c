import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../src/server/app.js';
import { API_TOKEN, envelope, leadData, postWebhook, testApp } from './helpers/app.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const AUTH = { authorization: `Bearer ${API_TOKEN}` };

/** The read endpoints the dashboard adds: drill-down filters on /leads and /sources/health. */
for (const driver of testDrivers()) {
  describe(`dashboard read API (${driver.name})`, () => {
    let t: TestDb;
    let app: App;
    const get = (url: string) => app.fastify.inject({ method: 'GET', url, headers: AUTH });
    const ids = async (url: string) => {
      const res = await get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      return (res.json().data as { id: string }[]).map((l) => l.id).sort();
    };

    before(async () => {
      t = await driver.open();
      app = await testApp(t.db, { timezone: 'Europe/Madrid' });
      const post = async (event: string, data: Record<string, unknown>) =>
        assert.equal((await postWebhook(app, envelope(event, data))).statusCode, 200);
      // 1: entered 4 March, Referido → Visita → won on 2 April (no closed_at: close time = status change).
      await post('lead.creation', leadData(1));
      await post(
        'lead.step.changed',
        leadData(1, { step: 'Visita', step_id: 103, updated_at: '2025-03-10T10:00:00Z' }),
      );
      await post(
        'lead.status.changed',
        leadData(1, {
          step: 'Visita',
          step_id: 103,
          status: 'won',
          amount: 210000,
          updated_at: '2025-04-02T10:00:00Z',
        }),
      );
      // 2: entered 20 March, lost on 31 March at 23:30 UTC = 1 April in Madrid.
      const at2 = '2025-03-20T09:00:00Z';
      await post('lead.creation', leadData(2, { created_at: at2, updated_at: at2 }));
      await post(
        'lead.status.changed',
        leadData(2, { created_at: at2, status: 'lost', updated_at: '2025-03-31T23:30:00Z' }),
      );
      // 3: entered 5 April, unassigned, open.
      const at3 = '2025-04-05T09:00:00Z';
      await post('lead.creation', leadData(3, { created_at: at3, updated_at: at3, user: null }));
    });
    after(async () => {
      await app.fastify.close();
      await t.close();
    });

    test('status groups, close and entry periods in the reporting time zone', async () => {
      assert.deepEqual(await ids('/api/v1/leads?status_group=won'), ['1']);
      assert.deepEqual(await ids('/api/v1/leads?status_group=closed'), ['1', '2']);
      assert.deepEqual(await ids('/api/v1/leads?status_group=open'), ['3']);
      assert.deepEqual(await ids('/api/v1/leads?closed_from=2025-04-01&closed_to=2025-04-30'), ['1', '2']);
      assert.deepEqual(await ids('/api/v1/leads?closed_from=2025-03-01&closed_to=2025-03-31'), []);
      assert.deepEqual(
        await ids('/api/v1/leads?status_group=won&closed_from=2025-04-02&closed_to=2025-04-02'),
        ['1'],
      );
      assert.deepEqual(await ids('/api/v1/leads?entered_from=2025-03-01&entered_to=2025-03-31'), ['1', '2']);
      assert.deepEqual(await ids('/api/v1/leads?entered_from=2025-04-01'), ['3']);
    });

    test('reached step, owner none, pipeline, channel, stale days', async () => {
      assert.deepEqual(await ids('/api/v1/leads?reached_step=Visita'), ['1']);
      assert.deepEqual(await ids('/api/v1/leads?reached_step=Visita,Referido'), ['1', '2', '3']);
      assert.deepEqual(await ids('/api/v1/leads?owner=none'), ['3']);
      assert.deepEqual(await ids('/api/v1/leads?pipeline=Ventas&channel=webhook'), ['1', '2', '3']);
      assert.deepEqual(await ids('/api/v1/leads?channel=file'), []);
      assert.deepEqual(await ids('/api/v1/leads?status_group=open&stale_days=30'), ['3']);
      assert.deepEqual(await ids('/api/v1/leads?status_group=open&stale_days=36500'), []);
    });

    test('each lead carries its close time and when it entered its step', async () => {
      const body = (await get('/api/v1/leads?status_group=won')).json();
      assert.equal(new Date(body.data[0].close_time).toISOString(), '2025-04-02T10:00:00.000Z');
      assert.equal(new Date(body.data[0].step_since).toISOString(), '2025-03-10T10:00:00.000Z');
      const open = (await get('/api/v1/leads?status_group=open')).json();
      assert.equal(open.data[0].close_time, null);
    });

    test('bad drill-down parameters → 400 naming them', async () => {
      for (const [url, re] of [
        ['/api/v1/leads?closed_from=2025-02-30', /closed_from/],
        ['/api/v1/leads?entered_to=April', /entered_to/],
        ['/api/v1/leads?status_group=maybe', /status_group/],
        ['/api/v1/leads?stale_days=-1', /stale_days/],
        ['/api/v1/leads?channel=fax', /channel/],
      ] as const) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(res.json().error.message, re, url);
      }
    });

    test('sources/health: last event, freshness, rate, quarantine, deliveries', async () => {
      const res = await get('/api/v1/sources/health');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      const a = body.sources.find((s: { source: string }) => s.source === 'office_a');
      assert.ok(a.last_received_at);
      assert.ok(a.freshness_seconds >= 0 && a.freshness_seconds < 600);
      assert.equal(a.events_last_hour, 6);
      assert.equal(a.events_last_24h, 6);
      assert.equal(a.quarantined, 0);
      assert.equal(a.failed_deliveries, null);
      const t = body.sources.find((s: { source: string }) => s.source === 'office_t');
      assert.equal(t.last_received_at, null);
      assert.equal(t.freshness_seconds, null);
      assert.equal(body.per_hour.filter((r: { source: string }) => r.source === 'office_a').length, 24);
      assert.equal((await app.fastify.inject({ url: '/api/v1/sources/health' })).statusCode, 401);
    });
  });
}
