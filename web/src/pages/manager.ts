import type { MetricRow } from '../api';
import { categoryChart, horizontalBars } from '../charts/options';
import { goalTable } from '../components/goals';
import { kpiCard } from '../components/kpiCard';
import { grid, link, panel, table } from '../components/ui';
import { h } from '../dom';
import { bucketRange, type Filters, type Period, period, previousPeriod, yearPeriod } from '../filters';
import { formatCount, formatMoney, formatPercent, ownerLabel } from '../format';
import type { Page, PageContext } from '../page';
import { align, distinct, goalRow, goalScope, leadsUrl, metric, num, scope, str } from './shared';

const KPIS = [
  { metric: 'sales_amount', label: 'Sales amount', unit: 'currency', goal: true },
  { metric: 'leads_won', label: 'Leads won', unit: 'count', goal: true },
  { metric: 'ticket_average', label: 'Ticket average', unit: 'currency', goal: false },
  { metric: 'conversion_rate', label: 'Conversion rate (won ÷ entered)', unit: 'ratio', goal: false },
] as const;

export const managerPage: Page = {
  path: 'manager',
  title: 'Sales performance',
  nav: { label: 'Manager', icon: 'M4 19V9m6 10V5m6 14v-7m4 7H2' },
  filters: ['source', 'period', 'owner'],
  async render(ctx) {
    const f = ctx.filters;
    const cur = period(f);
    const prev = previousPeriod(f);
    const year = yearPeriod(f);
    const [current, previous, goals, funnel, board, byMonth] = await Promise.all([
      Promise.all(KPIS.map((k) => metric(k.metric, scope(f, cur)))),
      Promise.all(KPIS.map((k) => metric(k.metric, scope(f, prev)))),
      metric('goal_progress', goalScope(f, cur)),
      metric('funnel', scope(f, cur)),
      metric('leaderboard', scope(f, cur, { owner: undefined })),
      metric('sales_amount', scope(f, year, { by: 'month' })),
    ]);
    const kind = f.month === null ? 'year' : 'month';
    const cards = KPIS.map((k, i) => {
      const g = k.goal
        ? goalRow(goals.rows, { metric: k.metric, period: kind, source: f.source, owner: f.owner })
        : undefined;
      return kpiCard({
        metric: k.metric,
        label: k.label,
        unit: k.unit,
        value: num(current[i]?.rows[0]),
        previous: { value: num(previous[i]?.rows[0]), label: prev.label },
        goal: k.goal
          ? g
            ? { target: num(g, 'target'), value: num(g) }
            : { target: null, value: null }
          : undefined,
        onClick: () =>
          ctx.go(
            k.metric === 'conversion_rate'
              ? leadsUrl(f, { entered_from: cur.from, entered_to: cur.to }, `Leads entered · ${cur.label}`)
              : wonUrl(f, cur, `Leads won · ${cur.label}`),
          ),
      });
    });
    return h(
      'div',
      { class: 'page' },
      h('div', { class: 'kpis', 'data-period': `${cur.from}..${cur.to}` }, ...cards),
      grid(
        panel('Funnel', funnelChart(ctx, f, cur, funnel.rows), {
          span: 6,
          subtitle: `Leads entered in ${cur.label}, by the furthest stage they reached — click a stage for its leads`,
          id: 'funnel',
        }),
        panel(
          'Goal progress',
          goalTable(
            goals.rows.filter((r) => (f.owner ? r['scope'] === 'owner' : r['scope'] === 'office')),
            { compact: true },
          ),
          {
            span: 6,
            subtitle: `Month and year goals as of ${cur.to}`,
            id: 'goals',
          },
        ),
        panel('Agent leaderboard', leaderboard(ctx, f, cur, board.rows), {
          span: 7,
          subtitle: `${cur.label} — click an agent for their won leads`,
          id: 'leaderboard',
        }),
        panel(
          `Sales by month, ${f.year}`,
          ctx.chart(
            'sales-by-month',
            categoryChart({
              categories: distinct(byMonth.rows, 'month'),
              series: [
                {
                  name: 'Sales amount',
                  values: align(byMonth.rows, 'month', distinct(byMonth.rows, 'month')),
                },
              ],
              unit: 'currency',
            }),
            {
              height: 260,
              onClick: (c) => {
                const key = distinct(byMonth.rows, 'month')[c.dataIndex];
                const r = key ? bucketRange(key) : undefined;
                if (r) ctx.go(wonUrl(f, r, `Leads won · ${key}`));
              },
            },
          ),
          { span: 5, subtitle: 'Click a bar for the leads won that month', id: 'sales-by-month' },
        ),
      ),
    );
  },
};

const wonUrl = (f: Filters, p: Pick<Period, 'from' | 'to'>, label: string) =>
  leadsUrl(f, { status_group: 'won', closed_from: p.from, closed_to: p.to }, label);

/** The funnel as horizontal bars: count per stage, labelled with the API's step conversion. */
export function funnelChart(ctx: PageContext, f: Filters, p: Period, rows: MetricRow[]): HTMLElement {
  const stages = rows.map((r) => str(r, 'stage'));
  return ctx.chart(
    'funnel',
    horizontalBars({
      labels: stages,
      series: [{ name: 'Leads', values: rows.map((r) => num(r)) }],
      unit: 'count',
      valueLabels: rows.map((r) => {
        const step = num(r, 'step_conversion');
        return `${formatCount(num(r))}${step === null ? '' : `  ·  ${formatPercent(step)}`}`;
      }),
    }),
    {
      height: Math.max(180, stages.length * 38 + 24),
      label: 'Funnel',
      onClick: (c) => {
        // Reached a stage = its history holds that stage or a later one (the API's definition).
        const reached = stages.slice(c.dataIndex);
        ctx.go(
          leadsUrl(
            f,
            { entered_from: p.from, entered_to: p.to, reached_step: reached.join(',') },
            `Entered in ${p.label}, reached ${stages[c.dataIndex] ?? ''}`,
          ),
        );
      },
    },
  );
}

function leaderboard(ctx: PageContext, f: Filters, p: Period, rows: MetricRow[]): HTMLElement {
  return table(
    rows,
    [
      { label: '#', cell: (r) => formatCount(num(r, 'rank')) },
      {
        label: 'Agent',
        cell: (r) => {
          const q = new URLSearchParams({ owner: str(r, 'owner'), year: String(f.year) });
          if (f.month !== null) q.set('month', String(f.month));
          if (f.source) q.set('source', f.source);
          return h(
            'span',
            {},
            ownerLabel(str(r, 'owner')),
            ' ',
            link(`/agent?${q}`, 'profile', 'link small'),
          );
        },
      },
      { label: 'Sales', cell: (r) => formatMoney(num(r, 'sales_amount')), align: 'right' },
      { label: 'Won', cell: (r) => formatCount(num(r, 'leads_won')), align: 'right' },
      { label: 'Entered', cell: (r) => formatCount(num(r, 'leads_entered')), align: 'right' },
      { label: 'Conversion', cell: (r) => formatPercent(num(r, 'conversion_rate')), align: 'right' },
      { label: 'Ticket avg', cell: (r) => formatMoney(num(r, 'ticket_average')), align: 'right' },
    ],
    {
      testId: 'leaderboard',
      onRow: (r) =>
        ctx.go(
          leadsUrl(
            { ...f, owner: str(r, 'owner') || 'none' },
            { status_group: 'won', closed_from: p.from, closed_to: p.to },
            `Won by ${ownerLabel(str(r, 'owner'))} · ${p.label}`,
          ),
        ),
    },
  );
}
