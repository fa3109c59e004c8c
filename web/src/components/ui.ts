import { h } from '../dom';

/** A titled panel of the page grid; `span` columns wide out of 12. */
export function panel(
  title: string,
  body: Node | Node[],
  opts: { span?: number; subtitle?: string; actions?: Node; id?: string } = {},
): HTMLElement {
  return h(
    'section',
    { class: `panel span-${opts.span ?? 12}`, ...(opts.id ? { 'data-panel': opts.id } : {}) },
    h(
      'header',
      {},
      h('div', {}, h('h2', {}, title), opts.subtitle ? h('p', { class: 'muted' }, opts.subtitle) : null),
      opts.actions ?? null,
    ),
    ...(Array.isArray(body) ? body : [body]),
  );
}

export function grid(...children: (Node | null)[]): HTMLElement {
  return h('div', { class: 'grid' }, ...children);
}

export function empty(message: string, hint?: string): HTMLElement {
  return h('div', { class: 'empty' }, h('strong', {}, message), hint ? h('p', {}, hint) : null);
}

export interface Column<T> {
  label: string;
  cell: (row: T) => Node | string;
  align?: 'right' | 'left';
}

/** A plain table; `onRow` makes rows clickable (drill-down). */
export function table<T>(
  rows: T[],
  columns: Column<T>[],
  opts: { onRow?: (row: T) => void; emptyText?: string; testId?: string; tall?: boolean } = {},
): HTMLElement {
  if (rows.length === 0) return empty(opts.emptyText ?? 'Nothing in this period.');
  return h(
    'div',
    { class: opts.tall ? 'table-wrap tall' : 'table-wrap' },
    h(
      'table',
      opts.testId ? { 'data-table': opts.testId } : {},
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { class: c.align ?? 'left' }, c.label)))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            opts.onRow
              ? {
                  class: 'clickable',
                  // A link inside the row goes where it says, not to the row's target.
                  onclick: (e: Event) => {
                    if (!(e.target as Element).closest('a')) opts.onRow?.(r);
                  },
                }
              : {},
            ...columns.map((c) => h('td', { class: c.align ?? 'left' }, c.cell(r))),
          ),
        ),
      ),
    ),
  );
}

/** An in-app link (the router intercepts it: no page reload). */
export const link = (href: string, text: string, cls = 'link'): HTMLAnchorElement =>
  h('a', { href, class: cls, 'data-nav': true }, text);

export const external = (href: string, text: string): HTMLAnchorElement =>
  h('a', { href, class: 'link', target: '_blank', rel: 'noopener noreferrer' }, text, ' ↗');

/** "← Back": the previous view, filters and all. */
export function backLink(): HTMLAnchorElement {
  return h(
    'a',
    {
      href: '#',
      class: 'link',
      onclick: (e: Event) => {
        e.preventDefault();
        history.back();
      },
    },
    '← Back',
  );
}
