import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type CsvError, parse } from 'csv-parse';
import type { FileRow, RowBatches } from './fileRow.js';
import { MAX_LINE_CHARS, readLines } from './readLines.js';

/**
 * CSV (RFC 4180, any of `,` `;` tab `|` as delimiter — guessed from the header line): the first
 * non-blank row is the header, each later row becomes a record keyed by header name. Blank lines
 * are skipped; a row with fewer or more fields than the header becomes an error row.
 *
 * A syntax error csv-parse cannot step over (a quoted field that is never closed, a record over
 * 8 MiB) stops the parse: every line from the start of the broken record to the end of the file
 * is then returned as an error row, so nothing is dropped without a trace.
 */
export async function* readCsv(path: string): RowBatches {
  const delimiter = await sniffDelimiter(path);
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true, // a short row is the row's problem, not the file's
    relax_quotes: true, // a quote inside an unquoted field is kept as a character
    max_record_size: MAX_LINE_CHARS,
  });
  let failure: CsvError | undefined;
  let failed: () => void = () => {};
  const errored = new Promise<void>((resolve) => {
    failed = resolve;
  });
  parser.on('error', (e: CsvError) => {
    failure = e;
    failed();
  });

  let header: string[] | undefined;
  let nextLine = 1; // where the next record starts
  const drain = (): FileRow[] => {
    const out: FileRow[] = [];
    for (let rec = parser.read() as string[] | null; rec !== null; rec = parser.read() as string[] | null) {
      const line = nextLine;
      nextLine += 1 + newlines(rec);
      if (rec.length === 1 && rec[0] === '') continue; // blank line
      if (!header) header = headerNames(rec);
      else out.push(toRow(header, rec, line, delimiter));
    }
    return out;
  };

  for await (const buf of createReadStream(path, { highWaterMark: 1 << 16 })) {
    parser.write(buf);
    const rows = drain();
    if (rows.length > 0) yield rows;
    if (failure || parser.destroyed) break;
  }
  if (!failure && !parser.destroyed) {
    const finished = new Promise<void>((resolve) => parser.once('finish', resolve));
    parser.end();
    await Promise.race([finished, errored]);
    const rows = drain();
    if (rows.length > 0) yield rows;
  }
  if (failure) yield* restOfFile(path, nextLine, failure);
}

/** After a syntax error: every line from `from` on, as error rows carrying the line's text. */
async function* restOfFile(path: string, from: number, e: CsvError): RowBatches {
  const why =
    e.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted field opened on this line is never closed'
      : e.code === 'CSV_MAX_RECORD_SIZE'
        ? 'a record starting on this line is over 8 MiB (an unclosed quote?)'
        : e.message;
  for await (const lines of readLines(path, from)) {
    const out: FileRow[] = [];
    for (const { line, text } of lines) {
      if (text.trim() === '') continue;
      const error =
        line === from
          ? `CSV syntax error: ${why}; this line and the rest of the file were not read`
          : `not read: after the CSV syntax error at line ${from}`;
      out.push({ line, error, payload: text });
    }
    if (out.length > 0) yield out;
  }
}

function toRow(header: readonly string[], rec: readonly string[], line: number, delimiter: string): FileRow {
  if (
    rec.length !== header.length &&
    !(rec.length > header.length && rec.slice(header.length).every((v) => v === ''))
  )
    return {
      line,
      error: `expected ${header.length} fields (as in the header), found ${rec.length}`,
      payload: toCsvLine(rec, delimiter),
    };
  return { line, keys: header, values: rec.length === header.length ? rec : rec.slice(0, header.length) };
}

/** Header names, trimmed; an empty one is `column_<n>`, a repeated one gets `_2`, `_3` … */
function headerNames(rec: readonly string[]): string[] {
  const seen = new Set<string>();
  return rec.map((raw, i) => {
    const base = raw.trim() || `column_${i + 1}`;
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    seen.add(name);
    return name;
  });
}

function newlines(rec: readonly string[]): number {
  let n = 0;
  for (const v of rec) for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) n++;
  return n;
}

function toCsvLine(values: readonly string[], delimiter: string): string {
  return values
    .map((v) => (/["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replaceAll('"', '""')}"` : v))
    .join(delimiter);
}

/** The delimiter the header line uses most, outside quotes: `,` unless `;`, tab or `|` wins. */
async function sniffDelimiter(path: string): Promise<string> {
  const fh = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}
