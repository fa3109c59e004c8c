import { leads } from '../api';
import { horizontalBars } from '../charts/options';
import { kpiCard } from '../components/kpiCard';
import { grid, link, panel, table } from '../components/ui';
import { h } from '../dom';
import { period, yearPeriod } from '../filters';
import { formatCount, formatDate, formatMoney, formatValue, ownerLabel } from '../format';
import type { Page } from '../page';
import { align, distinct, leadsUrl, metric, num, scope, str } from './shared';

const STUCK_DAYS = [14, 30, 60, 90];

export const pipelinePage: Page = {
  path: 'pipeline',
  title: 'Pipeline',
  nav: { label: 'Pipeline', icon: 'M3 5h18l-7 8v6l-4-2v-4z' },
  filters: ['source', 'period', 'owner'],
  async render(ctx) {
    const f = ctx.filters;
    const cur = period(f);
    const stuckDays = Number(ctx.params.get('stuck_days') ?? 30) || 30;
    const [open, value, weighted, openByStage, valueByStage, durations, funnel, stuck] = await Promise.all([
      metric('leads_open', scope(f, cur)),
      metric('pipeline_value', scope(f, cur)),
      metric('pipeline_weighted', scope(f, cur)),
      metric('leads_open', scope(f, cur, { by: 'stage' })),
      metric('pipeline_value', scope(f, cur, { by: 'stage' })),
      metric('stage_duration', scope(f, cur)),
      metric('funnel', scope(f, yearPeriod(f))), // for the stage order only
      leads({
        status_group: 'open',
        stale_days: stuckDays,
        source: f.source || undefined,
        owner: f.owner || undefined,
        limit: 200,
      }),
    ]);
    // The API's stage order (funnel and stage_duration rows carry positions); unknown stages last.
    const order = new Map(
      [...funnel.rows, ...durations.rows].map((r) => [str(r, 'stage'), num(r, 'position') ?? 999]),
    );
    const stages = distinct(openByStage.rows, 'stage').sort(
      (a, b) => (order.get(a) ?? 999) - (order.get(b) ?? 999),
    );
    const stuckRows = [...stuck.data].sort((a, b) => (a.step_since ?? '').localeCompare(b.step_since ?? ''));
    return h(
      'div',
      { class: 'page' },
      h(
        'div',
        { class: 'kpis' },
        kpiCard({
          metric: 'leads_open',
          label: `Open leads at ${cur.to}`,
          unit: 'count',
          value: num(open.rows[0]),
        }),
        kpiCard({
          metric: 'pipeline_value',
          label: 'Pipeline value',
          unit: 'currency',
          value: num(value.rows[0]),
        }),
        kpiCard({
          metric: 'pipeline_weighted',
          label: 'Weighted pipeline',
          unit: 'currency',
          value: num(weighted.rows[0]),
        }),
      ),
      grid(
        panel(
          'Open leads and value by stage',
          ctx.chart(
            'open-by-stage',
            horizontalBars({
              labels: stages,
              series: [{ name: 'Open leads', values: align(openByStage.rows, 'stage', stages) }],
              unit: 'count',
              valueLabels: stages.map((s) =>
                formatMoney(num(valueByStage.rows.find((r) => str(r, 'stage') === s))),
              ),
            }),
            {
              height: Math.max(180, stages.length * 38 + 24),
              onClick: (c) =>
                ctx.go(
                  leadsUrl(
                    f,
                    { status_group: 'open', step: stages[c.dataIndex] },
                    `Open in ${stages[c.dataIndex] ?? ''}`,
                  ),
                ),
            },
          ),
          {
            span: 6,
            subtitle: 'Count of open leads (bars) and their amount (labels) — click a stage',
            id: 'open-by-stage',
          },
        ),
        panel(
          'Aging: days in stage',
          table(
            durations.rows,
            [
              { label: 'Stage', cell: (r) => str(r, 'stage') },
              { label: 'Median', cell: (r) => formatValue(num(r), 'days'), align: 'right' },
              { label: 'Mean', cell: (r) => formatValue(num(r, 'mean_days'), 'days'), align: 'right' },
              { label: 'Stays', cell: (r) => formatCount(num(r, 'stays')), align: 'right' },
            ],
            { testId: 'stage-duration', emptyText: 'No stay in a stage ended in this period.' },
          ),
          { span: 6, subtitle: `Stays in a stage that ended in ${cur.label}`, id: 'aging' },
        ),
        panel(
          'Stuck leads',
          table(
            stuckRows,
            [
              {
                label: 'Lead',
                cell: (l) => link(`/lead/${l.source}/${encodeURIComponent(l.id)}`, l.title ?? l.id),
              },
              { label: 'Office', cell: (l) => l.source },
              { label: 'Agent', cell: (l) => ownerLabel(l.owner) },
              { label: 'Stage', cell: (l) => l.step ?? '—' },
              { label: 'In stage since', cell: (l) => formatDate(l.step_since) },
              { label: 'Amount', cell: (l) => formatMoney(l.amount), align: 'right' },
            ],
            {
              testId: 'stuck',
              emptyText: `No open lead has been in its stage for ${stuckDays} days or more.`,
            },
          ),
          {
            span: 12,
            subtitle: `Open leads in the same stage for ${stuckDays} days or more${stuck.next_cursor ? ' (first 200)' : ''}`,
            id: 'stuck',
            actions: h(
              'div',
              { class: 'segmented' },
              ...STUCK_DAYS.map((d) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: d === stuckDays ? 'active' : '',
                    onclick: () => ctx.setParams({ stuck_days: String(d) }),
                  },
                  `${d} d`,
                ),
              ),
            ),
          },
        ),
      ),
    );
  },
};
