import type { SqlParams } from './sqlParams.js';
import type { Bucket, MetricParams } from './types.js';

/** to_char formats of the buckets: 2026-11-24, 2026-W48, 2026-11, 2026-Q4, 2026. */
export const BUCKET_FORMAT: Record<Bucket, string> = {
  day: 'YYYY-MM-DD',
  week: 'IYYY-"W"IW',
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
};

/** SQL for the period and buckets of one call, in the reporting timezone. */
export interface Period {
  tz: string;
  /** First instant of `from` (local midnight). */
  lo: string;
  /** First instant after `to` (the next local midnight). */
  hi: string;
  /** The bucket label of a timestamptz expression. */
  bucket(ts: string, bucket: Bucket): string;
  /** The bucket's first local instant (a timestamp): cheaper to group by than the label. */
  trunc(ts: string, bucket: Bucket): string;
  /** `(SELECT … label, end_at)`: every bucket of the period with its end, capped at now. */
  bucketSeries(bucket: Bucket): string;
}

export function period(sql: SqlParams, p: MetricParams): Period {
  // Parameters are registered on first use: PostgreSQL rejects a parameter no statement uses.
  let tzRef: string | undefined;
  let fromRef: string | undefined;
  let toRef: string | undefined;
  const tz = () => (tzRef ??= sql.p(p.timezone));
  const from = () => (fromRef ??= sql.p(p.from));
  const to = () => (toRef ??= sql.p(p.to));
  return {
    get tz() {
      return tz();
    },
    get lo() {
      return `(${from()}::date::timestamp AT TIME ZONE ${tz()})`;
    },
    get hi() {
      return `((${to()}::date + 1)::timestamp AT TIME ZONE ${tz()})`;
    },
    bucket: (ts, b) => `to_char(${ts} AT TIME ZONE ${tz()}, '${BUCKET_FORMAT[b]}')`,
    trunc: (ts, b) => `date_trunc('${b}', ${ts} AT TIME ZONE ${tz()})`,
    bucketSeries: (b) => `(
      SELECT to_char(d, '${BUCKET_FORMAT[b]}') AS label,
             least((max(d)::date + 1)::timestamp AT TIME ZONE ${tz()}, now()) AS end_at
      FROM generate_series(${from()}::date::timestamp, ${to()}::date::timestamp, interval '1 day') d
      GROUP BY 1)`,
  };
}

/** Today's local date in a timezone (YYYY-MM-DD). */
export function localDate(timezone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(at);
}
