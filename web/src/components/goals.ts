import type { MetricRow } from '../api';
import { h } from '../dom';
import { formatBucket, formatCount, formatMoney, formatPercent, ownerLabel } from '../format';
import { num, str } from '../pages/shared';
import { table } from './ui';

const goalValue = (r: MetricRow, k: string) =>
  r['metric'] === 'sales_amount' ? formatMoney(num(r, k)) : formatCount(num(r, k));

const METRIC_LABEL: Record<string, string> = { sales_amount: 'Sales amount', leads_won: 'Leads won' };

/** Goal progress rows as the API gives them: target, actual, share, expected by now, pace needed. */
export function goalTable(
  rows: MetricRow[],
  opts: { showScope?: boolean; compact?: boolean } = {},
): HTMLElement {
  if (opts.compact) return compactGoals(rows);
  return table(
    rows,
    [
      ...(opts.showScope === false
        ? []
        : [
            {
              label: 'Goal of',
              cell: (r: MetricRow) =>
                r['scope'] === 'owner' ? ownerLabel(str(r, 'owner')) : str(r, 'source'),
            },
          ]),
      {
        label: 'Goal',
        cell: (r) => `${METRIC_LABEL[str(r, 'metric')] ?? str(r, 'metric')} · ${str(r, 'period_start')}`,
      },
      { label: 'Target', cell: (r) => goalValue(r, 'target'), align: 'right' },
      { label: 'Actual', cell: (r) => goalValue(r, 'actual'), align: 'right' },
      {
        label: 'Progress',
        cell: (r) =>
          h(
            'div',
            { class: 'progress', 'data-goal-progress': String(num(r)) },
            h('div', { class: 'bar' }, h('span', { style: `width:${Math.min(100, (num(r) ?? 0) * 100)}%` })),
            h('span', {}, formatPercent(num(r))),
          ),
      },
      { label: 'Expected by now', cell: (r) => goalValue(r, 'expected'), align: 'right' },
      { label: 'Remaining', cell: (r) => goalValue(r, 'remaining'), align: 'right' },
      { label: 'Days left', cell: (r) => formatCount(num(r, 'working_days_left')), align: 'right' },
      { label: 'Pace needed / day', cell: (r) => goalValue(r, 'pace_needed'), align: 'right' },
    ],
    { emptyText: 'No goal set for this period (POST /api/v1/goals).', testId: 'goals' },
  );
}

const SHORT: Record<string, string> = { sales_amount: 'Sales', leads_won: 'Won' };

const scopeOf = (r: MetricRow) => (r['scope'] === 'owner' ? ownerLabel(str(r, 'owner')) : str(r, 'source'));

/** Narrow panels: one line per goal, the figures the manager reads first. */
function compactGoals(rows: MetricRow[]): HTMLElement {
  return table(
    rows,
    [
      {
        label: 'Goal',
        cell: (r) =>
          h(
            'div',
            {},
            h(
              'strong',
              { class: 'nowrap' },
              `${SHORT[str(r, 'metric')] ?? str(r, 'metric')} · ${formatBucket(str(r, 'period_start'))}`,
            ),
            h('div', { class: 'muted' }, scopeOf(r)),
          ),
      },
      {
        label: 'Actual / target',
        cell: (r) => `${goalValue(r, 'actual')} / ${goalValue(r, 'target')}`,
        align: 'right',
      },
      {
        label: 'Progress',
        cell: (r) =>
          h(
            'div',
            { class: 'progress', 'data-goal-progress': String(num(r)) },
            h('div', { class: 'bar' }, h('span', { style: `width:${Math.min(100, (num(r) ?? 0) * 100)}%` })),
            h('span', {}, formatPercent(num(r))),
          ),
      },
      { label: 'Pace / day', cell: (r) => goalValue(r, 'pace_needed'), align: 'right' },
    ],
    { emptyText: 'No goal set for this period (POST /api/v1/goals).', testId: 'goals' },
  );
}
