import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { type ColumnIndex, type ColumnMap, columnResolver } from '../connectors/files/columnMap.js';
import { recordJson } from '../connectors/files/fileRow.js';
import { type FileFormat, readRows } from '../connectors/files/readRows.js';
import {
  HISTORY_FIELDS,
  type HistoryField,
  historyRow,
  REQUIRED_FIELDS,
} from '../connectors/nocrm/historyRow.js';
import { err, ok, type Result } from '../core/result.js';
import { upsertOwners } from '../projections/projectOwners.js';
import { recomputeLeads } from '../projections/recomputeLeads.js';
import type { Db } from '../store/db.js';
import { CREATE_STAGING, importedOwners, mergeStaging } from './import/mergeStaging.js';
import { hasNulOrLoneSurrogate } from './import/safeText.js';
import { quarantineLine, STAGING_COLUMNS, stagingLine } from './import/stagingRows.js';
import { notifyChanges } from './notifyChanges.js';

export interface ImportOptions {
  sourceId: string;
  path: string;
  format: FileFormat;
  /** Where zone-less timestamps are read: the source's `timezone`, else the global one. */
  timezone: string;
  /** `--map`: canonical field → the file's column name. */
  map?: ColumnMap<HistoryField>;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'read' | 'merge';
  rows: number;
  quarantined: number;
}

export interface ImportResult {
  /** Rows read (blank lines and the CSV header aside). */
  rows: number;
  /** New events. */
  inserted: number;
  /** Good rows that were already in the log (a re-import, or the same row twice). */
  duplicates: number;
  quarantined: number;
  /** Leads whose projections were recomputed. */
  leads: number;
  ms: number;
}

/**
 * Too many leads for advisory locks (one per lead, as single-event writers take): the import
 * takes `leads` instead, once its events are in. A writer already recomputing finishes first
 * (this waits for it) and its lead is then recomputed here with its event; a writer arriving
 * later waits at its recompute — which begins by locking `leads` — until this commits, then sees
 * these events. Owners are upserted before, so no row lock is held while waiting.
 */
const LOCK_LEADS = 'LOCK TABLE leadhouse.leads IN SHARE ROW EXCLUSIVE MODE';

/** A file that cannot be imported at all (its columns): reported, nothing written. */
class FileShapeError extends Error {}

/**
 * Imports the CRM's action-history export in ONE transaction: the file is streamed (never held
 * whole) through COPY into a temporary staging table, then merged into `events` — a row already
 * there is skipped, so re-importing adds nothing — and the touched leads' projections are
 * recomputed in one pass. Rows that cannot be read go to `leadhouse.quarantine` with the file, the
 * line and the reason; they do not stop the import.
 */
export async function importHistory(db: Db, opts: ImportOptions): Promise<Result<ImportResult, string>> {
  const t0 = Date.now();
  const startedAt = new Date();
  const path = resolve(opts.path);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return err(`${opts.path}: no such file`);
  const counts = { rows: 0, good: 0, quarantined: 0 };
  try {
    const r = await db.transaction(async (tx) => {
      await tx.exec(CREATE_STAGING);
      await tx.copyFrom('pg_temp.import_staging', STAGING_COLUMNS, stage(opts, path, counts), 'text');
      opts.onProgress?.({ phase: 'merge', rows: counts.rows, quarantined: counts.quarantined });
      const { inserted, leads } = await mergeStaging(tx, opts.sourceId, path, opts.timezone);
      await upsertOwners(tx, await importedOwners(tx, opts.sourceId));
      await tx.exec(LOCK_LEADS);
      await recomputeLeads(tx, 'table');
      if (inserted > 0 || counts.quarantined > 0)
        await notifyChanges(tx, { sources: [opts.sourceId], types: ['import'] });
      const result: ImportResult = {
        rows: counts.rows,
        inserted,
        duplicates: counts.good - inserted,
        quarantined: counts.quarantined,
        leads,
        ms: Date.now() - t0,
      };
      await tx.query(
        `INSERT INTO leadhouse.sync_log (source_id, kind, started_at, finished_at, status, summary)
         VALUES ($1, 'import', $2, clock_timestamp(), 'ok', $3)`,
        [
          opts.sourceId,
          startedAt.toISOString(),
          JSON.stringify({ file: path, format: opts.format, ...result }),
        ],
      );
      return result;
    });
    return ok(r);
  } catch (e) {
    const message = e instanceof FileShapeError ? e.message : `import failed: ${(e as Error).message}`;
    await db
      .query(
        `INSERT INTO leadhouse.sync_log (source_id, kind, started_at, finished_at, status, summary)
         VALUES ($1, 'import', $2, clock_timestamp(), 'failed', $3)`,
        [opts.sourceId, startedAt.toISOString(), JSON.stringify({ file: path, error: message })],
      )
      .catch(() => {});
    if (e instanceof FileShapeError) return err(message);
    throw e;
  }
}

/** The file as staging rows (COPY text format): one chunk per batch of rows, good and bad alike. */
async function* stage(
  opts: ImportOptions,
  path: string,
  counts: { rows: number; good: number; quarantined: number },
): AsyncIterable<string> {
  const file = basename(path);
  const columnsOf = columnResolver(HISTORY_FIELDS, opts.map ?? {});
  let checked = opts.format !== 'csv';
  for await (const batch of readRows(path, opts.format)) {
    const lines: string[] = [];
    for (const row of batch) {
      counts.rows++;
      if ('error' in row) {
        counts.quarantined++;
        lines.push(quarantineLine(row.line, row.error, row.payload));
        continue;
      }
      const columns = columnsOf(row.keys);
      if (!checked) {
        checkColumns(row.keys, columns, opts.map ?? {});
        checked = true;
      }
      const mapped = historyRow(row.values, columns, { file, line: row.line });
      const raw = recordJson(row);
      if (!mapped.ok) {
        counts.quarantined++;
        lines.push(quarantineLine(row.line, mapped.error, raw));
      } else if (hasNulOrLoneSurrogate(raw, row.keys, row.values)) {
        counts.quarantined++;
        lines.push(quarantineLine(row.line, UNSTORABLE, raw));
      } else {
        counts.good++;
        lines.push(stagingLine(row.line, mapped.value, raw));
      }
    }
    opts.onProgress?.({ phase: 'read', rows: counts.rows, quarantined: counts.quarantined });
    if (lines.length > 0) yield lines.join('');
  }
}

const UNSTORABLE = 'contains a NUL character or an unpaired surrogate, which the database cannot store';

/** A CSV whose header lacks a required field, or a column --map names, is not imported at all. */
function checkColumns(
  keys: readonly string[],
  columns: ColumnIndex<HistoryField>,
  map: ColumnMap<HistoryField>,
): void {
  for (const [field, header] of Object.entries(map) as [HistoryField, string][])
    if (columns[field] === undefined)
      throw new FileShapeError(`the file has no column ${JSON.stringify(header)} (--map ${field}=${header})`);
  const missing = REQUIRED_FIELDS.filter((f) => columns[f] === undefined);
  if (missing.length > 0) {
    const hints = missing.map((f) => {
      const aliases = HISTORY_FIELDS.find((s) => s.field === f)?.aliases ?? [];
      return `${f} (looked for: ${aliases.join(', ')})`;
    });
    throw new FileShapeError(
      `the file has no column for ${hints.join('; ')}; its columns are: ${keys.join(', ')}. Use --map field=Column`,
    );
  }
}
