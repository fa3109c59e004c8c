import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { parseColumnMap } from '../../connectors/files/columnMap.js';
import { fileFormat } from '../../connectors/files/readRows.js';
import { HISTORY_FIELD_NAMES } from '../../connectors/nocrm/historyRow.js';
import { type ImportProgress, type ImportResult, importHistory } from '../../ingest/importHistory.js';
import { cliLogger, configFrom, fail, openPrepared } from '../context.js';

interface ImportFlags {
  map?: string;
  format?: string;
  json?: boolean;
}

const HELP = `
Columns are matched by header name (case, spaces and _ ignored): lead_id, action, from_step,
to_step, status, amount, user, timestamp, and optionally title, pipeline, step_id — with common
aliases (lead, action_type, date, user_email …). --map names other columns, e.g.
  --map "lead_id=Lead ref,timestamp=Fecha"
Timestamps without a zone are read in the source's timezone (else the global one).
Rows that cannot be read go to leadhouse.quarantine (with file, line and reason) and do NOT make
the exit status non-zero; a fatal error exits 1, a usage error 2. Re-importing a file adds nothing.
Details: docs/import.md`;

export function registerImport(program: Command): void {
  program
    .command('import')
    .description("import a CRM's action-history export (CSV or JSON Lines) into the event log")
    .argument('<source>', 'source id, as in the configuration')
    .argument('<file>', 'the export: .csv, .jsonl or .ndjson')
    .option('--map <pairs>', 'file column for a field: field=Column[,field=Column…]')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', HELP)
    .action(async (sourceId: string, file: string, opts: ImportFlags, cmd: Command) => {
      const config = configFrom(cmd);
      const source = config.sources[sourceId];
      if (!source) {
        const known = Object.keys(config.sources);
        fail(
          `unknown source ${JSON.stringify(sourceId)}: not in the configuration (${known.length > 0 ? `known: ${known.join(', ')}` : 'no sources configured'})`,
        );
      }
      if (!existsSync(file) || !statSync(file).isFile()) fail(`file not found: ${file}`);
      const format = fileFormat(file, opts.format);
      if (!format.ok) fail(format.error);
      const map = parseColumnMap(opts.map, HISTORY_FIELD_NAMES);
      if (!map.ok) fail(map.error);

      const db = await openPrepared(config, cliLogger(config));
      const progress = progressLine(process.stderr.isTTY === true && !opts.json);
      let outcome: Awaited<ReturnType<typeof importHistory>>;
      try {
        outcome = await importHistory(db, {
          sourceId,
          path: file,
          format: format.value,
          timezone: source.timezone ?? config.timezone,
          map: map.value,
          onProgress: progress.update,
        });
      } catch (e) {
        progress.done();
        await db.close().catch(() => {});
        process.stderr.write(`leadhouse: ${(e as Error).message}\n`);
        process.exit(1);
      }
      progress.done();
      await db.close();
      if (!outcome.ok) fail(outcome.error);
      if (opts.json) process.stdout.write(`${JSON.stringify(outcome.value)}\n`);
      else process.stdout.write(`${summary(sourceId, file, outcome.value)}\n`);
    });
}

function summary(sourceId: string, file: string, r: ImportResult): string {
  const q =
    r.quarantined > 0
      ? `, ${r.quarantined} quarantined (SELECT line, reason FROM leadhouse.quarantine WHERE source_id = '${sourceId}' ORDER BY id DESC)`
      : ', 0 quarantined';
  return `imported ${file} into ${sourceId}: ${r.rows} rows, ${r.inserted} new events, ${r.duplicates} already stored${q}; ${r.leads} leads updated in ${r.ms} ms`;
}

/** `rows, rows/s, quarantined` on one rewritten stderr line, at most 5 times a second. */
function progressLine(enabled: boolean): { update: (p: ImportProgress) => void; done: () => void } {
  const t0 = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      if (!enabled) return;
      const now = Date.now();
      if (p.phase === 'read' && now - last < 200) return;
      last = now;
      shown = true;
      const rate = Math.round(p.rows / Math.max((now - t0) / 1000, 0.001));
      const text =
        p.phase === 'read'
          ? `reading… ${p.rows.toLocaleString('en')} rows  ${rate.toLocaleString('en')} rows/s  ${p.quarantined.toLocaleString('en')} quarantined`
          : `merging ${p.rows.toLocaleString('en')} rows into the event log and projections…`;
      process.stderr.write(`\r\u001b[K${text}`);
    },
    done() {
      if (shown) process.stderr.write('\n');
    },
  };
}
