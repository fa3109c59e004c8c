import { err, ok, type Result } from '../core/result.js';
import { localDate } from './period.js';
import {
  BUCKETS,
  type Bucket,
  DIMENSIONS,
  type Dimension,
  type MetricDefinition,
  type MetricParams,
} from './types.js';

/** The query string of GET /api/v1/metrics/:name (every value a string). */
export interface MetricQuery {
  from?: string;
  to?: string;
  source?: string;
  owner?: string;
  pipeline?: string;
  by?: string;
  asOf?: string;
}

export interface ParamContext {
  timezone: string;
  sources: readonly string[];
  stageOrder: Record<string, readonly string[]>;
  now?: Date;
}

export interface ParamError {
  param: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+$/;
const MAX_DAYS = 366 * 20;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

const days = (a: string, b: string) =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/** Validates a metric call's parameters; an error names the parameter. */
export function parseMetricParams(
  m: MetricDefinition,
  q: MetricQuery,
  ctx: ParamContext,
): Result<MetricParams, ParamError> {
  const fail = (param: string, message: string) =>
    err({ param, message: `query parameter "${param}" ${message}` });
  for (const [k, v] of Object.entries(q))
    if (v !== undefined && k !== 'by' && !(m.filters as readonly string[]).includes(k))
      return fail(k, `is not a filter of ${m.name} (it takes: ${m.filters.join(', ')})`);
  const today = localDate(ctx.timezone, ctx.now);
  for (const k of ['from', 'to', 'asOf'] as const) {
    const v = q[k];
    if (v !== undefined && !validDate(v)) return fail(k, 'must be a date YYYY-MM-DD');
  }
  const to = q.to ?? today;
  const from = q.from ?? `${to.slice(0, 7)}-01`;
  if (from > to) return fail('from', `must not be after "to" (${from} > ${to})`);
  if (days(from, to) > MAX_DAYS) return fail('from', 'must be at most 20 years before "to"');

  let sources: string[] | undefined;
  if (q.source !== undefined) {
    sources = list(q.source);
    if (sources.length === 0) return fail('source', 'must name a source');
    const unknown = sources.find((s) => !ctx.sources.includes(s));
    if (unknown !== undefined)
      return fail(
        'source',
        `names an unknown source "${unknown}" (known: ${ctx.sources.join(', ') || 'none'})`,
      );
  }
  let owners: (string | null)[] | undefined;
  if (q.owner !== undefined) {
    const given = list(q.owner);
    if (given.length === 0) return fail('owner', 'must name an owner e-mail (or none)');
    const bad = given.find((o) => o !== 'none' && !EMAIL.test(o));
    if (bad !== undefined) return fail('owner', `must be e-mail addresses or "none" (got "${bad}")`);
    owners = given.map((o) => (o === 'none' ? null : o.toLowerCase()));
  }
  if (q.pipeline !== undefined && (q.pipeline.length === 0 || q.pipeline.length > 200))
    return fail('pipeline', 'must be a pipeline name (1–200 characters)');

  const dimensions: Dimension[] = [];
  let bucket: Bucket | undefined;
  for (const key of q.by === undefined ? [] : list(q.by)) {
    if ((BUCKETS as readonly string[]).includes(key)) {
      if (!m.buckets) return fail('by', `cannot group ${m.name} by time`);
      if (bucket) return fail('by', 'takes at most one time bucket');
      bucket = key as Bucket;
    } else if ((DIMENSIONS as readonly string[]).includes(key)) {
      if (!m.dimensions.includes(key as Dimension))
        return fail(
          'by',
          `cannot group ${m.name} by ${key} (it takes: ${[...m.dimensions, ...(m.buckets ? BUCKETS : [])].join(', ') || 'nothing'})`,
        );
      if (dimensions.includes(key as Dimension)) return fail('by', `names ${key} twice`);
      dimensions.push(key as Dimension);
    } else {
      return fail(
        'by',
        `has an unknown dimension "${key}" (known: ${[...DIMENSIONS, ...BUCKETS].join(', ')})`,
      );
    }
  }
  return ok({
    from,
    to,
    sources,
    owners,
    pipeline: q.pipeline,
    dimensions,
    bucket,
    asOf: q.asOf,
    timezone: ctx.timezone,
    stageOrder: ctx.stageOrder,
  });
}
