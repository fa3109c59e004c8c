import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../src/server/app.js';
import { envelope, leadData, postWebhook, testApp } from './helpers/app.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

/** The seed's tables (shared/seeds/000 §1, and the reference schema for lead_deleted): name → type. */
const SEED: Record<string, Array<[string, string]>> = {
  lead_created: [
    ['id', 'bigint'],
    ['event', 'text'],
    ['signature', 'text'],
    ['has_succeeded', 'boolean'],
    ['try_count', 'integer'],
    ['last_returned_code', 'integer'],
    ['received_at', 'timestamp without time zone'],
    ['lead_id', 'bigint'],
    ['title', 'text'],
    ['status', 'text'],
    ['step', 'text'],
    ['amount', 'numeric'],
    ['created_at_utc', 'timestamp without time zone'],
    ['updated_at_utc', 'timestamp without time zone'],
    ['user_email', 'text'],
    ['permalink', 'text'],
    ['raw_data', 'jsonb'],
    ['client_folder_id', 'bigint'],
    ['client_folder_name', 'text'],
  ],
  step_changed: [
    ['id', 'bigint'],
    ['event', 'text'],
    ['signature', 'text'],
    ['has_succeeded', 'boolean'],
    ['try_count', 'integer'],
    ['last_returned_code', 'integer'],
    ['received_at', 'timestamp with time zone'],
    ['lead_id', 'bigint'],
    ['lead_title', 'text'],
    ['lead_status', 'text'],
    ['lead_step', 'text'],
    ['lead_amount', 'numeric'],
    ['lead_created_at', 'timestamp with time zone'],
    ['lead_updated_at', 'timestamp with time zone'],
    ['lead_user_email', 'text'],
    ['lead_permalink', 'text'],
    ['raw_data', 'jsonb'],
    ['step_id', 'integer'],
    ['pipeline', 'text'],
    ['created_at_utc', 'timestamp with time zone'],
    ['updated_at_utc', 'timestamp with time zone'],
    ['moved_by', 'text'],
  ],
  lead_deleted: [
    ['id', 'bigint'],
    ['event', 'text'],
    ['signature', 'text'],
    ['has_succeeded', 'boolean'],
    ['try_count', 'integer'],
    ['last_returned_code', 'integer'],
    ['received_at', 'timestamp without time zone'],
    ['lead_id', 'bigint'],
    ['title', 'text'],
    ['deleted_at_utc', 'timestamp without time zone'],
    ['user_email', 'text'],
    ['permalink', 'text'],
    ['raw_data', 'jsonb'],
  ],
  client_folder_created: [
    ['id', 'bigint'],
    ['event', 'text'],
    ['signature', 'text'],
    ['has_succeeded', 'boolean'],
    ['try_count', 'integer'],
    ['last_returned_code', 'integer'],
    ['received_at', 'timestamp without time zone'],
    ['folder_id', 'bigint'],
    ['folder_name', 'text'],
    ['created_at_utc', 'timestamp without time zone'],
    ['raw_data', 'jsonb'],
  ],
};

for (const driver of testDrivers()) {
  describe(`seed-compatible views (${driver.name})`, () => {
    let t: TestDb;
    let app: App;
    const post = (body: unknown) => postWebhook(app, body, '/webhook/office_a');

    before(async () => {
      t = await driver.open();
      app = await testApp(t.db);
    });
    after(async () => {
      await app.fastify.close();
      await t.close();
    });

    test('each view has exactly the seed table’s columns, in order, with its types', async () => {
      for (const [suffix, cols] of Object.entries(SEED)) {
        const { rows } = await t.db.query<{ column_name: string; data_type: string }>(
          `SELECT column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
          [`office_a_${suffix}`],
        );
        assert.deepEqual(
          rows.map((r) => [r.column_name, r.data_type]),
          cols,
          suffix,
        );
      }
    });

    test('rows carry what the seed stored', async () => {
      const created = envelope('lead.creation', leadData(501, { amount: '99000.5' }), { id: 880001 });
      const moved = envelope(
        'lead.step.changed',
        leadData(501, { step: 'Visita', step_id: 103, updated_at: '2025-03-05T10:00:00.000Z' }),
        {
          id: 880002,
        },
      );
      const deleted = envelope(
        'lead.deleted',
        {
          id: 501,
          title: 'Piso 501',
          updated_at: '2025-03-06T11:00:00.000Z',
          user: { email: 'Stef@example.com' },
          permalink: 'p',
        },
        { id: 880003 },
      );
      const folder = envelope(
        'client_folder.created',
        { id: 9001, name: 'Globex', created_at: '2025-03-02T10:20:00.000Z' },
        { id: 880004 },
      );
      for (const b of [created, moved, deleted, folder]) assert.equal((await post(b)).statusCode, 200);

      const lc = await t.db.query<Record<string, unknown>>(
        'SELECT * FROM public.office_a_lead_created WHERE id = 880001',
      );
      assert.equal(lc.rows[0]?.['lead_id'], 501);
      assert.equal(lc.rows[0]?.['amount'], '99000.5');
      assert.equal(lc.rows[0]?.['client_folder_id'], 5521);
      assert.equal(lc.rows[0]?.['user_email'], 'stef@example.com');
      assert.deepEqual(lc.rows[0]?.['raw_data'], created);
      const sc = await t.db.query<Record<string, unknown>>(
        'SELECT * FROM public.office_a_step_changed WHERE id = 880002',
      );
      assert.equal(sc.rows[0]?.['lead_step'], 'Visita');
      assert.equal(sc.rows[0]?.['step_id'], 103);
      assert.equal((sc.rows[0]!['updated_at_utc'] as Date).toISOString(), '2025-03-05T10:00:00.000Z');
      assert.equal(sc.rows[0]?.['moved_by'], 'stef@example.com');
      const ld = await t.db.query<Record<string, unknown>>(
        'SELECT lead_id, user_email FROM public.office_a_lead_deleted WHERE id = 880003',
      );
      assert.deepEqual(ld.rows[0], { lead_id: 501, user_email: 'Stef@example.com' });
      const cf = await t.db.query<Record<string, unknown>>(
        'SELECT folder_id, folder_name FROM public.office_a_client_folder_created WHERE id = 880004',
      );
      assert.deepEqual(cf.rows[0], { folder_id: 9001, folder_name: 'Globex' });
    });
  });
}
