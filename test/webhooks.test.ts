import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../src/server/app.js';
import { openPostgres } from '../src/store/postgres.js';
import {
  countEvents,
  envelope,
  KEY_A,
  KEY_T,
  leadData,
  sign,
  testApp,
  WEBHOOK_TOKEN,
} from './helpers/app.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const JSON_CT = { 'content-type': 'application/json' };

for (const driver of testDrivers()) {
  describe(`noCRM webhooks (${driver.name})`, () => {
    let t: TestDb;
    let app: App;
    const post = (url: string, body: unknown, headers: Record<string, string> = JSON_CT) =>
      app.fastify.inject({
        method: 'POST',
        url,
        headers,
        payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });

    before(async () => {
      t = await driver.open();
      app = await testApp(t.db);
    });
    after(async () => {
      await app.fastify.close();
      await t.close();
    });

    test('a signed lead.creation is stored and projected before the 200', async () => {
      const res = await post('/webhooks/office_a', envelope('lead.creation', leadData(1)));
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'stored');
      const { rows } = await t.db.query<Record<string, unknown>>(
        "SELECT title, step, status, amount, owner_email, folder_name FROM leadhouse.leads WHERE source_id = 'office_a' AND lead_id = '1'",
      );
      assert.deepEqual(rows[0], {
        title: 'Piso 1',
        step: 'Referido',
        status: 'todo',
        amount: '150000',
        owner_email: 'stef@example.com',
        folder_name: 'Cartera Stef',
      });
    });

    test('the seed path /webhook/:source works too', async () => {
      const res = await post('/webhook/office_a', envelope('lead.creation', leadData(2)));
      assert.equal(res.statusCode, 200, res.body);
    });

    test('signature: wrong, missing, or made with another key → 401, nothing stored', async () => {
      const before = await countEvents(t.db);
      const cases = [
        envelope('lead.creation', leadData(3), { signature: '0'.repeat(40) }),
        envelope('lead.creation', leadData(3), { signature: null }),
        envelope('lead.creation', leadData(3), { signature: '' }),
        envelope('lead.creation', leadData(3), { key: KEY_T }),
        envelope('lead.creation', leadData(3), { signature: sign(999, KEY_A) }),
      ];
      for (const body of cases) {
        const res = await post('/webhooks/office_a', body);
        assert.equal(res.statusCode, 401, res.body);
        assert.match(res.json().error.code, /signature/);
      }
      assert.equal(await countEvents(t.db), before);
    });

    test('JSON with a charset, any case, or as +json is accepted', async () => {
      for (const ct of [
        'application/json; charset=utf-8',
        'Application/JSON',
        'application/vnd.nocrm+json; charset=UTF-8',
      ]) {
        const res = await post('/webhooks/office_a', envelope('lead.creation', leadData(40)), {
          'content-type': ct,
        });
        assert.equal(res.statusCode, 200, `${ct}: ${res.body}`);
      }
    });

    test('signature is case-insensitive hex', async () => {
      const body = envelope('lead.creation', leadData(4));
      body.webhook_event['signature'] = String(body.webhook_event['signature']).toUpperCase();
      assert.equal((await post('/webhooks/office_a', body)).statusCode, 200);
    });

    test('webhookToken: ?token= is required and must match', async () => {
      const before = await countEvents(t.db);
      const body = () => envelope('lead.creation', leadData(5), { key: KEY_T });
      for (const url of [
        '/webhooks/office_t',
        '/webhooks/office_t?token=nope',
        '/webhooks/office_t?token=',
      ]) {
        const res = await post(url, body());
        assert.equal(res.statusCode, 401, url);
        assert.equal(res.json().error.code, 'invalid_token');
      }
      assert.equal(await countEvents(t.db), before);
      const ok = await post(`/webhooks/office_t?token=${WEBHOOK_TOKEN}`, body());
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('bad input: each case gets its status and code, and stores nothing', async () => {
      const good = () => envelope('lead.creation', leadData(6));
      const cases: Array<[string, () => Promise<{ statusCode: number; body: string }>, number, string]> = [
        ['unknown source', () => post('/webhooks/office_x', good()), 404, 'unknown_source'],
        ['upper-case source', () => post('/webhooks/OFFICE_A', good()), 404, 'unknown_source'],
        [
          'injection in source',
          () => post('/webhooks/office_a%3B%20DROP%20TABLE%20x', good()),
          404,
          'unknown_source',
        ],
        [
          'text/plain',
          () => post('/webhooks/office_a', good(), { 'content-type': 'text/plain' }),
          415,
          'unsupported_media_type',
        ],
        [
          'form',
          () => post('/webhooks/office_a', good(), { 'content-type': 'application/x-www-form-urlencoded' }),
          415,
          'unsupported_media_type',
        ],
        [
          'no content type',
          () => post('/webhooks/office_a', JSON.stringify(good()), {}),
          415,
          'unsupported_media_type',
        ],
        [
          'malformed JSON',
          () => post('/webhooks/office_a', '{"webhook_event": {"id": 1,'),
          400,
          'invalid_json',
        ],
        ['empty body', () => post('/webhooks/office_a', ''), 400, 'invalid_json'],
        ['array', () => post('/webhooks/office_a', '[]'), 400, 'invalid_payload'],
        ['null', () => post('/webhooks/office_a', 'null'), 400, 'invalid_payload'],
        ['empty object', () => post('/webhooks/office_a', '{}'), 400, 'invalid_payload'],
        [
          'id not an integer',
          () =>
            post('/webhooks/office_a', {
              webhook_event: { id: 'abc', event: 'lead.creation', signature: 's', data: {} },
            }),
          400,
          'invalid_payload',
        ],
        [
          'data null',
          () => post('/webhooks/office_a', envelope('lead.creation', null)),
          400,
          'invalid_payload',
        ],
        [
          'amount not numeric',
          () =>
            post('/webhooks/office_a', envelope('lead.creation', leadData(7, { amount: 'not a number' }))),
          400,
          'invalid_payload',
        ],
        [
          'lead without id',
          () => post('/webhooks/office_a', envelope('lead.step.changed', leadData(8, { id: undefined }))),
          400,
          'invalid_payload',
        ],
        [
          'bad timestamp',
          () =>
            post('/webhooks/office_a', envelope('lead.creation', leadData(9, { updated_at: 'yesterday' }))),
          400,
          'invalid_payload',
        ],
        [
          'try_count not a number',
          () => {
            const b = good();
            b.webhook_event['try_count'] = 'x';
            return post('/webhooks/office_a', b);
          },
          400,
          'invalid_payload',
        ],
      ];
      const before = await countEvents(t.db);
      for (const [name, run, status, code] of cases) {
        const res = await run();
        assert.equal(res.statusCode, status, `${name}: ${res.body}`);
        const body = JSON.parse(res.body) as { error: { code: string; message: string } };
        assert.equal(body.error.code, code, name);
        assert.ok(body.error.message.length > 5, name);
      }
      assert.equal(await countEvents(t.db), before);
    });

    test('a body over 1 MiB → 413, nothing stored', async () => {
      const before = await countEvents(t.db);
      const big = envelope('lead.creation', leadData(10, { description: 'x'.repeat(2 * 1024 * 1024) }));
      const res = await post('/webhooks/office_a', big);
      assert.equal(res.statusCode, 413);
      assert.equal(res.json().error.code, 'payload_too_large');
      assert.equal(await countEvents(t.db), before);
    });

    test('the body error message names the field', async () => {
      const res = await post('/webhooks/office_a', envelope('lead.creation', leadData(11, { amount: [1] })));
      assert.equal(res.statusCode, 400);
      assert.match(res.json().error.message, /webhook_event\.data\.amount/);
    });

    test('redelivery of the same webhook id is a no-op that still answers 200', async () => {
      const body = envelope('lead.step.changed', leadData(12, { step: 'Contactado', step_id: 102 }));
      const first = await post('/webhooks/office_a', body);
      const before = await countEvents(t.db);
      body.webhook_event['try_count'] = 2;
      const again = await post('/webhooks/office_a', body);
      assert.equal(first.statusCode, 200);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().status, 'duplicate');
      assert.equal(await countEvents(t.db), before);
    });

    test('accepts client or client_folder, flat user, numeric-string amounts, timestamps without ms', async () => {
      const data = leadData(13, {
        client: undefined,
        client_folder: { id: '77', name: 'Folder 77' },
        user: undefined,
        user_id: 640,
        user_email: 'Ana@Example.com',
        amount: '210000.50',
        updated_at: '2025-03-05T10:00:00Z',
      });
      const res = await post('/webhooks/office_a', envelope('lead.any_update', data));
      assert.equal(res.statusCode, 200, res.body);
      const { rows } = await t.db.query<Record<string, unknown>>(
        "SELECT amount, owner_email, owner_id, folder_id, folder_name, updated_at FROM leadhouse.leads WHERE lead_id = '13'",
      );
      assert.deepEqual(rows[0], {
        amount: '210000.50',
        owner_email: 'ana@example.com',
        owner_id: '640',
        folder_id: '77',
        folder_name: 'Folder 77',
        updated_at: new Date('2025-03-05T10:00:00Z'),
      });
    });

    test('an unknown event type is stored raw as unrecognised, and counted', async () => {
      const body = envelope('lead.manual.trigger', { id: 14, anything: [1, 2] });
      const res = await post('/webhooks/office_a', body);
      assert.equal(res.statusCode, 200, res.body);
      const { rows } = await t.db.query<{ type: string; raw: unknown; event: string }>(
        "SELECT type, raw, meta->>'event' AS event FROM leadhouse.events WHERE external_id = $1",
        [String(body.webhook_event['id'])],
      );
      assert.equal(rows[0]?.type, 'unrecognised');
      assert.equal(rows[0]?.event, 'lead.manual.trigger');
      assert.deepEqual(rows[0]?.raw, body);
      const metrics = await app.fastify.inject({ method: 'GET', url: '/metrics' });
      assert.match(
        metrics.body,
        /leadhouse_unrecognised_events_total\{source="office_a",event="lead.manual.trigger"\} 1/,
      );
    });

    test('raw keeps the unaltered payload; received_at and occurred_at are separate', async () => {
      const body = envelope(
        'lead.step.changed',
        leadData(15, { updated_at: '2024-01-02T03:04:05.678Z', extra: { a: 1 } }),
      );
      await post('/webhooks/office_a', body);
      const { rows } = await t.db.query<{ raw: unknown; occurred_at: Date; received_at: Date }>(
        'SELECT raw, occurred_at, received_at FROM leadhouse.events WHERE external_id = $1',
        [String(body.webhook_event['id'])],
      );
      assert.deepEqual(rows[0]?.raw, body);
      assert.equal(rows[0]?.occurred_at.toISOString(), '2024-01-02T03:04:05.678Z');
      assert.ok(Date.now() - rows[0]!.received_at.getTime() < 60_000);
    });
  });
}

describe('database unavailable', () => {
  test('a webhook is answered 503 (so noCRM retries), never 2xx', async () => {
    const dead = openPostgres({ url: 'postgres://nobody@127.0.0.1:1/none' });
    const { buildApp } = await import('../src/server/app.js');
    const { createLogger } = await import('../src/core/logger.js');
    const { testConfig } = await import('./helpers/app.js');
    const app = await buildApp({ config: testConfig(), db: dead, log: createLogger('silent') });
    const res = await app.fastify.inject({
      method: 'POST',
      url: '/webhooks/office_a',
      headers: JSON_CT,
      payload: JSON.stringify(envelope('lead.creation', leadData(20))),
    });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, 'database_unavailable');
    const ready = await app.fastify.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    await app.fastify.close();
    await dead.close();
  });
});
