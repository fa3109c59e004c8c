import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../src/server/app.js';
import { API_TOKEN, envelope, leadData, postWebhook, testApp } from './helpers/app.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const AUTH = { authorization: `Bearer ${API_TOKEN}` };

for (const driver of testDrivers()) {
  describe(`read API (${driver.name})`, () => {
    let t: TestDb;
    let app: App;
    const get = (url: string, headers: Record<string, string> = AUTH) =>
      app.fastify.inject({ method: 'GET', url, headers });

    before(async () => {
      t = await driver.open();
      app = await testApp(t.db);
      const post = (body: unknown) => postWebhook(app, body);
      // 25 leads; lead 1 moves twice and is won; lead 2 belongs to another owner; lead 3 is deleted.
      for (let i = 1; i <= 25; i++) {
        const at = new Date(Date.UTC(2025, 2, 1, 9, i)).toISOString();
        await post(envelope('lead.creation', leadData(i, { created_at: at, updated_at: at })));
      }
      await post(
        envelope(
          'lead.step.changed',
          leadData(1, { step: 'Visita', step_id: 103, updated_at: '2025-03-02T10:00:00Z' }),
        ),
      );
      await post(
        envelope(
          'lead.status.changed',
          leadData(1, {
            step: 'Visita',
            step_id: 103,
            status: 'won',
            amount: 200000,
            closed_at: '2025-03-03T10:00:00Z',
            updated_at: '2025-03-03T10:00:00Z',
          }),
        ),
      );
      await post(
        envelope(
          'lead.assigned',
          leadData(2, { user: { id: 7, email: 'ana@example.com' }, updated_at: '2025-03-02T09:00:00Z' }),
        ),
      );
      await post(envelope('lead.deleted', { id: 3, title: 'Piso 3', updated_at: '2025-03-02T12:00:00Z' }));
    });
    after(async () => {
      await app.fastify.close();
      await t.close();
    });

    test('the API needs the bearer token', async () => {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-token-wrong-token' },
        { authorization: API_TOKEN },
      ]) {
        const res = await get('/api/v1/leads', headers);
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().error.code, 'unauthorized');
      }
      assert.equal((await get('/api/v1/events', {})).statusCode, 401);
      assert.equal((await get('/api/v1/leads/office_a/1', {})).statusCode, 401);
    });

    test('without a configured token every API call is refused; health stays open', async () => {
      const open = await testApp(t.db, { apiToken: undefined });
      assert.equal(
        (await open.fastify.inject({ method: 'GET', url: '/api/v1/leads', headers: AUTH })).statusCode,
        401,
      );
      assert.equal((await open.fastify.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      assert.equal((await open.fastify.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      await open.fastify.close();
    });

    test('leads: cursor pagination visits every lead once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/v1/leads?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { data: Array<{ id: string }>; next_cursor: string | null };
        assert.ok(body.data.length <= 7);
        seen.push(...body.data.map((l) => l.id));
        cursor = body.next_cursor;
      } while (cursor);
      assert.equal(seen.length, 24, 'the deleted lead is left out by default');
      assert.equal(new Set(seen).size, 24);
      const all = await get('/api/v1/leads?include_deleted=true&limit=100');
      assert.equal(all.json().data.length, 25);
    });

    test('leads: filters by status, step (name or id), owner and updated_since', async () => {
      const won = (await get('/api/v1/leads?status=won')).json().data;
      assert.deepEqual(
        won.map((l: { id: string }) => l.id),
        ['1'],
      );
      assert.equal(won[0].amount, 200000);
      assert.equal((await get('/api/v1/leads?step=Visita')).json().data.length, 1);
      assert.equal((await get('/api/v1/leads?step=103')).json().data.length, 1);
      const ana = (await get('/api/v1/leads?owner=ANA@example.com')).json().data;
      assert.deepEqual(
        ana.map((l: { id: string }) => l.id),
        ['2'],
      );
      const recent = (await get('/api/v1/leads?updated_since=2025-03-02T00:00:00Z')).json().data;
      assert.deepEqual(recent.map((l: { id: string }) => l.id).sort(), ['1', '2']);
      assert.equal((await get('/api/v1/leads?source=office_b')).json().data.length, 0);
    });

    test('bad parameters → 400 naming the parameter', async () => {
      const cases: Array<[string, RegExp]> = [
        ['/api/v1/leads?limit=0', /limit/],
        ['/api/v1/leads?limit=abc', /limit/],
        ['/api/v1/leads?updated_since=yesterday', /updated_since/],
        ['/api/v1/leads?cursor=notacursor', /cursor/],
        ['/api/v1/leads?source=Office%20A', /source/],
        ['/api/v1/events?cursor=-1', /cursor/],
      ];
      for (const [url, re] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().error.code, 'invalid_parameter', url);
        assert.match(res.json().error.message, re, url);
      }
    });

    test('one lead: state, stage history and raw events', async () => {
      const res = await get('/api/v1/leads/office_a/1');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.lead.status, 'won');
      assert.deepEqual(
        body.stage_history.map((s: { to_step: string; to_status: string }) => [s.to_step, s.to_status]),
        [
          ['Referido', 'todo'],
          ['Visita', 'todo'],
          ['Visita', 'won'],
        ],
      );
      assert.equal(body.events.length, 3);
      assert.equal(body.events[0].raw.webhook_event.event, 'lead.creation');
      const missing = await get('/api/v1/leads/office_a/99999');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'not_found');
    });

    test('events: filter by source, type (unified or provider name), lead; cursor', async () => {
      const byLead = (await get('/api/v1/events?lead=1')).json().data;
      assert.equal(byLead.length, 3);
      assert.equal((await get('/api/v1/events?type=lead.status_changed')).json().data.length, 1);
      assert.equal((await get('/api/v1/events?type=lead.status.changed')).json().data.length, 1);
      assert.equal((await get('/api/v1/events?source=office_b')).json().data.length, 0);
      const first = (await get('/api/v1/events?limit=10')).json();
      assert.equal(first.data.length, 10);
      const next = (await get(`/api/v1/events?limit=100&cursor=${first.next_cursor}`)).json();
      assert.equal(next.data.length, 29 - 10);
      assert.ok(next.data[0].id > first.data[9].id);
    });

    test('unknown routes are JSON 404s', async () => {
      const res = await get('/api/v1/nothing');
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'not_found');
    });
  });
}
