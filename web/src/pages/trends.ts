import { type MetricRow, metricList, sourceHealth } from '../api';
import { categoryChart, type Series } from '../charts/options';
import { grid, panel, table } from '../components/ui';
import { h } from '../dom';
import { isoDate, today } from '../filters';
import { formatBucket, formatValue } from '../format';
import type { Page } from '../page';
import { align, distinct, metric, num, str } from './shared';

/** Metrics that are not a value over time (lists, rankings, goals). */
const NOT_TRENDS = new Set(['funnel', 'leaderboard', 'activity', 'goal_progress', 'stage_duration']);
const BUCKETS = ['month', 'week', 'quarter'] as const;

export const trendsPage: Page = {
  path: 'trends',
  title: 'Trends',
  nav: { label: 'Trends', icon: 'M3 17l6-6 4 4 8-8M15 7h6v6' },
  filters: ['source', 'owner'],
  async render(ctx) {
    const f = ctx.filters;
    const q = ctx.params;
    const now = today();
    const name = q.get('metric') ?? 'sales_amount';
    const bucket = (BUCKETS as readonly string[]).includes(q.get('bucket') ?? '')
      ? (q.get('bucket') as string)
      : 'month';
    const from = q.get('from') ?? isoDate(now.year - 1, 1, 1);
    const to = q.get('to') ?? now.iso;
    const compare = !f.source && q.get('compare') !== '0';
    // Offices compared: one call per office, so the API fills every bucket of each (0 or null).
    const offices = compare ? (await sourceHealth()).sources.map((s) => s.source) : [];
    const params = { from, to, owner: f.owner || undefined, by: bucket };
    const [list, result, perOffice] = await Promise.all([
      metricList(),
      metric(name, { ...params, source: f.source || undefined }),
      Promise.all(offices.map((s) => metric(name, { ...params, source: s }))),
    ]);
    const info = list.metrics.find((m) => m.name === name);
    const buckets = distinct(result.rows, bucket);
    const series: Series[] = compare
      ? perOffice.map((r, i) => ({ name: offices[i] ?? '', values: align(r.rows, bucket, buckets) }))
      : [{ name: info?.title ?? name, values: align(result.rows, bucket, buckets) }];
    const tableRows = compare
      ? perOffice.flatMap((r, i) => r.rows.map((row) => ({ ...row, source: offices[i] ?? '' })))
      : result.rows;
    const controls = h(
      'div',
      { class: 'toolbar' },
      h(
        'label',
        { class: 'filter' },
        h('span', {}, 'Metric'),
        h(
          'select',
          {
            'data-filter': 'metric',
            onchange: (e: Event) => ctx.setParams({ metric: (e.target as HTMLSelectElement).value }),
          },
          ...list.metrics
            .filter((m) => !NOT_TRENDS.has(m.name))
            .map((m) =>
              h('option', { value: m.name, ...(m.name === name ? { selected: true } : {}) }, m.title),
            ),
        ),
      ),
      h(
        'label',
        { class: 'filter' },
        h('span', {}, 'By'),
        h(
          'select',
          {
            'data-filter': 'bucket',
            onchange: (e: Event) => ctx.setParams({ bucket: (e.target as HTMLSelectElement).value }),
          },
          ...BUCKETS.map((b) => h('option', { value: b, ...(b === bucket ? { selected: true } : {}) }, b)),
        ),
      ),
      dateInput('From', 'from', from, ctx.setParams),
      dateInput('To', 'to', to, ctx.setParams),
      f.source
        ? null
        : h(
            'label',
            { class: 'filter check' },
            h('input', {
              type: 'checkbox',
              ...(compare ? { checked: true } : {}),
              onchange: (e: Event) =>
                ctx.setParams({ compare: (e.target as HTMLInputElement).checked ? null : '0' }),
            }),
            h('span', {}, 'Compare offices'),
          ),
    );
    return h(
      'div',
      { class: 'page' },
      controls,
      grid(
        panel(
          info?.title ?? name,
          ctx.chart(
            'trend',
            categoryChart({ categories: buckets, series, unit: result.unit, kind: compare ? 'bar' : 'line' }),
            { height: 360 },
          ),
          { subtitle: info?.definition ?? '', id: 'trend' },
        ),
        panel('Values', valuesTable(tableRows, bucket, compare, result.unit), { id: 'trend-values' }),
      ),
    );
  },
};

function dateInput(
  label: string,
  name: string,
  value: string,
  set: (p: Record<string, string | null>) => void,
) {
  return h(
    'label',
    { class: 'filter' },
    h('span', {}, label),
    h('input', {
      type: 'date',
      value,
      'data-filter': name,
      onchange: (e: Event) => set({ [name]: (e.target as HTMLInputElement).value || null }),
    }),
  );
}

function valuesTable(rows: MetricRow[], bucket: string, compare: boolean, unit: string): HTMLElement {
  return table(
    rows,
    [
      { label: 'Period', cell: (r) => formatBucket(str(r, bucket)) },
      ...(compare ? [{ label: 'Office', cell: (r: MetricRow) => str(r, 'source') }] : []),
      { label: 'Value', cell: (r) => formatValue(num(r), unit), align: 'right' },
    ],
    { testId: 'trend-values' },
  );
}
