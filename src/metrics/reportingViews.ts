import type { Config } from '../core/config.js';
import type { Queryable } from '../store/db.js';
import { inlineParams } from './inlineParams.js';
import { CLOSE_TIME, IS_CLOSED, STATUS_CATEGORY } from './leadFacts.js';
import { combinedSql, type Measure, rounded } from './leadMeasures.js';
import { metricByName } from './registry.js';
import type { Dimension, MetricParams } from './types.js';

/** The KPIs of the monthly views, each from its definition in the dictionary. */
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

/** Literal SQL for a timezone name (validated as an IANA zone by the configuration). */
const tzLiteral = (tz: string) => `'${tz.replace(/'/g, "''")}'`;
const local = (ts: string, tz: string) => `(${ts} AT TIME ZONE ${tzLiteral(tz)})`;

/** One monthly KPI view: every KPI_COLUMNS metric, grouped by month and `dims`, over all time. */
function kpiView(tz: string, dims: Dimension[]): string {
  const all: Measure[] = [];
  const parts = KPI_COLUMNS.map((name) => {
    const def = metricByName(name);
    if (!def?.lead) throw new Error(`${name} is not a lead composite`);
    const offset = all.length;
    all.push(...def.lead.measures);
    return { name, def, lead: def.lead, offset };
  });
  const p: MetricParams = {
    from: '1900-01-01',
    to: '2999-12-31',
    sources: undefined,
    owners: undefined,
    pipeline: undefined,
    dimensions: dims,
    bucket: 'month',
    asOf: undefined,
    timezone: tz,
    stageOrder: {},
  };
  const q = combinedSql(
    p,
    all,
    () => '0',
    'count',
    (m) =>
      Object.fromEntries(
        parts.map(({ name, def, lead, offset }) => [
          name,
          rounded(lead.value(m.slice(offset, offset + lead.measures.length)), def.unit),
        ]),
      ),
  );
  const keys = ['month', ...dims];
  return `SELECT ${[...keys, ...KPI_COLUMNS].map((c) => `k.${c}`).join(', ')} FROM (${inlineParams(q.text, q.values)}) k`;
}

function views(config: Config): Array<[name: string, body: string]> {
  const tz = config.timezone;
  return [
    [
      'leads',
      `SELECT l.source_id AS source, l.lead_id, l.title, l.pipeline, l.step AS stage, l.step_id, l.status,
  ${STATUS_CATEGORY} AS status_category,
  l.amount, l.currency, l.probability, l.owner_email AS owner, l.owner_id, l.channel,
  l.folder_id, l.folder_name, l.permalink,
  l.created_at AS entered_at, ${local('l.created_at', tz)}::date AS entered_date,
  CASE WHEN ${IS_CLOSED} THEN ${CLOSE_TIME} END AS closed_at,
  CASE WHEN ${IS_CLOSED} THEN ${local(CLOSE_TIME, tz)}::date END AS closed_date,
  l.step_since AS stage_since, l.status_since,
  l.deleted_at, l.deleted_at IS NOT NULL AS is_deleted, l.updated_at, l.event_count
FROM leadhouse.leads l`,
    ],
    [
      'stage_changes',
      `SELECT sc.source_id AS source, sc.lead_id, sc.seq, sc.changed_at, ${local('sc.changed_at', tz)}::date AS changed_date,
  sc.pipeline, sc.from_step AS from_stage, sc.to_step AS to_stage, sc.from_step_id, sc.to_step_id,
  sc.from_status, sc.to_status, sc.amount, sc.moved_by,
  sc.seq = 1 AS is_entry,
  sc.seq > 1 AND sc.to_step IS DISTINCT FROM sc.from_step AS is_step_change,
  sc.seq > 1 AND sc.to_status IS DISTINCT FROM sc.from_status AS is_status_change
FROM leadhouse.stage_changes sc`,
    ],
    [
      'owners',
      `SELECT o.source_id AS source, o.email AS owner, o.name, o.owner_id, o.first_seen_at, o.last_seen_at
FROM leadhouse.owners o`,
    ],
    [
      'stages',
      `SELECT s.source_id AS source, s.step_id, s.name AS stage, s.position, s.pipeline_id, s.pipeline
FROM leadhouse.stages s`,
    ],
    [
      'goals',
      `SELECT g.id, g.scope, g.source_id AS source, g.owner_email AS owner, g.metric, g.period,
  g.period_start, (g.period_start + CASE g.period WHEN 'month' THEN interval '1 month' ELSE interval '1 year' END)::date - 1 AS period_end,
  to_char(g.period_start, CASE g.period WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY' END) AS period_label,
  g.target
FROM leadhouse.goals g`,
    ],
    [
      'calendar',
      `SELECT d::date AS date, extract(year FROM d)::int AS year, to_char(d, 'YYYY-"Q"Q') AS quarter,
  to_char(d, 'YYYY-MM') AS month, extract(month FROM d)::int AS month_number, to_char(d, 'TMMonth') AS month_name,
  to_char(d, 'IYYY-"W"IW') AS week, date_trunc('week', d)::date AS week_start,
  extract(isodow FROM d)::int AS day_of_week, extract(isodow FROM d) < 6 AS is_working_day
FROM generate_series(
  date_trunc('year', COALESCE((SELECT min(${local('created_at', tz)}) FROM leadhouse.leads), ${local('now()', tz)})),
  date_trunc('year', GREATEST((SELECT max(${local('created_at', tz)}) FROM leadhouse.leads), ${local('now()', tz)})) + interval '2 years' - interval '1 day',
  interval '1 day') d`,
    ],
    ['kpi_monthly', kpiView(tz, ['source', 'owner'])],
    ['kpi_monthly_office', kpiView(tz, ['source'])],
  ];
}

/**
 * (Re)creates the `reporting` views BI tools read — from the same definitions as the API, with the
 * configured reporting timezone baked in. Run at every start (after migrations): a changed
 * timezone or a new Leadhouse version takes effect there. CREATE OR REPLACE keeps what BI users
 * built on the views; a view whose columns changed incompatibly is dropped and recreated.
 */
export async function syncReportingViews(tx: Queryable, config: Config): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['leadhouse.reporting_views']);
  for (const [name, body] of views(config)) {
    const create = `CREATE OR REPLACE VIEW reporting.${name} AS ${body}`;
    await tx.exec('SAVEPOINT reporting_view');
    try {
      await tx.exec(create);
      await tx.exec('RELEASE SAVEPOINT reporting_view');
    } catch {
      await tx.exec('ROLLBACK TO SAVEPOINT reporting_view');
      await tx.exec(`DROP VIEW IF EXISTS reporting.${name}`);
      await tx.exec(create);
    }
  }
}
