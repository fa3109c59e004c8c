import type { HistoryRow } from '../../connectors/nocrm/historyRow.js';

/** The staging table's columns, in the order stagingLine / quarantineLine write them. */
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

/** One CSV field, always quoted (so an empty string is not NULL), quotes doubled. */
export function csvField(value: string): string {
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

/** A good row: reason and payload are NULL (unquoted empty fields). */
export function stagingLine(line: number, row: HistoryRow, rawJson: string): string {
  return `${line},,,${csvField(row.externalId)},${csvField(row.leadId)},${row.type},${csvField(row.time.text)},${
    row.time.zoned ? 't' : 'f'
  },${csvField(JSON.stringify(row.data))},${csvField(rawJson)},${csvField(JSON.stringify(row.meta))}\n`;
}

/** A row for the quarantine: only line, reason and payload. */
export function quarantineLine(line: number, reason: string, payload: string): string {
  return `${line},${csvField(reason)},${csvField(payload.replaceAll('\u0000', '\uFFFD'))},,,,,,,,\n`;
}
