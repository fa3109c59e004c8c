import { type Lead, leads, type MetricRow } from '../api';
import { goalTable } from '../components/goals';
import { kpiCard } from '../components/kpiCard';
import { empty, external, grid, link, panel, table } from '../components/ui';
import { h } from '../dom';
import { period, previousPeriod } from '../filters';
import { formatCount, formatDate, formatMoney, formatPercent, ownerLabel } from '../format';
import type { Page } from '../page';
import { funnelChart } from './manager';
import { goalRow, goalScope, leadsUrl, metric, num, scope, str } from './shared';

const KPIS = [
  { metric: 'sales_amount', label: 'Sales amount', unit: 'currency' },
  { metric: 'leads_won', label: 'Leads won', unit: 'count' },
  { metric: 'conversion_rate', label: 'Conversion rate', unit: 'ratio' },
  { metric: 'ticket_average', label: 'Ticket average', unit: 'currency' },
] as const;

export const agentPage: Page = {
  path: 'agent',
  title: 'Agent',
  nav: { label: 'Agent', icon: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0' },
  filters: ['source', 'period', 'owner'],
  async render(ctx) {
    const f = ctx.filters;
    const cur = period(f);
    if (!f.owner) {
      const board = await metric('leaderboard', scope(f, cur));
      return panel(
        'Choose an agent',
        table(
          board.rows,
          [
            { label: 'Agent', cell: (r: MetricRow) => ownerLabel(str(r, 'owner')) },
            { label: 'E-mail', cell: (r) => str(r, 'owner') },
            {
              label: `Sales · ${cur.label}`,
              cell: (r) => formatMoney(num(r, 'sales_amount')),
              align: 'right',
            },
          ],
          {
            onRow: (r) => ctx.setParams({ owner: str(r, 'owner') }),
            testId: 'agents',
            emptyText: 'No agent has leads in this period.',
          },
        ),
        { subtitle: 'Or pick one in the Agent filter above' },
      );
    }
    const prev = previousPeriod(f);
    const [current, previous, goals, funnel, won] = await Promise.all([
      Promise.all(KPIS.map((k) => metric(k.metric, scope(f, cur)))),
      Promise.all(KPIS.map((k) => metric(k.metric, scope(f, prev)))),
      metric('goal_progress', goalScope(f, cur)),
      metric('funnel', scope(f, cur)),
      leads({
        status_group: 'won',
        owner: f.owner,
        source: f.source || undefined,
        closed_from: cur.from,
        closed_to: cur.to,
        limit: 500,
      }),
    ]);
    const kind = f.month === null ? 'year' : 'month';
    const mine = goals.rows.filter((r) => r['scope'] === 'owner' && r['owner'] === f.owner);
    const deals = [...won.data].sort((a, b) => (b.close_time ?? '').localeCompare(a.close_time ?? ''));
    return h(
      'div',
      { class: 'page' },
      h('p', { class: 'page-lead' }, h('strong', {}, ownerLabel(f.owner)), ` · ${f.owner} · ${cur.label}`),
      h(
        'div',
        { class: 'kpis' },
        ...KPIS.map((k, i) => {
          const g = goalRow(goals.rows, { metric: k.metric, period: kind, source: f.source, owner: f.owner });
          return kpiCard({
            metric: k.metric,
            label: k.label,
            unit: k.unit,
            value: num(current[i]?.rows[0]),
            previous: { value: num(previous[i]?.rows[0]), label: prev.label },
            goal:
              k.metric === 'sales_amount' || k.metric === 'leads_won'
                ? g
                  ? { target: num(g, 'target'), value: num(g) }
                  : { target: null, value: null }
                : undefined,
          });
        }),
      ),
      grid(
        panel('Goals and pace', goalTable(mine, { showScope: false }), {
          span: 12,
          subtitle:
            'Month and year goals: where the agent stands, what is expected by today, the pace needed',
          id: 'agent-goals',
        }),
        panel('Conversion per stage', [funnelChart(ctx, f, cur, funnel.rows), stageTable(funnel.rows)], {
          span: 5,
          subtitle: `Leads entered in ${cur.label} — share reaching each stage`,
          id: 'agent-funnel',
        }),
        panel(`Won deals · ${cur.label}`, dealsTable(deals), {
          span: 7,
          subtitle: `${formatCount(deals.length)}${won.next_cursor ? '+' : ''} deals — the CRM link opens the lead in noCRM`,
          id: 'won-deals',
          actions: link(
            leadsUrl(
              f,
              { status_group: 'won', closed_from: cur.from, closed_to: cur.to },
              `Won by ${ownerLabel(f.owner)} · ${cur.label}`,
            ),
            'All as list →',
          ),
        }),
      ),
    );
  },
};

function stageTable(rows: MetricRow[]): HTMLElement {
  return table(
    rows,
    [
      { label: 'Stage', cell: (r) => str(r, 'stage') },
      { label: 'Reached', cell: (r) => formatCount(num(r)), align: 'right' },
      { label: 'Step conversion', cell: (r) => formatPercent(num(r, 'step_conversion')), align: 'right' },
      { label: 'From first', cell: (r) => formatPercent(num(r, 'from_first')), align: 'right' },
    ],
    { testId: 'agent-stages' },
  );
}

function dealsTable(deals: Lead[]): HTMLElement {
  if (deals.length === 0) return empty('No deal won in this period.');
  return table(
    deals,
    [
      {
        label: 'Title',
        cell: (l) => link(`/lead/${l.source}/${encodeURIComponent(l.id)}`, l.title ?? `Lead ${l.id}`),
      },
      { label: 'Amount', cell: (l) => formatMoney(l.amount), align: 'right' },
      { label: 'Won on', cell: (l) => formatDate(l.close_time) },
      { label: 'CRM', cell: (l) => (l.permalink ? external(l.permalink, 'open') : '—') },
    ],
    { testId: 'won-deals' },
  );
}
