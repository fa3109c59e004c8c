import { h } from '../dom';
import type { Filters } from '../filters';
import { formatMonthName, ownerLabel } from '../format';
import type { FilterKind } from '../page';

export interface FilterOptions {
  sources: string[];
  owners: string[];
  years: number[];
}

/** Office, year, month and agent selects; a change rewrites the query string. */
export function filterBar(
  kinds: FilterKind[],
  f: Filters,
  opts: FilterOptions,
  onChange: (p: Record<string, string | null>) => void,
): HTMLElement {
  const select = (name: string, label: string, value: string, options: [string, string][]) =>
    h(
      'label',
      { class: 'filter' },
      h('span', {}, label),
      h(
        'select',
        {
          name,
          'data-filter': name,
          onchange: (e: Event) => onChange({ [name]: (e.target as HTMLSelectElement).value || null }),
        },
        ...options.map(([v, text]) =>
          h('option', { value: v, ...(v === value ? { selected: true } : {}) }, text),
        ),
      ),
    );
  const parts: HTMLElement[] = [];
  if (kinds.includes('source'))
    parts.push(
      select('source', 'Office', f.source, [
        ['', 'All offices'],
        ...opts.sources.map((s): [string, string] => [s, s]),
      ]),
    );
  if (kinds.includes('period')) {
    const years = opts.years.includes(f.year) ? opts.years : [...opts.years, f.year].sort();
    parts.push(
      select(
        'year',
        'Year',
        String(f.year),
        years.map((y): [string, string] => [String(y), String(y)]),
      ),
    );
    parts.push(
      h(
        'label',
        { class: 'filter' },
        h('span', {}, 'Month'),
        h(
          'select',
          {
            name: 'month',
            'data-filter': 'month',
            // The year is written too: without a month, the URL's year alone means the year view.
            onchange: (e: Event) =>
              onChange({ month: (e.target as HTMLSelectElement).value || null, year: String(f.year) }),
          },
          h('option', { value: '', ...(f.month === null ? { selected: true } : {}) }, 'Whole year'),
          ...Array.from({ length: 12 }, (_, i) =>
            h(
              'option',
              { value: String(i + 1), ...(f.month === i + 1 ? { selected: true } : {}) },
              formatMonthName(i + 1),
            ),
          ),
        ),
      ),
    );
  }
  if (kinds.includes('owner')) {
    const owners = f.owner && !opts.owners.includes(f.owner) ? [f.owner, ...opts.owners] : opts.owners;
    parts.push(
      select('owner', 'Agent', f.owner, [
        ['', 'All agents'],
        ...owners.map((o): [string, string] => [o, ownerLabel(o)]),
      ]),
    );
  }
  return h('div', { class: 'filters' }, ...parts);
}
