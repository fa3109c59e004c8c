import { conversionMetrics } from './conversion.js';
import { funnelMetric } from './funnel.js';
import { goalProgressMetric } from './goalProgress.js';
import { moneyMetrics } from './money.js';
import { peopleMetrics } from './people.js';
import { stageDurationMetric } from './stageDuration.js';
import type { MetricDefinition } from './types.js';
import { volumeMetrics } from './volume.js';

/** The data dictionary: every KPI Leadhouse serves, in the order the docs list them. */
export const METRICS: readonly MetricDefinition[] = [
  ...volumeMetrics,
  ...moneyMetrics,
  ...conversionMetrics,
  funnelMetric,
  stageDurationMetric,
  ...peopleMetrics,
  goalProgressMetric,
];

const BY_NAME = new Map(METRICS.map((m) => [m.name, m]));

export function metricByName(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}
