import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { err, ok, type Result } from '../core/result.js';
import { syncReportingViews } from '../metrics/reportingViews.js';
import { syncSources } from '../projections/compatViews.js';
import type { Db } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { openDb } from '../store/openDb.js';
import { type App, buildApp } from './app.js';
import { SyncScheduler } from './scheduler.js';

export interface RunningServer extends App {
  db: Db;
  scheduler: SyncScheduler;
  url: string;
  close(): Promise<void>;
}

/** Prepares a database for use: migrations, then the configured sources and their views. */
export async function prepareDb(db: Db, config: Config, log: Logger): Promise<void> {
  const applied = await migrate(db);
  if (applied.length > 0)
    log.info({ migrations: applied.map((m) => `${m.version}_${m.name}`) }, 'database migrated');
  await db.transaction(async (tx) => {
    await syncSources(tx, config.sources);
    await syncReportingViews(tx, config);
  });
}

/** Opens the database, migrates it and serves HTTP until `close()`. */
export async function startServer(config: Config, log: Logger): Promise<Result<RunningServer, string>> {
  const opened = await openDb(config.database);
  if (!opened.ok) return err(opened.error);
  const db = opened.value;
  try {
    await prepareDb(db, config, log);
  } catch (e) {
    await db.close().catch(() => {});
    return err(`cannot prepare the database: ${(e as Error).message}`);
  }
  const app = await buildApp({ config, db, log });
  let url: string;
  try {
    url = await app.fastify.listen({ port: config.port, host: config.host });
  } catch (e) {
    await db.close().catch(() => {});
    return err(`cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`);
  }
  const scheduler = new SyncScheduler(db, config, log.child({ scope: 'sync' }));
  scheduler.start();
  let closing: Promise<void> | undefined;
  return ok({
    ...app,
    db,
    url,
    scheduler,
    close() {
      closing ??= (async () => {
        await scheduler.stop();
        await app.fastify.close(); // stops accepting, lets in-flight requests finish
        await app.batcher.flushed();
        await db.close();
      })();
      return closing;
    },
  });
}
