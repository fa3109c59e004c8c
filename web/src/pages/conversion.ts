import { categoryChart } from '../charts/options';
import { kpiCard } from '../components/kpiCard';
import { grid, panel, table } from '../components/ui';
import { h } from '../dom';
import { bucketRange, period, previousPeriod, yearPeriod } from '../filters';
import { formatCount, formatPercent } from '../format';
import type { Page } from '../page';
import { funnelChart } from './manager';
import { align, distinct, leadsUrl, metric, num, scope, str } from './shared';

const RATES = [
  { metric: 'conversion_rate', label: 'Conversion rate (won ÷ entered)' },
  { metric: 'cohort_conversion', label: 'Cohort conversion (entered → won)' },
  { metric: 'win_rate', label: 'Win rate (won ÷ closed)' },
] as const;

export const conversionPage: Page = {
  path: 'conversion',
  title: 'Conversion',
  nav: { label: 'Conversion', icon: 'M4 4h16l-6 8v6l-4 2v-8z' },
  filters: ['source', 'period', 'owner'],
  async render(ctx) {
    const f = ctx.filters;
    const cur = period(f);
    const prev = previousPeriod(f);
    const year = yearPeriod(f);
    const [now, before, funnel, cohort, rate] = await Promise.all([
      Promise.all(RATES.map((r) => metric(r.metric, scope(f, cur)))),
      Promise.all(RATES.map((r) => metric(r.metric, scope(f, prev)))),
      metric('funnel', scope(f, cur)),
      metric('cohort_conversion', scope(f, year, { by: 'month' })),
      metric('conversion_rate', scope(f, year, { by: 'month' })),
    ]);
    const months = distinct(cohort.rows, 'month');
    return h(
      'div',
      { class: 'page' },
      h(
        'div',
        { class: 'kpis' },
        ...RATES.map((r, i) =>
          kpiCard({
            metric: r.metric,
            label: r.label,
            unit: 'ratio',
            value: num(now[i]?.rows[0]),
            previous: { value: num(before[i]?.rows[0]), label: prev.label },
          }),
        ),
      ),
      grid(
        panel('Funnel', funnelChart(ctx, f, cur, funnel.rows), {
          span: 6,
          subtitle: `Leads entered in ${cur.label} — click a stage for its leads`,
          id: 'funnel',
        }),
        panel(
          'Step conversion',
          table(
            funnel.rows,
            [
              { label: 'Stage', cell: (r) => str(r, 'stage') },
              { label: 'Reached', cell: (r) => formatCount(num(r)), align: 'right' },
              {
                label: 'From previous',
                cell: (r) => formatPercent(num(r, 'step_conversion')),
                align: 'right',
              },
              { label: 'From first', cell: (r) => formatPercent(num(r, 'from_first')), align: 'right' },
            ],
            { testId: 'funnel' },
          ),
          { span: 6, id: 'funnel-table' },
        ),
        panel(
          `Conversion by month, ${f.year}`,
          ctx.chart(
            'cohort',
            categoryChart({
              categories: months,
              series: [
                { name: 'Cohort conversion (by entry month)', values: align(cohort.rows, 'month', months) },
                {
                  name: 'Conversion rate (won ÷ entered that month)',
                  values: align(rate.rows, 'month', months),
                },
              ],
              unit: 'ratio',
              kind: 'line',
            }),
            {
              height: 300,
              onClick: (c) => {
                const key = months[c.dataIndex];
                const r = key ? bucketRange(key) : undefined;
                if (r) ctx.go(leadsUrl(f, { entered_from: r.from, entered_to: r.to }, `Entered in ${key}`));
              },
            },
          ),
          {
            span: 12,
            subtitle:
              'Cohort: of the leads entered each month, the share won so far — click a month for its cohort',
            id: 'cohort',
          },
        ),
      ),
    );
  },
};
