import type { Queryable } from '../store/db.js';
import type { Measure } from './leadMeasures.js';

/** Dimensions a metric can be grouped by (`by=`), beside the time buckets. */
export const DIMENSIONS = ['source', 'owner', 'pipeline', 'stage', 'channel'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Time buckets (`by=`), in the reporting timezone. */
export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

export type GroupKey = Dimension | Bucket;
export type Unit = 'count' | 'currency' | 'ratio' | 'days';
export type Family = 'volume' | 'money' | 'conversion' | 'people' | 'goals';
export type Filter = 'from' | 'to' | 'source' | 'owner' | 'pipeline' | 'asOf';

/** Validated parameters of one metric call. Dates are local dates (YYYY-MM-DD) in `timezone`. */
export interface MetricParams {
  from: string;
  to: string;
  /** Explicit sources, or undefined for every source. */
  sources: string[] | undefined;
  /** Owner e-mails; `null` in the list stands for "unassigned". */
  owners: (string | null)[] | undefined;
  pipeline: string | undefined;
  dimensions: Dimension[];
  bucket: Bucket | undefined;
  /** Local date the metric is computed as of (cohort_conversion); undefined = now. */
  asOf: string | undefined;
  timezone: string;
  /** Configured funnel stage order per source (step names, first to last). */
  stageOrder: Record<string, readonly string[]>;
}

export type MetricRow = Record<string, string | number | null>;

/** One KPI of the data dictionary: what it means, how it is grouped, and its SQL. */
export interface MetricDefinition {
  name: string;
  title: string;
  family: Family;
  unit: Unit;
  /** One paragraph, for the business reader (API, docs/metrics.md, dashboard tooltips). */
  definition: string;
  /** What `by` accepts beside buckets (empty: no grouping). */
  dimensions: readonly Dimension[];
  /** Whether `by` accepts a time bucket. */
  buckets: boolean;
  filters: readonly Filter[];
  /** Keys every row carries whatever `by` is (e.g. `stage` for the funnel). */
  fixedKeys?: readonly string[];
  /** How fresh the figure is. */
  freshness: string;
  /** For metrics of a state at an instant (rather than events in a period): which instant. */
  asOf?: string;
  run(db: Queryable, p: MetricParams): Promise<MetricRow[]>;
  /**
   * For metrics that are plain aggregates of lead facts over a period: the measures and how they
   * combine into the value. The `reporting.kpi_*` views are generated from these.
   */
  lead?: LeadComposite;
}

export interface LeadComposite {
  measures: readonly Measure[];
  value: (m: string[]) => string;
}
