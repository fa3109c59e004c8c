import { runComposite } from './leadComposite.js';
import { CLOSE_TIME, IS_WON } from './leadFacts.js';
import { combinedSql } from './leadMeasures.js';
import { runSql } from './runSql.js';
import { DIMENSIONS, type Filter, type LeadComposite, type MetricDefinition } from './types.js';
import { LIVE_FRESHNESS } from './volume.js';

const FILTERS: readonly Filter[] = ['from', 'to', 'source', 'owner', 'pipeline'];
const base = {
  family: 'conversion',
  unit: 'ratio',
  dimensions: DIMENSIONS,
  buckets: true,
  freshness: LIVE_FRESHNESS,
} as const;
const ratio = (m: string[]) => `COALESCE(${m[0]}, 0) / NULLIF(${m[1]}, 0)`;
/** Rates also show what they divide, so a reader (or a BI tool) can re-aggregate them. */
const parts = (m: string[]) => ({
  numerator: `COALESCE(${m[0]}, 0)::float8`,
  denominator: `COALESCE(${m[1]}, 0)::float8`,
});

const conversion: LeadComposite = {
  measures: [
    { basis: 'closed', where: IS_WON, agg: 'count(*)' },
    { basis: 'entered', agg: 'count(*)' },
  ],
  value: ratio,
};
const winRate: LeadComposite = {
  measures: [
    { basis: 'closed', where: IS_WON, agg: 'count(*)' },
    { basis: 'closed', agg: 'count(*)' },
  ],
  value: ratio,
};

export const conversionMetrics: MetricDefinition[] = [
  {
    ...base,
    name: 'conversion_rate',
    title: 'Conversion rate (won vs entered)',
    definition:
      'leads_won ÷ leads_entered over the same period and group, each counted by its own time (won by close time, entered by creation time) — the seed\'s "Firmados vs Ingresados". It can exceed 1 when more leads close than enter. Empty when no lead entered.',
    filters: FILTERS,
    lead: conversion,
    run: runComposite(conversion, 'ratio', parts),
  },
  {
    ...base,
    name: 'cohort_conversion',
    asOf: 'won by the end of the asOf day (default: now)',
    title: 'Cohort conversion',
    definition:
      'Of the leads entered in the period (grouped by when they entered), the share that is won now — or, with asOf, that was won by the end of that day (current status won, close time before then).',
    filters: [...FILTERS, 'asOf'],
    run: (db, p) =>
      runSql(
        db,
        combinedSql(
          p,
          (sql, per) => {
            const until = p.asOf
              ? `((${sql.p(p.asOf)}::date + 1)::timestamp AT TIME ZONE ${per.tz})`
              : 'now()';
            return [
              { basis: 'entered', agg: `count(*) FILTER (WHERE ${IS_WON} AND ${CLOSE_TIME} < ${until})` },
              { basis: 'entered', agg: 'count(*)' },
            ];
          },
          ratio,
          'ratio',
          parts,
        ),
      ),
  },
  {
    ...base,
    name: 'win_rate',
    title: 'Win rate',
    definition:
      'leads_won ÷ (leads_won + leads_lost + leads_cancelled): the share of the leads closed in the period (by close time) that were won. Empty when none closed.',
    filters: FILTERS,
    lead: winRate,
    run: runComposite(winRate, 'ratio', parts),
  },
];
