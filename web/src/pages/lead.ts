import { leadDetail, type StageChange } from '../api';
import { backLink, empty, external, grid, panel, table } from '../components/ui';
import { h } from '../dom';
import { formatDate, formatDateTime, formatMoney, ownerLabel } from '../format';
import type { Page } from '../page';

/** One lead: its state, its stage history (the timeline) and the raw events behind it. */
export const leadPage: Page = {
  path: 'lead',
  title: 'Lead timeline',
  filters: [],
  async render(ctx) {
    const [source, id] = ctx.rest;
    if (!source || !id) return empty('No lead given', 'Open a lead from a list.');
    const d = await leadDetail(source, id);
    const l = d.lead;
    const facts: [string, Node | string][] = [
      ['Office', l.source],
      ['Agent', l.owner ? `${ownerLabel(l.owner)} (${l.owner})` : 'Unassigned'],
      ['Pipeline', l.pipeline ?? '—'],
      ['Stage', l.step ?? '—'],
      ['Status', l.status ?? '—'],
      ['Amount', formatMoney(l.amount)],
      ['Entered', formatDateTime(l.created_at)],
      ['Closed', formatDateTime(l.closed_at)],
      ['CRM', l.permalink ? external(l.permalink, 'open in the CRM') : '—'],
    ];
    return h(
      'div',
      { class: 'page' },
      h('p', { class: 'page-lead' }, backLink()),
      grid(
        panel(
          l.title ?? `Lead ${l.id}`,
          h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
          {
            span: 4,
            subtitle: `${l.source} · #${l.id}`,
            id: 'lead-facts',
          },
        ),
        panel('Stage history', timeline(d.stage_history), { span: 8, id: 'timeline' }),
        panel(
          'Raw events',
          table(
            d.events,
            [
              { label: 'Event time', cell: (e) => formatDateTime(e.occurred_at) },
              { label: 'Type', cell: (e) => e.type },
              { label: 'CRM event', cell: (e) => e.provider_event ?? '—' },
              { label: 'Channel', cell: (e) => e.channel },
              { label: 'Received', cell: (e) => formatDateTime(e.received_at) },
              {
                label: 'Payload',
                cell: (e) =>
                  h(
                    'details',
                    {},
                    h('summary', {}, 'show'),
                    h('pre', {}, JSON.stringify(e.raw ?? e.data, null, 2)),
                  ),
              },
            ],
            { testId: 'events' },
          ),
          { id: 'events' },
        ),
      ),
    );
  },
};

function timeline(rows: StageChange[]): HTMLElement {
  if (rows.length === 0) return empty('No history.');
  return h(
    'ol',
    { class: 'timeline', 'data-table': 'timeline' },
    ...rows.map((r) =>
      h(
        'li',
        {},
        h('time', {}, formatDate(r.changed_at)),
        h(
          'div',
          {},
          h(
            'strong',
            {},
            r.seq === 1
              ? `Entered at ${r.to_step ?? '—'}`
              : r.from_step !== r.to_step
                ? `${r.from_step ?? '—'} → ${r.to_step ?? '—'}`
                : `Status ${r.from_status ?? '—'} → ${r.to_status ?? '—'}`,
          ),
          h(
            'p',
            { class: 'muted' },
            [
              r.to_status ? `status ${r.to_status}` : '',
              r.amount !== null ? formatMoney(r.amount) : '',
              r.moved_by ? `by ${ownerLabel(r.moved_by)}` : '',
            ]
              .filter(Boolean)
              .join(' · '),
          ),
        ),
      ),
    ),
  );
}
