import { asOfSql } from './asOf.js';
import { runComposite } from './leadComposite.js';
import { IS_WON } from './leadFacts.js';
import { runSql } from './runSql.js';
import { DIMENSIONS, type Filter, type LeadComposite, type MetricDefinition } from './types.js';
import { AT_PERIOD_END, LIVE_FRESHNESS } from './volume.js';

const FILTERS: readonly Filter[] = ['from', 'to', 'source', 'owner', 'pipeline'];
const base = {
  family: 'money',
  unit: 'currency',
  dimensions: DIMENSIONS,
  buckets: true,
  filters: FILTERS,
  freshness: LIVE_FRESHNESS,
} as const;

const sales: LeadComposite = {
  measures: [{ basis: 'closed', where: IS_WON, agg: 'sum(l.amount)' }],
  value: (m) => `COALESCE(${m[0]}, 0)`,
};
const ticket: LeadComposite = {
  measures: [
    { basis: 'closed', where: IS_WON, agg: 'sum(l.amount)' },
    { basis: 'closed', where: IS_WON, agg: 'count(l.amount)' },
  ],
  value: (m) => `${m[0]} / NULLIF(${m[1]}, 0)`,
};

export const moneyMetrics: MetricDefinition[] = [
  {
    ...base,
    name: 'sales_amount',
    title: 'Sales amount',
    definition:
      'The sum of the amounts of the leads won in the period (by close time, as leads_won), at their current amount. Amounts are summed as they are stored, whatever their currency.',
    lead: sales,
    run: runComposite(sales, 'currency'),
  },
  {
    ...base,
    name: 'ticket_average',
    title: 'Ticket average',
    definition:
      'The mean amount of the leads won in the period: sales_amount divided by the number of won leads that have an amount (won leads without an amount are left out). Empty when nothing was won.',
    lead: ticket,
    run: runComposite(ticket, 'currency'),
  },
  {
    ...base,
    name: 'pipeline_value',
    asOf: AT_PERIOD_END,
    title: 'Pipeline value',
    definition:
      'The sum of the current amounts of the leads open at the end of the period (as leads_open). Leads without an amount add nothing.',
    run: (db, p) => runSql(db, asOfSql(p, 'COALESCE(sum(o.amount), 0)', 'currency')),
  },
  {
    ...base,
    name: 'pipeline_weighted',
    asOf: AT_PERIOD_END,
    title: 'Weighted pipeline',
    definition:
      "The open leads' amounts each multiplied by the lead's win probability (percent, 0–100; none counts as 0), summed: the expected value of the pipeline at the end of the period.",
    run: (db, p) =>
      runSql(db, asOfSql(p, 'COALESCE(sum(o.amount * COALESCE(o.probability, 0) / 100), 0)', 'currency')),
  },
];
