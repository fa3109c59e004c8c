import { METRICS } from './registry.js';
import { BUCKETS } from './types.js';

const UNITS = { count: 'count', currency: 'money (decimal)', ratio: 'ratio 0–1', days: 'days' } as const;
const FAMILIES = {
  volume: 'Volume',
  money: 'Money',
  conversion: 'Conversion',
  people: 'People',
  goals: 'Goals',
} as const;

/** docs/metrics.md, generated from the definitions (`npm run docs:metrics`; a test keeps it current). */
export function renderMetricsDoc(): string {
  const out: string[] = [
    '# Metrics: the data dictionary',
    '',
    '<!-- Generated from src/metrics by `npm run docs:metrics`. Do not edit by hand. -->',
    '',
    'Every KPI Leadhouse shows is defined once, in `src/metrics/`, and served identically by',
    '`GET /api/v1/metrics/<name>` (JSON or CSV), the dashboard, and the `reporting.*` views (see',
    '[bi.md](bi.md)). The same text is returned by `GET /api/v1/metrics`.',
    '',
    '## Rules every metric follows',
    '',
    '- **Period**: `from` and `to` are dates in the reporting timezone (config `timezone`), both',
    '  inclusive; default: the current month up to today. A lead won at 23:30 local time on the last',
    '  day of a month counts in that month.',
    '- **Deleted leads** count only in `leads_deleted`.',
    '- **Status**: `won`, `lost`, `cancelled` (or `canceled`) are closed; anything else is open.',
    "- **Close time**: the CRM's `closed_at` when it states one, otherwise the time the lead's current",
    '  status began (from its stage history).',
    "- **Owner, pipeline, stage** are the lead's current ones; **channel** is how its first event",
    '  arrived (webhook, api, file, poll, manual).',
    `- **Buckets** (\`by=\`${BUCKETS.join(', ')}): day \`YYYY-MM-DD\`, ISO week \`YYYY-Www\`, month \`YYYY-MM\`,`,
    '  quarter `YYYY-Qn`, year `YYYY`. With one bucket and no other dimension, every bucket of the',
    '  period is listed (0 for counts and sums, empty for rates and averages).',
    '- **Values**: money as decimal numbers (2 decimals), rates from 0 to 1 (6 decimals); a rate with',
    '  nothing to divide by is empty (`null`).',
    '- **Filters**: `source` (one or several, comma-separated), `owner` (e-mails; `none` = unassigned),',
    '  `pipeline`; a bad value is a 400 naming the parameter.',
    '',
    '| Metric | Unit | Group by | Filters |',
    '|---|---|---|---|',
  ];
  for (const m of METRICS) {
    const by = [...m.dimensions, ...(m.buckets ? ['buckets'] : [])].join(', ') || '—';
    out.push(`| [\`${m.name}\`](#${m.name}) | ${UNITS[m.unit]} | ${by} | ${m.filters.join(', ')} |`);
  }
  for (const [family, title] of Object.entries(FAMILIES)) {
    out.push('', `## ${title}`);
    for (const m of METRICS.filter((x) => x.family === family)) {
      out.push('', `### ${m.name}`, '', `**${m.title}** — ${UNITS[m.unit]}.`, '', m.definition, '');
      if (m.fixedKeys)
        out.push(`Each row carries: ${m.fixedKeys.map((k) => `\`${k}\``).join(', ')}, \`value\`.`, '');
      if (m.asOf) out.push(`As of: ${m.asOf}.`, '');
      out.push(`Freshness: ${m.freshness}`, '');
      out.push(
        `Example: \`GET /api/v1/metrics/${m.name}?${m.filters.includes('from') ? 'from=2026-01-01&to=2026-06-30' : 'to=2026-06-30'}${m.buckets ? '&by=month' : ''}\``,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
