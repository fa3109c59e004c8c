import { asOfSql } from './asOf.js';
import { IS_WON } from './leadFacts.js';
import { combinedSql, type Measure } from './leadMeasures.js';
import { runSql } from './runSql.js';
import { DIMENSIONS, type Filter, type MetricDefinition } from './types.js';

const FILTERS: readonly Filter[] = ['from', 'to', 'source', 'owner', 'pipeline'];
export const LIVE_FRESHNESS =
  'Live: computed at request time from the projections, which the ingest updates in the same transaction as the events.';
/** The instant the open-pipeline metrics describe. */
export const AT_PERIOD_END =
  'the end of `to` (with a time bucket: the end of each bucket), never later than now';
const count = (m: string[]) => `COALESCE(${m[0]}, 0)`;

function countMetric(name: string, title: string, definition: string, measure: Measure): MetricDefinition {
  const lead = { measures: [measure], value: count };
  return {
    lead,
    name,
    title,
    family: 'volume',
    unit: 'count',
    definition,
    dimensions: DIMENSIONS,
    buckets: true,
    filters: FILTERS,
    freshness: LIVE_FRESHNESS,
    run: (db, p) => runSql(db, combinedSql(p, lead.measures, lead.value, 'count')),
  };
}

export const volumeMetrics: MetricDefinition[] = [
  countMetric(
    'leads_entered',
    'Leads entered',
    'Leads created in the period, by their creation time in the CRM. Deleted leads are not counted.',
    { basis: 'entered', agg: 'count(*)' },
  ),
  countMetric(
    'leads_won',
    'Leads won',
    "Leads whose current status is won and whose close time falls in the period. The close time is the CRM's closed_at when it gives one, otherwise the time the lead's status became won. A lead won then reopened is not counted.",
    { basis: 'closed', where: IS_WON, agg: 'count(*)' },
  ),
  countMetric(
    'leads_lost',
    'Leads lost',
    'Leads whose current status is lost and whose close time falls in the period (cancelled leads are counted apart, in leads_cancelled).',
    { basis: 'closed', where: `l.status = 'lost'`, agg: 'count(*)' },
  ),
  countMetric(
    'leads_cancelled',
    'Leads cancelled',
    'Leads whose current status is cancelled (withdrawn: not a sale lost to a competitor) and whose close time falls in the period.',
    { basis: 'closed', where: `l.status IN ('cancelled', 'canceled')`, agg: 'count(*)' },
  ),
  countMetric(
    'leads_deleted',
    'Leads deleted',
    'Leads deleted in the CRM during the period, by deletion time. Deleted leads are left out of every other metric.',
    { basis: 'deleted', agg: 'count(*)' },
  ),
  {
    name: 'leads_open',
    asOf: AT_PERIOD_END,
    title: 'Open leads',
    family: 'volume',
    unit: 'count',
    definition:
      'Leads open at the end of the period (or of each bucket, never later than now): entered by then and not closed by then — their status is open now, or they closed later. Grouped by their current owner, pipeline and stage.',
    dimensions: DIMENSIONS,
    buckets: true,
    filters: FILTERS,
    freshness: LIVE_FRESHNESS,
    run: (db, p) => runSql(db, asOfSql(p, 'count(*)', 'count')),
  },
];
