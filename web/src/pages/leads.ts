import { type Lead, leads, type Params } from '../api';
import { backLink, external, link, panel, table } from '../components/ui';
import { h } from '../dom';
import { formatDate, formatMoney, ownerLabel } from '../format';
import type { Page } from '../page';

/** The /api/v1/leads filters a drill-down URL may carry. */
const LIST_PARAMS = [
  'source',
  'owner',
  'status',
  'status_group',
  'step',
  'reached_step',
  'pipeline',
  'channel',
  'entered_from',
  'entered_to',
  'closed_from',
  'closed_to',
  'stale_days',
  'cursor',
] as const;

export const leadsPage: Page = {
  path: 'leads',
  title: 'Leads',
  filters: [],
  async render(ctx) {
    const params: Params = { limit: 200 };
    for (const k of LIST_PARAMS) params[k] = ctx.params.get(k) ?? undefined;
    const page = await leads(params);
    const label = ctx.params.get('label') ?? 'Leads';
    const back = backLink();
    const next = page.next_cursor
      ? link(
          `/leads?${new URLSearchParams({ ...Object.fromEntries(ctx.params), cursor: page.next_cursor })}`,
          'Next 200 →',
        )
      : null;
    return h(
      'div',
      { class: 'page' },
      h('p', { class: 'page-lead' }, back),
      panel(label, leadTable(page.data), {
        subtitle: `${page.data.length}${page.next_cursor ? '+' : ''} leads — click a lead for its timeline`,
        id: 'leads',
        ...(next ? { actions: next } : {}),
      }),
    );
  },
};

export function leadTable(rows: Lead[]): HTMLElement {
  return table(
    rows,
    [
      { label: 'Lead', cell: (l) => link(`/lead/${l.source}/${encodeURIComponent(l.id)}`, l.title ?? l.id) },
      { label: 'Office', cell: (l) => l.source },
      { label: 'Agent', cell: (l) => ownerLabel(l.owner) },
      { label: 'Stage', cell: (l) => l.step ?? '—' },
      {
        label: 'Status',
        cell: (l) => h('span', { class: `pill status-${l.status ?? 'none'}` }, l.status ?? '—'),
      },
      { label: 'Amount', cell: (l) => formatMoney(l.amount), align: 'right' },
      { label: 'Entered', cell: (l) => formatDate(l.created_at) },
      { label: 'Closed', cell: (l) => formatDate(l.close_time) },
      { label: 'CRM', cell: (l) => (l.permalink ? external(l.permalink, 'open') : '—') },
    ],
    { testId: 'leads', emptyText: 'No lead matches.' },
  );
}
