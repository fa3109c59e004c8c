import { categoryChart } from '../charts/options';
import { grid, link, panel, table } from '../components/ui';
import { h } from '../dom';
import { period } from '../filters';
import { formatCount, ownerLabel } from '../format';
import type { Page } from '../page';
import { align, distinct, metric, num, scope, str } from './shared';

export const activityPage: Page = {
  path: 'activity',
  title: 'Activity',
  nav: { label: 'Activity', icon: 'M3 12h4l3-8 4 16 3-8h4' },
  filters: ['source', 'period', 'owner'],
  async render(ctx) {
    const f = ctx.filters;
    const cur = period(f);
    const [weekly, totals] = await Promise.all([
      metric('activity', scope(f, cur, { by: 'week' })),
      metric('activity', scope(f, cur)),
    ]);
    const weeks = distinct(weekly.rows, 'week').sort();
    const owners = distinct(weekly.rows, 'owner');
    return h(
      'div',
      { class: 'page' },
      grid(
        panel(
          'Stage moves per agent per week',
          ctx.chart(
            'activity',
            categoryChart({
              categories: weeks,
              series: owners.map((o) => ({
                name: ownerLabel(o),
                values: align(
                  weekly.rows.filter((r) => str(r, 'owner') === o),
                  'week',
                  weeks,
                ),
              })),
              unit: 'count',
              stack: true,
            }),
            { height: 340 },
          ),
          {
            subtitle: `Changes of stage or status made in ${cur.label}, by who made them`,
            id: 'activity-chart',
          },
        ),
        panel(
          'Per agent',
          table(
            totals.rows,
            [
              {
                label: 'Agent',
                cell: (r) => {
                  const q = new URLSearchParams({ owner: str(r, 'owner'), year: String(f.year) });
                  if (f.month !== null) q.set('month', String(f.month));
                  if (f.source) q.set('source', f.source);
                  return link(`/agent?${q}`, ownerLabel(str(r, 'owner')));
                },
              },
              { label: 'Moves', cell: (r) => formatCount(num(r)), align: 'right' },
              { label: 'Stage moves', cell: (r) => formatCount(num(r, 'step_moves')), align: 'right' },
              { label: 'Status changes', cell: (r) => formatCount(num(r, 'status_changes')), align: 'right' },
            ],
            { testId: 'activity', emptyText: 'No stage moves in this period.' },
          ),
          { id: 'activity-table' },
        ),
      ),
    );
  },
};
