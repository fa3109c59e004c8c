import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderMetricsDoc } from './metricsDoc.js';
import { METRICS } from './registry.js';

test('docs/metrics.md is generated from the definitions and up to date (npm run docs:metrics)', () => {
  const onDisk = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderMetricsDoc());
});

test('every metric has a definition, a unit and filters; names are unique', () => {
  const names = new Set<string>();
  for (const m of METRICS) {
    assert.ok(!names.has(m.name), m.name);
    names.add(m.name);
    assert.ok(m.definition.length > 40, `${m.name} definition`);
    assert.ok(m.filters.length > 0, `${m.name} filters`);
  }
  for (const required of [
    'leads_entered',
    'leads_won',
    'leads_lost',
    'leads_cancelled',
    'leads_open',
    'leads_deleted',
    'sales_amount',
    'ticket_average',
    'pipeline_value',
    'pipeline_weighted',
    'conversion_rate',
    'cohort_conversion',
    'win_rate',
    'funnel',
    'stage_duration',
    'leaderboard',
    'activity',
    'goal_progress',
  ])
    assert.ok(names.has(required), required);
});
