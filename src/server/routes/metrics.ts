import type { FastifyInstance } from 'fastify';
import type { Config } from '../../core/config.js';
import { HttpError } from '../../core/errors.js';
import { type MetricQuery, parseMetricParams } from '../../metrics/params.js';
import { METRICS, metricByName } from '../../metrics/registry.js';
import { toCsv } from '../../metrics/toCsv.js';
import type { Db } from '../../store/db.js';

const str = (description: string, extra: Record<string, unknown> = {}) => ({
  type: 'string',
  description,
  ...extra,
});

const metricQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: str(
      'First day of the period, YYYY-MM-DD in the reporting timezone (default: first day of the month of `to`)',
      { maxLength: 10 },
    ),
    to: str('Last day of the period, inclusive, YYYY-MM-DD (default: today)', { maxLength: 10 }),
    source: str('Source (office) id, or several separated by commas (default: all)', { maxLength: 1000 }),
    owner: str('Owner e-mail, or several separated by commas; `none` = unassigned', { maxLength: 4000 }),
    pipeline: str('Pipeline name', { maxLength: 200 }),
    by: str(
      'Group by: dimensions (source, owner, pipeline, stage, channel) and at most one bucket (day, week, month, quarter, year), comma-separated',
      { maxLength: 200 },
    ),
    asOf: str('cohort_conversion: won by the end of this day (default: now)', { maxLength: 10 }),
  },
} as const;

const rowSchema = {
  type: 'object',
  additionalProperties: true,
  description:
    "Group keys (month as YYYY-MM, week as YYYY-Www, day as YYYY-MM-DD, source, owner e-mail, stage …), value, and the metric's extra figures",
};

const definitionSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    family: { type: 'string' },
    unit: { type: 'string', enum: ['count', 'currency', 'ratio', 'days'] },
    definition: { type: 'string' },
    dimensions: { type: 'array', items: { type: 'string' } },
    buckets: { type: 'boolean' },
    filters: { type: 'array', items: { type: 'string' } },
    freshness: { type: 'string' },
    asOf: { type: ['string', 'null'] },
  },
} as const;

const describe = ({ run: _run, fixedKeys: _k, lead: _l, ...d }: (typeof METRICS)[number]) => ({
  ...d,
  asOf: d.asOf ?? null,
});

/** GET /metrics (the dictionary) and GET /metrics/:name (one KPI, JSON or CSV). */
export async function metricRoutes(app: FastifyInstance, deps: { db: Db; config: Config }): Promise<void> {
  const ctx = {
    timezone: deps.config.timezone,
    sources: Object.keys(deps.config.sources),
    stageOrder: Object.fromEntries(
      Object.entries(deps.config.sources).flatMap(([id, s]) => (s.stages ? [[id, s.stages]] : [])),
    ),
  };

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['metrics'],
        summary: 'The data dictionary: every metric with its definition, unit, dimensions and filters',
        response: {
          200: { type: 'object', properties: { metrics: { type: 'array', items: definitionSchema } } },
        },
      },
    },
    async () => ({ metrics: METRICS.map(describe) }),
  );

  app.get<{ Params: { name: string }; Querystring: MetricQuery }>(
    '/metrics/:name',
    {
      schema: {
        tags: ['metrics'],
        summary:
          'One metric over a period, grouped by dimensions and time buckets (JSON, or CSV with Accept: text/csv)',
        params: {
          type: 'object',
          properties: {
            name: { type: 'string', description: `One of: ${METRICS.map((m) => m.name).join(', ')}` },
          },
        },
        querystring: metricQuerySchema,
        response: {
          200: {
            type: 'object',
            properties: {
              metric: { type: 'string' },
              title: { type: 'string' },
              unit: { type: 'string' },
              definition: { type: 'string' },
              filters: { type: 'object', additionalProperties: true },
              by: { type: 'array', items: { type: 'string' } },
              rows: { type: 'array', items: rowSchema },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const m = metricByName(req.params.name);
      if (!m) throw new HttpError(404, 'unknown_metric', `no metric "${req.params.name}"`);
      const parsed = parseMetricParams(m, req.query, ctx);
      if (!parsed.ok) throw new HttpError(400, 'invalid_parameter', parsed.error.message);
      const p = parsed.value;
      const t0 = performance.now();
      const rows = await m.run(deps.db, p);
      reply.header('server-timing', `db;dur=${(performance.now() - t0).toFixed(1)}`);
      const by = [...(p.bucket ? [p.bucket] : []), ...p.dimensions];
      if (/\btext\/csv\b/i.test(req.headers.accept ?? '')) {
        reply.type('text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="${m.name}_${p.from}_${p.to}.csv"`);
        return toCsv(rows, [...by, ...(m.fixedKeys ?? []), 'value']);
      }
      return {
        metric: m.name,
        title: m.title,
        unit: m.unit,
        definition: m.definition,
        filters: {
          ...Object.fromEntries(
            Object.entries({
              from: p.from,
              to: p.to,
              source: p.sources ?? null,
              owner: p.owners ?? null,
              pipeline: p.pipeline ?? null,
              asOf: p.asOf ?? null,
            }).filter(([k]) => (m.filters as readonly string[]).includes(k)),
          ),
          timezone: p.timezone,
        },
        by,
        rows,
      };
    },
  );
}
