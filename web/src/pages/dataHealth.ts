import { type HealthReport, type SourceHealth, sourceHealth } from '../api';
import { categoryChart } from '../charts/options';
import { empty, grid, panel, table } from '../components/ui';
import { h } from '../dom';
import { formatAge, formatCount, formatDateTime } from '../format';
import type { Page } from '../page';

export const dataHealthPage: Page = {
  path: 'health',
  title: 'Data health',
  nav: { label: 'Data health', icon: 'M12 21s-8-5-8-11a5 5 0 0 1 8-4 5 5 0 0 1 8 4c0 6-8 11-8 11z' },
  filters: [],
  async render(ctx) {
    const report: HealthReport = await sourceHealth();
    const hours = [...new Set(report.per_hour.map((r) => r.hour))];
    const sources = report.sources.map((s) => s.source);
    return h(
      'div',
      { class: 'page' },
      grid(
        panel(
          'Sources',
          table(
            report.sources,
            [
              { label: 'Source', cell: (s: SourceHealth) => h('strong', {}, s.source) },
              { label: 'Kind', cell: (s) => s.kind },
              { label: 'Last event received', cell: (s) => formatDateTime(s.last_received_at) },
              {
                label: 'Freshness',
                cell: (s) =>
                  h(
                    'span',
                    { class: `pill ${freshness(s.freshness_seconds)}` },
                    formatAge(s.freshness_seconds),
                  ),
              },
              { label: 'Events last hour', cell: (s) => formatCount(s.events_last_hour), align: 'right' },
              { label: 'Events 24 h', cell: (s) => formatCount(s.events_last_24h), align: 'right' },
              { label: 'Quarantined', cell: (s) => formatCount(s.quarantined), align: 'right' },
              {
                label: 'Last import / sync',
                cell: (s) =>
                  s.last_sync
                    ? `${s.last_sync.kind} · ${s.last_sync.status} · ${formatDateTime(s.last_sync.finished_at)}`
                    : '—',
              },
            ],
            { testId: 'sources', emptyText: 'No source configured.' },
          ),
          { id: 'sources' },
        ),
        panel(
          'Events per hour, last 24 hours',
          hours.length
            ? ctx.chart(
                'per-hour',
                categoryChart({
                  categories: hours.map((t) =>
                    new Date(t).toLocaleTimeString('en-IE', { hour: '2-digit', minute: '2-digit' }),
                  ),
                  series: sources.map((s) => ({
                    name: s,
                    values: hours.map(
                      (t) => report.per_hour.find((r) => r.source === s && r.hour === t)?.events ?? 0,
                    ),
                  })),
                  unit: 'count',
                  stack: true,
                  bucketLabels: false,
                }),
                { height: 260 },
              )
            : empty('No events yet.'),
          { span: 8, id: 'per-hour' },
        ),
        panel('Failed deliveries', deliveries(report), {
          span: 4,
          subtitle: 'Outbound deliveries (Slack, Telegram, CRM sync) that gave up',
          id: 'deliveries',
        }),
      ),
    );
  },
};

const freshness = (s: number | null) =>
  s === null ? 'bad' : s < 3600 ? 'good' : s < 86_400 ? 'warn' : 'bad';

function deliveries(report: HealthReport): HTMLElement {
  const known = report.sources.filter((s) => s.failed_deliveries !== null);
  if (known.length === 0)
    return empty('No deliveries yet', 'Outbound deliveries are not configured on this server.');
  return table(known, [
    { label: 'Source', cell: (s) => s.source },
    { label: 'Failed', cell: (s) => formatCount(s.failed_deliveries), align: 'right' },
  ]);
}
