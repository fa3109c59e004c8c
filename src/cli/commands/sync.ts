import type { Command } from 'commander';
import { describeFailure } from '../../connectors/nocrm/api/client.js';
import { QuotaGate } from '../../connectors/nocrm/api/quota.js';
import { reconcileDeleted } from '../../connectors/nocrm/sync/reconcileDeleted.js';
import { apiFor, runSync, type SyncEvent } from '../../connectors/nocrm/sync/runSync.js';
import { cliLogger, configFrom, fail, openPrepared } from '../context.js';

interface Opts {
  full?: boolean;
  wait: boolean;
  reconcile?: boolean;
  json?: boolean;
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .argument('<source>', 'a noCRM source id from the configuration')
    .description(
      'sync a noCRM source through its API: reference data, then leads updated since the last sync',
    )
    .option('--full', 'backfill every lead (prints the plan first; spreads over days at the quota)')
    .option('--no-wait', 'stop at the quota or a 429 instead of waiting and resuming')
    .option('--reconcile', 'also list every lead id and soft-delete the leads that disappeared')
    .option('--json', 'print a JSON summary at the end')
    .action(async (sourceId: string, opts: Opts, cmd: Command) => {
      const config = configFrom(cmd);
      const src = config.sources[sourceId];
      if (!src) fail(`no source ${JSON.stringify(sourceId)} in the configuration`);
      if (src.kind !== 'nocrm') fail(`source ${sourceId} is not a noCRM source`);
      const db = await openPrepared(config, cliLogger(config));
      const tty = process.stderr.isTTY === true && !opts.json;
      const say = (line: string) => {
        if (!opts.json) process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
      };
      const t0 = Date.now();
      const onEvent = (e: SyncEvent) => {
        if (e.kind === 'plan') {
          const p = e.plan;
          say(
            `plan: ${p.total} leads → ${p.pages} pages, ${p.requests} requests; ${p.remainingToday} of ${p.dailyQuota} left today → about ${p.days} day(s)`,
          );
        } else if (e.kind === 'reference') {
          say(
            `reference: ${e.counts.users} users, ${e.counts.pipelines} pipelines, ${e.counts.steps} steps, ${e.counts.clients} clients`,
          );
        } else if (e.kind === 'waiting') {
          say(`${e.reason}; waiting until ${e.until.toISOString()}`);
        } else if (tty) {
          const r = e.run;
          const pct = r.total ? Math.min(100, Math.round((100 * r.offset) / r.total)) : undefined;
          const bar = pct === undefined ? '' : `[${'#'.repeat(pct / 5).padEnd(20, '.')}] ${pct}% `;
          const rate = (r.rows / Math.max(1, (Date.now() - t0) / 1000)).toFixed(0);
          process.stderr.write(`\r\x1b[K${bar}${r.rows} rows, ${r.written} new events, ${rate} rows/s`);
        }
      };
      const result = await runSync(db, sourceId, src, { full: opts.full ?? false, wait: opts.wait, onEvent });
      let reconcile: unknown;
      if (opts.reconcile && result.status === 'done') {
        const quota = new QuotaGate(db, sourceId, src.dailyQuota);
        const api = apiFor(db, sourceId, src, () => new Date())!;
        const r = await reconcileDeleted(db, api, quota, sourceId);
        reconcile = r.ok
          ? r.value
          : { error: 'message' in r.error ? r.error.message : describeFailure(r.error) };
        if (r.ok) say(`reconcile: ${r.value.listed} listed, ${r.value.deleted.length} marked deleted`);
        else say(`reconcile skipped: ${(reconcile as { error: string }).error}`);
      }
      await db.close();
      if (tty) process.stderr.write('\n');
      if (result.status === 'done') {
        const r = result.run;
        say(
          `done: ${r.rows} rows in ${r.pages} pages, ${r.written} new events; watermark ${result.watermark}`,
        );
      } else say(`stopped: ${result.reason}`);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ source: sourceId, ...result, ...(reconcile === undefined ? {} : { reconcile }), ms: Date.now() - t0 })}\n`,
        );
      }
      process.exitCode = result.status === 'done' ? 0 : 1;
    });
}
