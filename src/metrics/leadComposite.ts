import { combinedSql } from './leadMeasures.js';
import { runSql } from './runSql.js';
import type { LeadComposite, MetricDefinition, Unit } from './types.js';

/** The `run` of a metric that is a LeadComposite: one grouped query over the lead facts. */
export function runComposite(
  lead: LeadComposite,
  unit: Unit,
  extra?: (m: string[]) => Record<string, string>,
): MetricDefinition['run'] {
  return (db, p) => runSql(db, combinedSql(p, lead.measures, lead.value, unit, extra));
}
