import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nocrmSource } from '../src/core/config.js';
import { API_TOKEN, envelope, KEY_A, leadData, postWebhook, SOURCES, testApp } from './helpers/app.js';
import { testDrivers } from './helpers/testDb.js';

const STEPS = { Referido: 101, Contactado: 102, Visita: 103 } as const;
type Step = keyof typeof STEPS;

/** Four leads whose histories are written out by hand (see the expectations below). */
const HISTORIES: Array<[lead: number, steps: Step[]]> = [
  [1, ['Referido', 'Contactado', 'Visita']],
  [2, ['Referido', 'Contactado']],
  [3, ['Visita']], // entered directly at the third step
  [4, ['Referido', 'Visita', 'Contactado']], // moved back
];

async function load(app: Awaited<ReturnType<typeof testApp>>) {
  for (const [id, steps] of HISTORIES)
    for (const [i, step] of steps.entries()) {
      const at = `2026-03-0${i + 1}T10:00:00.000Z`;
      const data = leadData(id, {
        step,
        step_id: STEPS[step],
        created_at: '2026-03-01T10:00:00.000Z',
        updated_at: at,
      });
      const r = await postWebhook(app, envelope(i === 0 ? 'lead.creation' : 'lead.step.changed', data));
      assert.equal(r.statusCode, 200, r.body);
    }
}

async function funnel(app: Awaited<ReturnType<typeof testApp>>) {
  const r = await app.fastify.inject({
    url: '/api/v1/metrics/funnel?from=2026-03-01&to=2026-03-31&source=office_a',
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  assert.equal(r.statusCode, 200, r.body);
  return (
    r.json() as { rows: Array<{ stage: string; value: number; step_conversion: number | null }> }
  ).rows.map((x) => [x.stage, x.value, x.step_conversion] as const);
}

async function funnelOf(app: Awaited<ReturnType<typeof testApp>>, query: string) {
  const r = await app.fastify.inject({
    url: `/api/v1/metrics/funnel?${query}`,
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  assert.equal(r.statusCode, 200, r.body);
  return (r.json() as { rows: Array<{ stage: string; value: number }> }).rows.map(
    (x) => [x.stage, x.value] as const,
  );
}

for (const driver of testDrivers())
  describe(`funnel stage order (${driver.name})`, () => {
    test('by step id when nothing else is known; a lead reached every stage up to the furthest it got', async () => {
      const t = await driver.open();
      const app = await testApp(t.db);
      try {
        await load(app);
        // The ingest registered every step it saw (no position: nothing was synced).
        const { rows } = await t.db.query<{ step_id: number; name: string; position: number | null }>(
          'SELECT step_id::int AS step_id, name, position FROM leadhouse.stages ORDER BY step_id',
        );
        assert.deepEqual(rows, [
          { step_id: 101, name: 'Referido', position: null },
          { step_id: 102, name: 'Contactado', position: null },
          { step_id: 103, name: 'Visita', position: null },
        ]);
        assert.deepEqual(await funnel(app), [
          ['Referido', 4, null],
          ['Contactado', 4, 1],
          ['Visita', 3, 0.75],
        ]);
      } finally {
        await app.fastify.close();
        await t.close();
      }
    });

    test('the synced /steps positions win over step ids; the configured stages win over both', async () => {
      const t = await driver.open();
      const synced = await testApp(t.db);
      try {
        await load(synced);
        await t.db.query(
          `INSERT INTO leadhouse.stages (source_id, step_id, name, position) VALUES
           ('office_a', 101, 'Referido', 0), ('office_a', 103, 'Visita', 1), ('office_a', 102, 'Contactado', 2)
           ON CONFLICT (source_id, step_id) DO UPDATE SET name = excluded.name, position = excluded.position`,
        );
        assert.deepEqual(await funnel(synced), [
          ['Referido', 4, null],
          ['Visita', 4, 1],
          ['Contactado', 3, 0.75],
        ]);
      } finally {
        await synced.fastify.close();
      }
      const configured = await testApp(t.db, {
        sources: {
          ...SOURCES,
          office_a: nocrmSource({ apiKey: KEY_A, stages: ['Visita', 'Contactado', 'Referido'] }),
        },
      });
      try {
        // Lead 3 only ever sat in Visita, now the first stage: it reached nothing after it.
        assert.deepEqual(await funnel(configured), [
          ['Visita', 4, null],
          ['Contactado', 3, 0.75],
          ['Referido', 3, 1],
        ]);
      } finally {
        await configured.fastify.close();
        await t.close();
      }
    });

    test("a period whose leads saw only the first steps still lists every step the source's history named", async () => {
      const t = await driver.open();
      const app = await testApp(t.db);
      try {
        await load(app); // March: steps 101–103
        const late = leadData(9, {
          step: 'Referido',
          step_id: 101,
          created_at: '2026-05-02T10:00:00.000Z',
          updated_at: '2026-05-02T10:00:00.000Z',
        });
        assert.equal((await postWebhook(app, envelope('lead.creation', late))).statusCode, 200);
        assert.deepEqual(await funnelOf(app, 'from=2026-05-01&to=2026-05-31&source=office_a'), [
          ['Referido', 1],
          ['Contactado', 0],
          ['Visita', 0],
        ]);
      } finally {
        await app.fastify.close();
        await t.close();
      }
    });
  });
