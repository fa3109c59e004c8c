import type { HistoryRow } from '../../connectors/nocrm/historyRow.js';

/**
 * Rows for the staging table in COPY's text format: tab-separated, `\N` for NULL, backslash
 * escapes. Chosen over CSV because JSON needs no quote doubling here (JSON text holds no raw
 * tab or newline, only the occasional backslash): the hot path does no replace per row.
 */
export const STAGING_COLUMNS = [
  'line',
  'reason',
  'payload',
  'external_id',
  'lead_id',
  'type',
  'ts',
  'zoned',
  'data',
  'raw',
  'meta',
] as const;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;

/** Any text as one field. */
export function textField(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? c) : value;
}

/** JSON text as one field: only its backslashes need escaping. */
function jsonField(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/** A good row: reason and payload are NULL. */
export function stagingLine(line: number, row: HistoryRow, rawJson: string): string {
  return `${line}\t\\N\t\\N\t${row.externalId}\t${textField(row.leadId)}\t${row.type}\t${row.time.text}\t${
    row.time.zoned ? 't' : 'f'
  }\t${jsonField(JSON.stringify(row.data))}\t${jsonField(rawJson)}\t${jsonField(JSON.stringify(row.meta))}\n`;
}

/** A row for the quarantine: only line, reason and payload (U+0000 cannot be stored: replaced). */
export function quarantineLine(line: number, reason: string, payload: string): string {
  return `${line}\t${textField(reason)}\t${textField(payload.replaceAll('\u0000', '\uFFFD'))}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`;
}
