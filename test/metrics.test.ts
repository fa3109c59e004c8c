import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { nocrmSource, type SourceConfig } from '../src/core/config.js';
import type { App } from '../src/server/app.js';
import type { Db } from '../src/store/db.js';
import { API_TOKEN, testApp } from './helpers/app.js';
import {
  boundaryDataset,
  KEYS,
  metricsDataset,
  STAGES_TABLE,
  stageOrder,
  TZ,
} from './helpers/metricsDataset.js';
import {
  addDays,
  bucketOf,
  COUNT_METRICS,
  computeMetric,
  type Delivery,
  type Goal,
  localDate,
  localToUtc,
  type MetricQuery,
  type OracleContext,
  projectDeliveries,
  RATE_METRICS,
  type Row,
  rowKey,
  SUM_METRICS,
  workingDays,
} from './helpers/metricsOracle.js';
import { type TestDb, testDrivers } from './helpers/testDb.js';

const SOURCES: Record<string, SourceConfig> = {
  office_a: nocrmSource({ apiKey: KEYS['office_a']! }),
  office_b: nocrmSource({ apiKey: KEYS['office_b']! }),
};
const AUTH = { authorization: `Bearer ${API_TOKEN}` };
const ALL_METRICS = [
  ...COUNT_METRICS,
  ...SUM_METRICS,
  ...RATE_METRICS,
  'funnel',
  'stage_duration',
  'leaderboard',
  'activity',
  'goal_progress',
];
const MONEY = new Set<string>(['sales_amount', 'ticket_average', 'pipeline_value', 'pipeline_weighted']);
const TOL = { count: 0, money: 0.011, rate: 2e-6, days: 0.006 };
const isRate = (metric: string) => (RATE_METRICS as readonly string[]).includes(metric);
const tolOf = (metric: string) =>
  MONEY.has(metric) ? TOL.money : (RATE_METRICS as readonly string[]).includes(metric) ? TOL.rate : TOL.count;

/** Posts deliveries over the webhook endpoint, `concurrency` at a time; every one must be 200. */
async function deliver(app: App, deliveries: readonly Delivery[], concurrency = 16): Promise<void> {
  for (let i = 0; i < deliveries.length; i += concurrency) {
    const res = await Promise.all(
      deliveries.slice(i, i + concurrency).map((d) =>
        app.fastify.inject({
          method: 'POST',
          url: `/webhooks/${d.source}`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(d.body),
        }),
      ),
    );
    for (const r of res) assert.equal(r.statusCode, 200, r.body);
  }
}

function queryString(q: Partial<MetricQuery>): string {
  const p = new URLSearchParams();
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (q.source) p.set('source', q.source.join(','));
  if (q.owner) p.set('owner', q.owner.map((o) => o ?? 'none').join(','));
  if (q.pipeline !== undefined) p.set('pipeline', q.pipeline);
  if (q.by?.length) p.set('by', q.by.join(','));
  if (q.asOf) p.set('asOf', q.asOf);
  return p.toString();
}

interface MetricBody {
  metric: string;
  unit: string;
  definition: string;
  filters: Record<string, unknown>;
  by: string[];
  rows: Row[];
}

async function getMetric(app: App, name: string, q: Partial<MetricQuery> | string) {
  const qs = typeof q === 'string' ? q : queryString(q);
  const res = await app.fastify.inject({
    method: 'GET',
    url: `/api/v1/metrics/${name}?${qs}`,
    headers: AUTH,
  });
  return {
    status: res.statusCode,
    body: res.json() as MetricBody & { error?: { code: string; message: string } },
    res,
  };
}

const toNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** An empty group: every compared field null (or 0, for counts and sums). */
const isEmpty = (r: Row, fields: readonly string[], zero: boolean) =>
  fields.every((f) => r[f] === null || r[f] === undefined || (zero && Number(r[f]) === 0));

/**
 * Compares API rows with the oracle's, keyed by `keys`. With `strict`, both row sets must be the
 * same; otherwise a row that is empty (null in every compared field, or 0 when `zeroIsEmpty`:
 * counts and sums, not rates) may be absent on either side (a GROUP BY makes no empty groups). Returns the differences, one line each.
 */
function diffRows(
  label: string,
  api: readonly Row[],
  expected: readonly Row[],
  keys: readonly string[],
  fields: Record<string, number>,
  strict: boolean,
  zeroIsEmpty = true,
): string[] {
  const out: string[] = [];
  const names = Object.keys(fields);
  const got = new Map<string, Row>();
  for (const r of api) {
    const k = rowKey(r, keys);
    if (got.has(k)) out.push(`${label} [${k}]: duplicated row`);
    got.set(k, r);
  }
  const want = new Map(expected.map((r) => [rowKey(r, keys), r]));
  for (const [k, e] of want) {
    const g = got.get(k);
    if (!g) {
      if (strict || !isEmpty(e, names, zeroIsEmpty))
        out.push(`${label} [${k}]: missing, expected ${JSON.stringify(pick(e, names))}`);
      continue;
    }
    for (const f of names) {
      const ev = toNum(e[f]);
      const gv = toNum(g[f]);
      const ok = ev === null || gv === null ? ev === gv : Math.abs(ev - gv) <= fields[f]! + 1e-9;
      if (!ok) out.push(`${label} [${k}] ${f}: expected ${ev}, got ${gv}`);
    }
  }
  for (const [k, g] of got)
    if (!want.has(k) && (strict || !isEmpty(g, names, zeroIsEmpty)))
      out.push(`${label} [${k}]: unexpected row ${JSON.stringify(pick(g, names))}`);
  return out;
}

const pick = (r: Row, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, r[n] ?? null]));

/** Filter combinations run for every count, sum and rate metric. */
const QUERIES: MetricQuery[] = [
  { from: '2025-01-01', to: '2025-12-31', by: ['month'] },
  { from: '2025-01-01', to: '2026-02-28', by: ['owner'] },
  { from: '2025-03-01', to: '2025-06-30', by: ['month', 'owner'] },
  { from: '2025-10-01', to: '2025-12-31', source: ['office_b'], by: ['week'] },
  { from: '2025-10-25', to: '2025-11-08', by: ['day'] },
  { from: '2025-01-01', to: '2026-03-31', by: ['quarter'] },
  { from: '2024-12-01', to: '2026-02-28', by: ['year', 'source'] },
  { from: '2025-04-01', to: '2025-09-30', owner: ['ana@example.com', null], by: ['month'] },
  { from: '2025-01-01', to: '2025-12-31', pipeline: 'Traspasos' },
  { from: '2025-01-01', to: '2025-12-31', by: ['source', 'owner'] },
  {
    from: '2025-02-01',
    to: '2025-02-28',
    source: ['office_a', 'office_b'],
    owner: ['bruno@example.com', 'carla@example.com'],
  },
  { from: '2025-07-01', to: '2025-09-30', source: ['office_a'], pipeline: 'Ventas', by: ['month', 'owner'] },
  { from: '2025-01-01', to: '2025-12-31', by: ['quarter', 'pipeline'] },
  { from: '2025-01-01', to: '2026-02-28', by: ['stage', 'channel'] },
];
/** A period that does not start or end on a bucket boundary. */
const PARTIAL: MetricQuery = { from: '2025-05-15', to: '2025-08-20', source: ['office_a'], by: ['month'] };

/** The columns of reporting.kpi_monthly (and _office), each a metric of the dictionary. */
const KPI_COLUMNS = [
  'leads_entered',
  'leads_won',
  'leads_lost',
  'leads_cancelled',
  'leads_deleted',
  'sales_amount',
  'ticket_average',
  'conversion_rate',
  'win_rate',
] as const;

const TODAY = localDate(Date.now(), TZ);
/** The last local date of the current month. */
const MONTH_END = new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)), 0))
  .toISOString()
  .slice(0, 10);

const GOALS: Goal[] = [
  {
    scope: 'office',
    source: 'office_a',
    owner: null,
    metric: 'leads_won',
    period: 'month',
    period_start: '2025-10',
    target: 8,
  },
  {
    scope: 'office',
    source: 'office_b',
    owner: null,
    metric: 'sales_amount',
    period: 'year',
    period_start: '2025',
    target: 9_000_000,
  },
  {
    scope: 'owner',
    source: 'office_a',
    owner: 'carla@example.com',
    metric: 'sales_amount',
    period: 'month',
    period_start: '2025-10',
    target: 600_000,
  },
  {
    scope: 'owner',
    source: 'office_b',
    owner: 'bruno@example.com',
    metric: 'leads_won',
    period: 'year',
    period_start: '2025',
    target: 10,
  },
  {
    scope: 'office',
    source: 'office_a',
    owner: null,
    metric: 'leads_won',
    period: 'month',
    period_start: '2025-09',
    target: 7,
  },
  {
    scope: 'office',
    source: 'office_b',
    owner: null,
    metric: 'leads_won',
    period: 'month',
    period_start: '2025-12',
    target: 5,
  },
  // The current month: as of now (the end of `to` is later), nothing won yet.
  {
    scope: 'office',
    source: 'office_a',
    owner: null,
    metric: 'sales_amount',
    period: 'month',
    period_start: TODAY.slice(0, 7),
    target: 250_000,
  },
];

async function insertStages(db: Db): Promise<void> {
  for (const s of STAGES_TABLE)
    await db.query(
      'INSERT INTO leadhouse.stages (source_id, step_id, name, position, pipeline) VALUES ($1, $2, $3, $4, $5)',
      [s.source_id, s.step_id, s.name, s.position, s.pipeline],
    );
}

const dataset = metricsDataset();

for (const driver of testDrivers()) {
  describe(`metrics against the oracle (${driver.name})`, () => {
    let tdb: TestDb;
    let app: App;
    let oracle: OracleContext;
    const expect = (name: string, q: MetricQuery) => computeMetric({ ...oracle, now: Date.now() }, name, q);

    before(async () => {
      tdb = await driver.open();
      await insertStages(tdb.db);
      app = await testApp(tdb.db, { sources: SOURCES, timezone: TZ });
      await deliver(app, dataset.deliveries);
      oracle = {
        tz: TZ,
        now: Date.now(),
        leads: projectDeliveries(dataset.deliveries),
        stageOrder,
        goals: GOALS,
      };
    });
    after(async () => {
      await app?.fastify.close();
      await tdb?.close();
    });

    test('the projections agree with the oracle’s mirror of their rules (dataset sanity)', async () => {
      const { rows } = await tdb.db.query<Record<string, unknown>>(
        `SELECT source_id, lead_id, status, amount::float8 AS amount, owner_email, created_at, closed_at, deleted_at
         FROM leadhouse.leads`,
      );
      assert.equal(rows.length, dataset.leadCount);
      const events = await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.events');
      assert.equal(events.rows[0]?.n, dataset.eventCount, 'each event stored once');
      const db = new Map(rows.map((r) => [`${r['source_id']}|${r['lead_id']}`, r]));
      const diffs: string[] = [];
      const t = (v: unknown) => (v === null ? null : new Date(v as string).getTime());
      for (const l of oracle.leads) {
        const r = db.get(`${l.source}|${l.id}`);
        const got = r && [
          r['status'],
          r['amount'],
          r['owner_email'],
          t(r['created_at']),
          t(r['closed_at']),
          t(r['deleted_at']),
        ];
        const want = [l.status, l.amount, l.owner, l.createdAt, l.closedAtStated, l.deletedAt];
        if (JSON.stringify(got) !== JSON.stringify(want))
          diffs.push(`${l.source}/${l.id}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
      const sc = await tdb.db.query<{ k: string; n: number; last: string }>(
        `SELECT source_id || '|' || lead_id AS k, count(*)::int AS n,
                string_agg(coalesce(to_step, '-') || '/' || coalesce(to_status, '-'), ' ' ORDER BY seq) AS last
         FROM leadhouse.stage_changes GROUP BY 1`,
      );
      const hist = new Map(sc.rows.map((r) => [r.k, r.last]));
      for (const l of oracle.leads) {
        const want = l.history.map((h) => `${h.toStep ?? '-'}/${h.toStatus ?? '-'}`).join(' ');
        if (hist.get(`${l.source}|${l.id}`) !== want)
          diffs.push(`history ${l.source}/${l.id}: ${hist.get(`${l.source}|${l.id}`)} ≠ ${want}`);
      }
      assert.deepEqual(diffs, []);
      // The dataset has what the brief asks for.
      const ls = oracle.leads;
      assert.ok(ls.filter((l) => l.deletedAt !== null).length >= 5, 'deleted leads');
      assert.ok(ls.filter((l) => l.amount === null).length >= 5, 'leads without amount');
      assert.ok(ls.filter((l) => l.owner === null).length >= 5, 'unassigned leads');
      assert.ok(ls.filter((l) => l.status === 'canceled').length >= 2, "'canceled' spelling");
      assert.ok(
        ls.filter((l) => l.category !== 'open' && l.closedAtStated !== null).length >= 20,
        'closed_at stated',
      );
      assert.ok(
        ls.filter((l) => l.category !== 'open' && l.closedAtStated === null).length >= 20,
        'closed_at absent',
      );
      const reopened = ls.filter((l) =>
        l.history.some((h, i) => i > 0 && h.fromStatus === 'won' && h.toStatus === 'todo'),
      );
      assert.ok(reopened.length >= 2, 'reopened leads');
      assert.ok(dataset.deliveries.length >= dataset.eventCount * 1.1, 'redeliveries');
    });

    test('GET /api/v1/metrics lists every metric with its definition', async () => {
      const res = await app.fastify.inject({ method: 'GET', url: '/api/v1/metrics', headers: AUTH });
      assert.equal(res.statusCode, 200, res.body);
      const { metrics } = res.json() as { metrics: Record<string, unknown>[] };
      const names = metrics.map((m) => m['name']);
      for (const name of ALL_METRICS) assert.ok(names.includes(name), `${name} is listed`);
      for (const m of metrics) {
        for (const k of ['title', 'unit', 'definition'])
          assert.ok(typeof m[k] === 'string' && (m[k] as string).length > 0, `${m['name']}.${k}`);
        assert.ok(Array.isArray(m['dimensions']), `${m['name']}.dimensions`);
        assert.ok(Array.isArray(m['filters']), `${m['name']}.filters`);
      }
      // The contract's listing carries `asOf` (how current the figure is) for every metric.
      for (const m of metrics)
        assert.ok('asOf' in m, `${m['name']}: no asOf in the listing (${Object.keys(m)})`);
    });

    for (const metric of [...COUNT_METRICS, ...SUM_METRICS, ...RATE_METRICS]) {
      test(`${metric}: every filter combination equals the oracle`, async () => {
        const diffs: string[] = [];
        for (const q of QUERIES) {
          const { status, body } = await getMetric(app, metric, q);
          const label = `${metric}?${queryString(q)}`;
          if (status !== 200) {
            diffs.push(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
            continue;
          }
          const by = q.by ?? [];
          const singleBucket =
            by.length === 1 && ['day', 'week', 'month', 'quarter', 'year'].includes(by[0]!);
          const strict =
            by.length === 0 || (singleBucket && !(RATE_METRICS as readonly string[]).includes(metric));
          diffs.push(
            ...diffRows(
              label,
              body.rows,
              expect(metric, q),
              by,
              { value: tolOf(metric) },
              strict,
              !isRate(metric),
            ),
          );
          // Money has 2 decimals, rates 6 (contract: common rules).
          const places = MONEY.has(metric) ? 2 : isRate(metric) ? 6 : 0;
          for (const r of body.rows) {
            const v = toNum(r['value']);
            if (v !== null && Math.abs(v * 10 ** places - Math.round(v * 10 ** places)) > 1e-6)
              diffs.push(`${label} [${rowKey(r, by)}]: ${v} has more than ${places} decimals`);
          }
        }
        assert.deepEqual(diffs, []);
      });
    }

    test('a period that is not bucket-aligned: partial first and last months', async () => {
      const diffs: string[] = [];
      for (const metric of ['leads_entered', 'leads_won', 'sales_amount', 'conversion_rate', 'leads_open']) {
        const { status, body } = await getMetric(app, metric, PARTIAL);
        assert.equal(status, 200);
        diffs.push(
          ...diffRows(
            `${metric}?${queryString(PARTIAL)}`,
            body.rows,
            expect(metric, PARTIAL),
            ['month'],
            { value: tolOf(metric) },
            !isRate(metric),
            !isRate(metric),
          ),
        );
      }
      assert.deepEqual(diffs, []);
    });

    test('leads_open and pipeline value: a bucket or `to` after now is taken as of now', async () => {
      const today = localDate(Date.now(), TZ);
      const diffs: string[] = [];
      for (const metric of ['leads_open', 'pipeline_value', 'pipeline_weighted']) {
        for (const q of [
          { from: '2026-10-01', to: today, by: ['month'] },
          { from: `${today.slice(0, 4)}-01-01`, to: `${today.slice(0, 4)}-12-31`, by: ['quarter'] },
          { from: '2025-12-01', to: addDays(today, 40), by: ['owner'] },
        ] satisfies MetricQuery[]) {
          const { status, body } = await getMetric(app, metric, q);
          const label = `${metric}?${queryString(q)}`;
          if (status !== 200) {
            diffs.push(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
            continue;
          }
          diffs.push(
            ...diffRows(
              label,
              body.rows,
              expect(metric, q),
              q.by,
              { value: tolOf(metric) },
              q.by[0] !== 'owner',
            ),
          );
        }
      }
      assert.deepEqual(diffs, []);
    });

    test('cohort_conversion with an asOf date', async () => {
      const diffs: string[] = [];
      for (const q of [
        { from: '2025-01-01', to: '2025-06-30', by: ['month'], asOf: '2025-07-31' },
        { from: '2025-01-01', to: '2025-12-31', by: ['owner'], asOf: '2025-12-31' },
        { from: '2025-03-01', to: '2025-03-31', asOf: '2025-03-31' },
      ] satisfies MetricQuery[]) {
        const { status, body } = await getMetric(app, 'cohort_conversion', q);
        assert.equal(status, 200, JSON.stringify(body));
        diffs.push(
          ...diffRows(
            `cohort_conversion?${queryString(q)}`,
            body.rows,
            expect('cohort_conversion', q),
            q.by ?? [],
            { value: TOL.rate },
            false,
            false,
          ),
        );
      }
      assert.deepEqual(diffs, []);
    });

    test('funnel: stage order per source (step_id order; leadhouse.stages positions), reach counts', async () => {
      const diffs: string[] = [];
      for (const q of [
        { from: '2025-01-01', to: '2025-12-31', source: ['office_a'] },
        { from: '2025-01-01', to: '2025-12-31', source: ['office_b'] },
        {
          from: '2025-04-01',
          to: '2025-09-30',
          source: ['office_b'],
          owner: ['ana@example.com', 'bruno@example.com'],
        },
        { from: '2025-01-01', to: '2026-02-28', source: ['office_a'], pipeline: 'Traspasos' },
      ] satisfies MetricQuery[]) {
        const { status, body } = await getMetric(app, 'funnel', q);
        const label = `funnel?${queryString(q)}`;
        if (status !== 200) {
          diffs.push(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
          continue;
        }
        const want = expect('funnel', q);
        assert.deepEqual(
          body.rows.map((r) => r['stage']),
          want.map((r) => r['stage']),
          `${label}: stages in funnel order`,
        );
        diffs.push(
          ...diffRows(
            label,
            body.rows,
            want,
            ['stage'],
            { value: 0, step_conversion: TOL.rate, from_first: TOL.rate },
            true,
          ),
        );
        // The contract names `position` but not its base: it must follow the funnel order.
        const positions = body.rows.map((r) => Number(r['position']));
        assert.ok(
          positions.every((p, i) => i === 0 || p > positions[i - 1]!),
          `${label}: positions increase: ${positions}`,
        );
      }
      assert.deepEqual(diffs, []);
    });

    test('funnel: configured `stages:` win over leadhouse.stages and step ids', async () => {
      const stages: Record<string, string[]> = {
        office_a: ['Referido', 'Visita', 'Contactado', 'Oferta', 'Firma'],
        office_b: ['Nuevo', 'Propuesta', 'Cualificado', 'Negociación', 'Cierre'],
      };
      const configured = await testApp(tdb.db, {
        timezone: TZ,
        sources: {
          office_a: nocrmSource({ apiKey: KEYS['office_a']!, stages: stages['office_a']! }),
          office_b: nocrmSource({ apiKey: KEYS['office_b']!, stages: stages['office_b']! }),
        },
      });
      const byName = (source: string) => ({
        matchOn: 'name' as const,
        stages: stages[source]!.map((name) => ({ name, stepId: null })),
      });
      const diffs: string[] = [];
      try {
        for (const source of ['office_a', 'office_b']) {
          const q: MetricQuery = { from: '2025-01-01', to: '2025-12-31', source: [source] };
          const { status, body } = await getMetric(configured, 'funnel', q);
          assert.equal(status, 200, JSON.stringify(body));
          const want = computeMetric({ ...oracle, now: Date.now(), stageOrder: byName }, 'funnel', q);
          assert.deepEqual(
            body.rows.map((r) => r['stage']),
            stages[source],
          );
          diffs.push(
            ...diffRows(
              `configured funnel ${source}`,
              body.rows,
              want,
              ['stage'],
              { value: 0, step_conversion: TOL.rate, from_first: TOL.rate },
              true,
            ),
          );
        }
      } finally {
        await configured.fastify.close();
      }
      assert.deepEqual(diffs, []);
    });

    test('stage_duration: stays ended in the period, median and mean days', async () => {
      const diffs: string[] = [];
      for (const q of [
        { from: '2025-01-01', to: '2025-12-31' },
        { from: '2025-01-01', to: '2025-12-31', by: ['source'] },
        { from: '2025-07-01', to: '2025-09-30', source: ['office_a'] },
        { from: '2025-01-01', to: '2026-02-28', owner: ['elena@example.com'] },
        { from: '2025-01-01', to: '2025-12-31', by: ['quarter'] },
      ] satisfies MetricQuery[]) {
        const { status, body } = await getMetric(app, 'stage_duration', q);
        const label = `stage_duration?${queryString(q)}`;
        if (status !== 200) {
          diffs.push(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
          continue;
        }
        diffs.push(
          ...diffRows(
            label,
            body.rows,
            expect('stage_duration', q),
            ['stage', ...(q.by ?? [])],
            { value: TOL.days, mean_days: TOL.days, stays: 0 },
            true,
          ),
        );
      }
      assert.deepEqual(diffs, []);
    });

    test('leaderboard: current owners ranked by sales, then wins, then conversion', async () => {
      const diffs: string[] = [];
      for (const q of [
        { from: '2025-01-01', to: '2025-12-31' },
        { from: '2025-04-01', to: '2025-06-30' },
        { from: '2025-01-01', to: '2025-12-31', source: ['office_b'] },
        { from: '2025-01-01', to: '2026-02-28', by: ['source'] },
      ] satisfies MetricQuery[]) {
        const { status, body } = await getMetric(app, 'leaderboard', q);
        const label = `leaderboard?${queryString(q)}`;
        if (status !== 200) {
          diffs.push(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
          continue;
        }
        const keys = ['owner', ...(q.by ?? [])];
        const want = expect('leaderboard', q);
        // The unassigned "owner" may or may not be on a leaderboard; when it is, its figures must match.
        const wantRows = body.rows.some((r) => r['owner'] === null)
          ? want
          : want.filter((r) => r['owner'] !== null);
        diffs.push(
          ...diffRows(
            label,
            body.rows,
            wantRows,
            keys,
            {
              value: TOL.money,
              sales_amount: TOL.money,
              leads_won: 0,
              leads_entered: 0,
              conversion_rate: TOL.rate,
              ticket_average: TOL.money,
            },
            true,
          ),
        );
        // Ranks within each group of the `by` dimensions; tied owners may take any of their places.
        const ranges = rankRanges(wantRows, q.by ?? []);
        for (const r of body.rows) {
          const range = ranges.get(rowKey(r, keys));
          const rank = Number(r['rank']);
          if (range && (rank < range[0] || rank > range[1]))
            diffs.push(`${label} [${rowKey(r, keys)}] rank ${rank} not in [${range[0]}, ${range[1]}]`);
        }
      }
      assert.deepEqual(diffs, []);
    });

    test('activity: stage changes per actor (step moves, status changes)', async () => {
      const diffs: string[] = [];
      for (const q of [
        { from: '2025-01-01', to: '2025-12-31' },
        { from: '2025-06-01', to: '2025-06-30', source: ['office_a'] },
        { from: '2025-01-01', to: '2025-12-31', by: ['source'] },
        { from: '2025-01-01', to: '2025-06-30', pipeline: 'Ventas', by: ['month'] },
      ] satisfies MetricQuery[]) {
        const { status, body } = await getMetric(app, 'activity', q);
        const label = `activity?${queryString(q)}`;
        if (status !== 200) {
          diffs.push(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
          continue;
        }
        diffs.push(
          ...diffRows(
            label,
            body.rows,
            expect('activity', q),
            ['owner', ...(q.by ?? [])],
            { value: 0, step_moves: 0, status_changes: 0 },
            true,
          ),
        );
      }
      assert.deepEqual(diffs, []);
    });

    test('response shape: metric, unit, definition, filters echo with the timezone, by', async () => {
      const q: MetricQuery = {
        from: '2025-03-01',
        to: '2025-03-31',
        source: ['office_a'],
        owner: ['carla@example.com'],
        by: ['month'],
      };
      const { status, body } = await getMetric(app, 'leads_won', q);
      assert.equal(status, 200);
      assert.equal(body.metric, 'leads_won');
      assert.ok(body.unit && body.definition);
      assert.equal(body.filters['from'], '2025-03-01');
      assert.equal(body.filters['to'], '2025-03-31');
      assert.equal(body.filters['timezone'], TZ);
      assert.deepEqual(body.by, ['month']);
      // Defaults: from = first day of the current month, to = today (local).
      const d = await getMetric(app, 'leads_entered', '');
      assert.equal(d.status, 200, JSON.stringify(d.body));
      const today = localDate(Date.now(), TZ);
      assert.equal(d.body.filters['to'], today);
      assert.equal(d.body.filters['from'], `${today.slice(0, 7)}-01`);
      assert.deepEqual(
        d.body.rows.map((r) => Number(r['value'])),
        [0],
      );
    });

    test('the timezone boundaries, by the oracle and by hand', async () => {
      // Lead 90001 was won at 23:30 on 31 March local (03:30 UTC on 1 April): March, not April.
      const b = dataset.boundary;
      const l = oracle.leads.find((x) => x.id === String(b['wonLastDayMarch']!.id))!;
      assert.equal(localDate(l.closeTime!, TZ), '2025-03-31');
      assert.equal(new Date(l.closeTime!).toISOString(), '2025-04-01T03:30:00.000Z');
      const day = {
        from: '2025-03-31',
        to: '2025-03-31',
        owner: ['carla@example.com'],
        source: ['office_a'],
      };
      const mar = await getMetric(app, 'leads_won', day);
      const apr = await getMetric(app, 'leads_won', { ...day, from: '2025-04-01', to: '2025-04-01' });
      const byHand = (d: string) =>
        oracle.leads.filter(
          (x) =>
            x.deletedAt === null &&
            x.category === 'won' &&
            x.owner === 'carla@example.com' &&
            x.source === 'office_a' &&
            localDate(x.closeTime!, TZ) === d,
        ).length;
      assert.ok(byHand('2025-03-31') >= 1);
      assert.deepEqual(
        mar.body.rows.map((r) => Number(r['value'])),
        [byHand('2025-03-31')],
      );
      assert.deepEqual(
        apr.body.rows.map((r) => Number(r['value'])),
        [byHand('2025-04-01')],
      );
      // closed_at stated 23:30 on 31 October (webhook at 00:15 on 1 November) counts in October.
      const c = oracle.leads.find((x) => x.id === String(b['closedAtLastDayOctober']!.id))!;
      assert.equal(localDate(c.closeTime!, TZ), '2025-10-31');
      // DST end day has 25 hours: both leads entered that day.
      const dq: MetricQuery = {
        from: '2025-11-01',
        to: '2025-11-03',
        owner: ['bruno@example.com'],
        source: ['office_a'],
        by: ['day'],
      };
      const dst = await getMetric(app, 'leads_entered', dq);
      assert.deepEqual(
        diffRows('dst', dst.body.rows, expect('leads_entered', dq), ['day'], { value: 0 }, true),
        [],
      );
      assert.ok(Number(dst.body.rows[1]?.['value']) >= 2);
    });

    for (const [view, by] of [
      ['kpi_monthly', ['month', 'source', 'owner']],
      ['kpi_monthly_office', ['month', 'source']],
    ] as const) {
      test(`API = SQL view: reporting.${view} by ${by.join(', ')}`, async () => {
        const cols = KPI_COLUMNS.map((c) => `${c}::float8 AS ${c}`).join(', ');
        const { rows: kpi } = await tdb.db.query<Record<string, unknown>>(
          `SELECT month::text AS month, ${by.slice(1).join(', ')}, ${cols}
           FROM reporting.${view} WHERE month::text BETWEEN '2025-01' AND '2025-12'`,
        );
        assert.ok(kpi.length > 12);
        const diffs: string[] = [];
        const q: MetricQuery = { from: '2025-01-01', to: '2025-12-31', by };
        for (const metric of KPI_COLUMNS) {
          const rows = kpi.map((r) => ({ ...pick(r as Row, by), value: r[metric] }) as Row);
          const api = await getMetric(app, metric, q);
          assert.equal(api.status, 200);
          const fields = { value: tolOf(metric) };
          diffs.push(
            ...diffRows(`view vs API ${metric}`, rows, api.body.rows, by, fields, false, !isRate(metric)),
          );
          diffs.push(
            ...diffRows(
              `view vs oracle ${metric}`,
              rows,
              expect(metric, q),
              by,
              fields,
              false,
              !isRate(metric),
            ),
          );
        }
        assert.deepEqual(diffs, []);
      });
    }

    test('API = SQL views: reporting.leads (close time, category, owner) and the API on the same filters', async () => {
      const { rows } = await tdb.db.query<Record<string, unknown>>(
        `SELECT source, lead_id, status_category, owner, entered_at, closed_at, is_deleted,
                to_char(entered_date, 'YYYY-MM-DD') AS entered_date, to_char(closed_date, 'YYYY-MM-DD') AS closed_date,
                amount::float8 AS amount
         FROM reporting.leads`,
      );
      const t = (v: unknown) => (v === null ? null : new Date(v as string).getTime());
      const view = new Map(rows.map((r) => [`${r['source']}|${r['lead_id']}`, r]));
      const diffs: string[] = [];
      for (const l of oracle.leads) {
        const r = view.get(`${l.source}|${l.id}`);
        const got = r && [
          r['status_category'],
          r['owner'],
          t(r['entered_at']),
          t(r['closed_at']),
          r['is_deleted'],
          r['entered_date'],
          r['closed_date'],
        ];
        const want = [
          l.category,
          l.owner,
          l.createdAt,
          l.closeTime,
          l.deletedAt !== null,
          localDate(l.createdAt, TZ),
          l.closeTime === null ? null : localDate(l.closeTime, TZ),
        ];
        if (JSON.stringify(got) !== JSON.stringify(want))
          diffs.push(`reporting.leads ${l.source}/${l.id}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
      assert.equal(rows.length, oracle.leads.length);
      // The same figures from the view by hand and from the API: won by month and owner, office_b.
      const q: MetricQuery = {
        from: '2025-01-01',
        to: '2025-12-31',
        source: ['office_b'],
        by: ['month', 'owner'],
      };
      const counted = new Map<string, Row>();
      for (const r of rows) {
        const d = r['closed_date'] as string | null;
        if (
          r['is_deleted'] ||
          r['status_category'] !== 'won' ||
          r['source'] !== 'office_b' ||
          !d ||
          d < q.from ||
          d > q.to
        )
          continue;
        const k: Row = { month: d.slice(0, 7), owner: r['owner'] as string | null };
        const key = rowKey(k, ['month', 'owner']);
        const c = counted.get(key) ?? { ...k, value: 0, sales: 0 };
        c['value'] = Number(c['value']) + 1;
        c['sales'] = Number(c['sales']) + Number(r['amount'] ?? 0);
        counted.set(key, c);
      }
      const won = await getMetric(app, 'leads_won', q);
      const sales = await getMetric(app, 'sales_amount', q);
      diffs.push(
        ...diffRows(
          'reporting.leads vs API leads_won',
          [...counted.values()],
          won.body.rows,
          ['month', 'owner'],
          { value: 0 },
          false,
        ),
      );
      diffs.push(
        ...diffRows(
          'reporting.leads vs API sales_amount',
          [...counted.values()].map((r) => ({ ...r, value: r['sales'] ?? 0 })),
          sales.body.rows,
          ['month', 'owner'],
          { value: TOL.money },
          false,
        ),
      );
      assert.deepEqual(diffs, []);
    });

    test('CSV with Accept: text/csv', async () => {
      const q: MetricQuery = { from: '2025-01-01', to: '2025-06-30', by: ['month', 'owner'] };
      const json = await getMetric(app, 'sales_amount', q);
      const res = await app.fastify.inject({
        method: 'GET',
        url: `/api/v1/metrics/sales_amount?${queryString(q)}`,
        headers: { ...AUTH, accept: 'text/csv' },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      const lines = res.body.trim().split(/\r?\n/);
      const header = lines[0]!.split(',');
      for (const k of ['month', 'owner', 'value'])
        assert.ok(header.includes(k), `header has ${k}: ${lines[0]}`);
      assert.equal(lines.length, json.body.rows.length + 1);
      const csv = lines.slice(1).map((l) => {
        const cells = l.split(',').map((c) => c.replace(/^"|"$/g, ''));
        const r: Row = {};
        header.forEach((h, i) => {
          r[h] = cells[i] === '' ? null : (cells[i] ?? null);
        });
        return r;
      });
      assert.deepEqual(
        diffRows('csv', csv, json.body.rows, ['month', 'owner'], { value: TOL.money }, true),
        [],
      );
    });

    test('bad parameters are 400 naming the parameter; an unknown metric is 404', async () => {
      const cases: [string, string][] = [
        ['from=2026-13-01&to=2026-12-31', 'from'],
        ['from=2025-02-30&to=2025-03-31', 'from'],
        ['from=2025-03-01&to=2025-02-01', 'to'],
        ['from=2025-01-01&to=2025-12-31&by=nonsense', 'by'],
        ['from=2025-01-01&to=2025-12-31&by=month,week', 'by'],
        ['from=2025-01-01&to=2025-12-31&source=unknown', 'source'],
        ['from=2025-01-01&to=2025-12-31&source=office_a,unknown', 'source'],
        ['from=2025-01-01&to=2025-12-31&asOf=yesterday', 'asOf'],
        ['from=yesterday', 'from'],
        ['from=2025-01-01&to=2025-12-31&owner=not-an-email', 'owner'],
      ];
      for (const [qs, param] of cases) {
        const { status, body } = await getMetric(app, 'leads_won', qs);
        assert.equal(status, 400, `${qs}: ${JSON.stringify(body)}`);
        assert.equal(body.error?.code, 'invalid_parameter', qs);
        const names = param === 'to' ? /\bto\b|\bfrom\b/ : new RegExp(`\\b${param}\\b`);
        assert.match(body.error?.message ?? '', names, `${qs}: the message names ${param}`);
      }
      const unknown = await getMetric(app, 'no_such_metric', 'from=2025-01-01&to=2025-01-31');
      assert.equal(unknown.status, 404);
      const anonymous = await app.fastify.inject({ method: 'GET', url: '/api/v1/metrics/leads_won' });
      assert.equal(anonymous.statusCode, 401, 'the metrics API needs the bearer token');
    });

    test('goals: CRUD, invalid bodies are 400', async () => {
      const post = (body: unknown) =>
        app.fastify.inject({ method: 'POST', url: '/api/v1/goals', headers: AUTH, payload: body as object });
      const good = {
        scope: 'owner',
        source: 'office_a',
        owner: 'ana@example.com',
        metric: 'leads_won',
        period: 'month',
        period_start: '2026-01',
        target: 4,
      };
      const created = await post(good);
      assert.ok([200, 201].includes(created.statusCode), created.body);
      const goal = goalOf(created.json());
      assert.ok(goal['id'] !== undefined);
      assert.deepEqual(omit(goal, 'id'), good);
      const one = await app.fastify.inject({
        method: 'GET',
        url: `/api/v1/goals/${goal['id']}`,
        headers: AUTH,
      });
      assert.equal(one.statusCode, 200);
      assert.deepEqual(omit(goalOf(one.json()), 'id'), good);
      const put = await app.fastify.inject({
        method: 'PUT',
        url: `/api/v1/goals/${goal['id']}`,
        headers: AUTH,
        payload: { ...good, target: 6 },
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(Number(goalOf(put.json())['target']), 6);
      const list = await app.fastify.inject({ method: 'GET', url: '/api/v1/goals', headers: AUTH });
      assert.equal(list.statusCode, 200);
      assert.ok(listOf(list.json()).some((g) => g['id'] === goal['id'] && Number(g['target']) === 6));
      const del = await app.fastify.inject({
        method: 'DELETE',
        url: `/api/v1/goals/${goal['id']}`,
        headers: AUTH,
      });
      assert.ok([200, 204].includes(del.statusCode));
      const gone = await app.fastify.inject({
        method: 'GET',
        url: `/api/v1/goals/${goal['id']}`,
        headers: AUTH,
      });
      assert.equal(gone.statusCode, 404);
      const badPut = await app.fastify.inject({
        method: 'PUT',
        url: `/api/v1/goals/${goal['id']}`,
        headers: AUTH,
        payload: good,
      });
      assert.equal(badPut.statusCode, 404, 'PUT of a deleted goal');

      const invalid: [Record<string, unknown>, string][] = [
        [{ ...good, scope: 'team' }, 'scope'],
        [{ ...good, metric: 'leads_entered' }, 'metric'],
        [{ ...good, period: 'week' }, 'period'],
        [{ ...good, period_start: '2026-13' }, 'period_start'],
        [{ ...good, period: 'year', period_start: '2026-01' }, 'period_start'],
        [{ ...good, target: -1 }, 'target'],
        [{ ...good, target: 'many' }, 'target'],
        [omit(good, 'target'), 'target'],
        [{ ...good, owner: null }, 'owner'],
        [{ ...good, source: 'unknown' }, 'source'],
      ];
      for (const [body, field] of invalid) {
        const r = await post(body);
        assert.equal(r.statusCode, 400, `${JSON.stringify(body)} → ${r.statusCode} ${r.body}`);
        const e = (r.json() as { error?: { code?: string; message?: string } }).error;
        assert.match(
          e?.message ?? '',
          new RegExp(field),
          `${JSON.stringify(body)}: the message names ${field}`,
        );
      }
    });

    test('goal_progress against the oracle (as of the end of a past `to`)', async () => {
      const ids: unknown[] = [];
      for (const g of GOALS) {
        const r = await app.fastify.inject({
          method: 'POST',
          url: '/api/v1/goals',
          headers: AUTH,
          payload: g as object,
        });
        assert.ok([200, 201].includes(r.statusCode), r.body);
        ids.push(goalOf(r.json())['id']);
      }
      const keys = ['scope', 'source', 'owner', 'metric', 'period', 'period_start'];
      const fields = {
        target: TOL.money,
        actual: TOL.money,
        value: TOL.rate,
        expected: TOL.money,
        remaining: TOL.money,
        working_days_left: 0,
        pace_needed: TOL.money,
      };
      const diffs: string[] = [];
      // goal_progress takes no `from` (the goal's period starts it).
      for (const q of [
        { to: '2025-10-15' },
        { to: '2025-12-31' },
        { to: '2025-10-31', source: ['office_a'] },
        { to: MONTH_END, source: ['office_a'] },
      ] satisfies Partial<MetricQuery>[]) {
        const { status, body } = await getMetric(app, 'goal_progress', q);
        const label = `goal_progress?${queryString(q)}`;
        if (status !== 200) {
          diffs.push(`${label}: HTTP ${status} ${JSON.stringify(body)}`);
          continue;
        }
        diffs.push(
          ...diffRows(label, body.rows, expect('goal_progress', { from: q.to, ...q }), keys, fields, true),
        );
      }
      for (const id of ids)
        await app.fastify.inject({ method: 'DELETE', url: `/api/v1/goals/${id}`, headers: AUTH });
      assert.deepEqual(diffs, []);
    });
  });

  describe(`metrics on the boundary leads alone, by hand (${driver.name})`, () => {
    for (const tz of ['America/New_York', 'Europe/Madrid']) {
      test(`month, day, quarter and year boundaries in ${tz}`, async () => {
        const tdb = await driver.open();
        const app = await testApp(tdb.db, { sources: SOURCES, timezone: tz });
        try {
          await deliver(app, boundaryDataset(tz));
          const values = async (name: string, q: MetricQuery) => {
            const r = await getMetric(app, name, q);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            return r.body.rows.map((x) => (x['value'] === null ? null : Number(x['value'])));
          };
          // 90001 won 31 Mar 23:30, 90002 won 1 Jun 00:30, 90010 won in March but deleted,
          // 90011 won in May, reopened in June, lost in July.
          assert.deepEqual(
            await values('leads_won', { from: '2025-03-01', to: '2025-07-31', by: ['month'] }),
            [1, 0, 0, 1, 0],
          );
          assert.deepEqual(
            await values('sales_amount', { from: '2025-03-01', to: '2025-04-30', by: ['month'] }),
            [100000, 0],
          );
          // 90003: closed_at 31 Oct 23:30, the webhook at 00:15 on 1 Nov.
          assert.deepEqual(
            await values('leads_won', { from: '2025-10-01', to: '2025-11-30', by: ['month'] }),
            [1, 0],
          );
          assert.deepEqual(
            await values('leads_lost', { from: '2025-07-01', to: '2025-08-31', by: ['month'] }),
            [1, 1],
          );
          assert.deepEqual(await values('leads_cancelled', { from: '2025-08-01', to: '2025-08-31' }), [1]);
          assert.deepEqual(await values('win_rate', { from: '2025-08-01', to: '2025-08-31' }), [0]);
          // 90005 lost 31 Dec 2025 23:30.
          assert.deepEqual(
            await values('leads_lost', { from: '2025-10-01', to: '2026-03-31', by: ['quarter'] }),
            [1, 0],
          );
          assert.deepEqual(
            await values('leads_lost', { from: '2025-01-01', to: '2026-12-31', by: ['year'] }),
            [3, 0],
          );
          // 90004 entered 31 Dec 2024 23:40; 90010 (deleted) is not counted; 90012 has no status.
          assert.deepEqual(
            await values('leads_entered', { from: '2024-01-01', to: '2025-12-31', by: ['year'] }),
            [1, 10],
          );
          assert.deepEqual(
            await values('leads_deleted', { from: '2025-03-01', to: '2025-04-30', by: ['month'] }),
            [0, 1],
          );
          // 2 Nov: DST ends in New York that day (25 hours).
          assert.deepEqual(
            await values('leads_entered', { from: '2025-11-01', to: '2025-11-03', by: ['day'] }),
            [0, 2, 0],
          );
          assert.deepEqual(
            await values('leads_entered', { from: '2025-10-27', to: '2025-11-09', by: ['week'] }),
            [2, 0],
          );
          // Open at the end of September: 90004 and 90012 (status null is open).
          assert.deepEqual(
            await values('leads_open', { from: '2025-09-01', to: '2025-09-30', by: ['month'] }),
            [2],
          );
          // Open at the end of 30 Mar: 90001 and 90004; at the end of 31 Mar: 90004 only.
          assert.deepEqual(
            await values('leads_open', { from: '2025-03-30', to: '2025-03-31', by: ['day'] }),
            [2, 1],
          );
          assert.deepEqual(await values('leads_open', { from: '2025-03-01', to: '2025-03-31' }), [1]);
        } finally {
          await app.fastify.close();
          await tdb.close();
        }
      });
    }
  });
}

/** The ranks each leaderboard row may take: 1 + owners strictly ahead … owners ahead or tied. */
function rankRanges(rows: readonly Row[], dims: readonly string[]): Map<string, [number, number]> {
  const score = (r: Row) => [
    Number(r['sales_amount']),
    Number(r['leads_won']),
    toNum(r['conversion_rate']) ?? -1,
  ];
  const ahead = (a: Row, b: Row) => {
    const [x, y] = [score(a), score(b)];
    for (let i = 0; i < 3; i++) if (Math.abs(x[i]! - y[i]!) > 1e-9) return x[i]! > y[i]!;
    return false;
  };
  const out = new Map<string, [number, number]>();
  for (const r of rows) {
    const peers = rows.filter((o) => rowKey(o, dims) === rowKey(r, dims));
    const lo = 1 + peers.filter((o) => ahead(o, r)).length;
    const hi = peers.filter((o) => !ahead(r, o)).length;
    out.set(rowKey(r, ['owner', ...dims]), [lo, hi]);
  }
  return out;
}

function goalOf(body: unknown): Record<string, unknown> {
  const b = body as Record<string, unknown>;
  return (b['goal'] ?? b) as Record<string, unknown>;
}
function listOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  return (b['goals'] ?? b['data'] ?? []) as Record<string, unknown>[];
}
function omit(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = o;
  return rest;
}

describe('the oracle itself, on hand-computed cases', () => {
  const tz = 'America/New_York';
  test('local time: instants, buckets, ISO weeks, working days', () => {
    assert.equal(new Date(localToUtc('2025-03-31T23:30', tz)).toISOString(), '2025-04-01T03:30:00.000Z');
    assert.equal(new Date(localToUtc('2025-01-01', tz)).toISOString(), '2025-01-01T05:00:00.000Z');
    assert.equal(
      new Date(localToUtc('2025-07-01T00:30', 'Europe/Madrid')).toISOString(),
      '2025-06-30T22:30:00.000Z',
    );
    assert.equal(new Date(localToUtc('2025-11-02T23:30', tz)).toISOString(), '2025-11-03T04:30:00.000Z');
    assert.equal(localDate(Date.parse('2025-11-03T04:29:00Z'), tz), '2025-11-02');
    assert.equal(bucketOf('week', '2024-12-30'), '2025-W01');
    assert.equal(bucketOf('week', '2026-01-04'), '2026-W01');
    assert.equal(bucketOf('week', '2027-01-01'), '2026-W53');
    assert.equal(bucketOf('quarter', '2025-10-01'), '2025-Q4');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(workingDays('2025-10-01', '2025-10-31'), 23);
    assert.equal(workingDays('2025-10-01', '2025-10-15'), 11);
  });

  const ev = (id: number, event: string, data: Record<string, unknown>, source = 'office_a'): Delivery => ({
    source,
    body: { webhook_event: { id, event, data } },
  });
  // Lead 1: entered 10 Jan, moved twice (partial payloads), status-only standby, won 31 Jan 23:30
  // (no closed_at: close time = the status event, redelivered), amount changed by an event that
  // arrives first. Lead 2: lost, closed_at stated earlier than the webhook.
  // Lead 3: no amount, unassigned, open. Lead 4: won then deleted.
  const t = (local: string) => new Date(localToUtc(local, tz)).toISOString();
  const deliveries: Delivery[] = [
    ev(9, 'lead.content_has_changed', { id: 1, amount: '250.50', updated_at: t('2025-01-25T10:00') }),
    ev(1, 'lead.creation', {
      id: 1,
      status: 'todo',
      step: 'A',
      step_id: 1,
      amount: 100,
      created_at: t('2025-01-10T10:00'),
      user: { email: 'X@Example.com' },
    }),
    ev(2, 'lead.creation', {
      id: 2,
      status: 'todo',
      step: 'A',
      step_id: 1,
      amount: 80,
      probability: 50,
      created_at: t('2025-01-12T10:00'),
      updated_at: t('2025-01-12T10:00'),
      closed_at: null,
      user: { email: 'y@example.com' },
    }),
    ev(3, 'lead.step.changed', { id: 1, step: 'B', step_id: 2, updated_at: t('2025-01-12T10:00') }),
    ev(4, 'lead.status.changed', { id: 1, status: 'standby', updated_at: t('2025-01-14T10:00') }),
    ev(5, 'lead.status.changed', { id: 1, status: 'todo', updated_at: t('2025-01-15T10:00') }),
    ev(6, 'lead.step.changed', { id: 1, step: 'C', step_id: 3, updated_at: t('2025-01-16T10:00') }),
    ev(7, 'lead.status.changed', { id: 1, status: 'won', updated_at: t('2025-01-31T23:30') }),
    ev(7, 'lead.status.changed', { id: 1, status: 'won', updated_at: t('2025-01-31T23:30') }),
    ev(8, 'lead.status.changed', {
      id: 2,
      status: 'lost',
      closed_at: t('2025-02-01T09:00'),
      updated_at: t('2025-02-03T09:00'),
    }),
    ev(10, 'lead.creation', {
      id: 3,
      status: 'todo',
      step: 'A',
      step_id: 1,
      created_at: t('2025-02-10T10:00'),
      user: null,
    }),
    ev(11, 'lead.creation', {
      id: 4,
      status: 'won',
      step: 'C',
      step_id: 3,
      amount: 999,
      created_at: t('2025-01-05T10:00'),
      user: { email: 'x@example.com' },
    }),
    ev(12, 'lead.deleted', { id: 4, updated_at: t('2025-03-01T10:00') }),
  ];
  const leads = projectDeliveries(deliveries);
  const ctx: OracleContext = {
    tz,
    now: Date.parse('2026-01-01T00:00:00Z'),
    leads,
    stageOrder: () => ({
      matchOn: 'step_id',
      stages: ['A', 'B', 'C'].map((name, i) => ({ name, stepId: String(i + 1) })),
    }),
  };
  const values = (name: string, q: MetricQuery) => computeMetric(ctx, name, q).map((r) => r['value']);

  test('projection mirror: field-wise latest, history rows, close time', () => {
    const l1 = leads.find((l) => l.id === '1')!;
    assert.equal(l1.status, 'won');
    assert.equal(l1.amount, 250.5);
    assert.equal(l1.owner, 'x@example.com');
    assert.equal(l1.step, 'C');
    assert.deepEqual(
      l1.history.map((h) => `${h.toStep}/${h.toStatus}`),
      ['A/todo', 'B/todo', 'B/standby', 'B/todo', 'C/todo', 'C/won'],
    );
    assert.equal(l1.closeTime, Date.parse(t('2025-01-31T23:30')));
    const l2 = leads.find((l) => l.id === '2')!;
    assert.equal(l2.category, 'lost');
    assert.equal(l2.closeTime, Date.parse(t('2025-02-01T09:00')));
    const l4 = leads.find((l) => l.id === '4')!;
    assert.equal(l4.deletedAt, Date.parse(t('2025-03-01T10:00')));
    assert.equal(l4.closeTime, Date.parse(t('2025-01-05T10:00')), 'entry row counts as the status start');
  });

  test('volume, money and rates by month', () => {
    const q = { from: '2025-01-01', to: '2025-03-31', by: ['month'] };
    assert.deepEqual(values('leads_entered', q), [2, 1, 0]); // 1, 2 | 3 (4 deleted)
    assert.deepEqual(values('leads_won', q), [1, 0, 0]); // 23:30 on 31 Jan is January
    assert.deepEqual(values('leads_lost', q), [0, 1, 0]); // closed_at 1 Feb, webhook 3 Feb
    assert.deepEqual(values('leads_deleted', q), [0, 0, 1]);
    assert.deepEqual(values('sales_amount', q), [250.5, 0, 0]);
    assert.deepEqual(values('ticket_average', q), [250.5, null, null]);
    assert.deepEqual(values('conversion_rate', q), [0.5, 0, null]);
    assert.deepEqual(values('win_rate', q), [1, 0, null]);
    assert.deepEqual(values('leads_open', q), [1, 1, 1]); // 2 | 3 | 3
    assert.deepEqual(values('pipeline_value', q), [80, 0, 0]);
    assert.deepEqual(values('pipeline_weighted', q), [40, 0, 0]);
    assert.deepEqual(
      values('cohort_conversion', { from: '2025-01-01', to: '2025-02-28', asOf: '2025-01-31' }),
      [1 / 3],
    );
    assert.deepEqual(
      values('cohort_conversion', { from: '2025-01-01', to: '2025-02-28', asOf: '2025-01-30' }),
      [0],
    );
  });

  test('funnel, stage duration, activity, leaderboard', () => {
    const f = computeMetric(ctx, 'funnel', { from: '2025-01-01', to: '2025-02-28' });
    assert.deepEqual(
      f.map((r) => [r['stage'], r['value'], r['step_conversion'], r['from_first']]),
      [
        ['A', 3, null, 1],
        ['B', 1, 1 / 3, 1 / 3],
        ['C', 1, 1, 1 / 3],
      ],
    );
    // Lead 1: A 10→12 Jan (2 days), B 12→16 Jan (4 days; the standby does not end it); C open.
    const sd = computeMetric(ctx, 'stage_duration', { from: '2025-01-01', to: '2025-01-31' });
    assert.deepEqual(
      sd.map((r) => [r['stage'], r['value'], r['stays']]),
      [
        ['A', 2, 1],
        ['B', 4, 1],
      ],
    );
    const act = computeMetric(ctx, 'activity', { from: '2025-01-01', to: '2025-02-28' });
    assert.deepEqual(act, [
      { owner: 'x@example.com', value: 5, step_moves: 2, status_changes: 3 },
      { owner: 'y@example.com', value: 1, step_moves: 0, status_changes: 1 },
    ]);
    const lb = computeMetric(ctx, 'leaderboard', { from: '2025-01-01', to: '2025-02-28' });
    assert.deepEqual(
      lb.map((r) => [r['owner'], r['rank'], r['sales_amount'], r['leads_won'], r['leads_entered']]),
      [
        ['x@example.com', 1, 250.5, 1, 1],
        ['y@example.com', 2, 0, 0, 1],
        [null, 2, 0, 0, 1],
      ],
    );
  });

  test('goal progress: working days elapsed and left', () => {
    const goals: Goal[] = [
      {
        scope: 'office',
        source: 'office_a',
        owner: null,
        metric: 'sales_amount',
        period: 'month',
        period_start: '2025-01',
        target: 1000,
      },
    ];
    const [r] = computeMetric({ ...ctx, goals }, 'goal_progress', {
      from: '2025-01-01',
      to: '2025-01-15',
      source: ['office_a'],
    });
    // January 2025: 23 working days; 1–15 Jan: 11; left 12. Nothing won by the end of 15 Jan.
    assert.deepEqual(r, {
      scope: 'office',
      source: 'office_a',
      owner: null,
      metric: 'sales_amount',
      period: 'month',
      period_start: '2025-01',
      target: 1000,
      actual: 0,
      value: 0,
      expected: (1000 * 11) / 23,
      remaining: 1000,
      working_days_left: 12,
      pace_needed: 1000 / 12,
    });
    const [end] = computeMetric({ ...ctx, goals }, 'goal_progress', {
      from: '2025-01-01',
      to: '2025-01-31',
      source: ['office_a'],
    });
    assert.equal(end?.['actual'], 250.5);
    assert.equal(end?.['working_days_left'], 0);
    assert.equal(end?.['pace_needed'], null);
  });
});
