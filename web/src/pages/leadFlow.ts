import type { MetricRow } from '../api';
import { categoryChart } from '../charts/options';
import { kpiCard } from '../components/kpiCard';
import { grid, panel } from '../components/ui';
import { h } from '../dom';
import { bucketRange, type Filters, period, previousPeriod } from '../filters';
import type { Page, PageContext } from '../page';
import { align, distinct, leadsUrl, metric, num, scope, str } from './shared';

export const leadFlowPage: Page = {
  path: 'lead-flow',
  title: 'Lead flow',
  nav: { label: 'Lead flow', icon: 'M4 6h10M4 12h16M4 18h7m9-12l-3-3m3 3l-3 3' },
  filters: ['source', 'period', 'owner'],
  async render(ctx) {
    const f = ctx.filters;
    const cur = period(f);
    const prev = previousPeriod(f);
    const bucket = f.month === null ? 'month' : 'day';
    const [total, before, bySource, byChannel] = await Promise.all([
      metric('leads_entered', scope(f, cur)),
      metric('leads_entered', scope(f, prev)),
      metric('leads_entered', scope(f, cur, { by: `source,${bucket}` })),
      metric('leads_entered', scope(f, cur, { by: `channel,${bucket}` })),
    ]);
    return h(
      'div',
      { class: 'page' },
      h(
        'div',
        { class: 'kpis' },
        kpiCard({
          metric: 'leads_entered',
          label: 'Leads entered',
          unit: 'count',
          value: num(total.rows[0]),
          previous: { value: num(before.rows[0]), label: prev.label },
        }),
      ),
      grid(
        panel('By office', stacked(ctx, f, 'by-source', bySource.rows, 'source', bucket), {
          span: 6,
          subtitle: `Leads entered in ${cur.label} — click a bar for its leads`,
          id: 'flow-source',
        }),
        panel('By channel', stacked(ctx, f, 'by-channel', byChannel.rows, 'channel', bucket), {
          span: 6,
          subtitle: 'How each lead first reached Leadhouse: webhook, API sync, file import…',
          id: 'flow-channel',
        }),
      ),
    );
  },
};

function stacked(ctx: PageContext, f: Filters, key: string, rows: MetricRow[], dim: string, bucket: string) {
  const buckets = distinct(rows, bucket).sort();
  const groups = distinct(rows, dim);
  return ctx.chart(
    key,
    categoryChart({
      categories: buckets,
      series: groups.map((g) => ({
        name: g,
        values: align(
          rows.filter((r) => str(r, dim) === g),
          bucket,
          buckets,
        ),
      })),
      unit: 'count',
      stack: true,
    }),
    {
      height: 320,
      onClick: (c) => {
        const b = buckets[c.dataIndex];
        const r = b ? bucketRange(b) : undefined;
        if (!r || !c.seriesName) return;
        const params = { entered_from: r.from, entered_to: r.to, [dim]: c.seriesName };
        ctx.go(
          leadsUrl(
            dim === 'source' ? { ...f, source: c.seriesName } : f,
            params,
            `Entered ${b} · ${c.seriesName}`,
          ),
        );
      },
    },
  );
}
