import type { Command } from 'commander';
import { type Config, type LoadOptions, loadConfig } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { prepareDb } from '../server/start.js';
import type { Db } from '../store/db.js';
import { openDb } from '../store/openDb.js';

/** Prints a CLI error (no stack: these are expected failures) and exits with status 2. */
export function fail(message: string): never {
  process.stderr.write(`leadhouse: ${message}\n`);
  process.exit(2);
}

export function configFrom(cmd: Command, extra: Omit<LoadOptions, 'path'> = {}): Config {
  const path = cmd.optsWithGlobals<{ config?: string }>().config;
  const c = loadConfig({ ...extra, path });
  if (!c.ok) fail(c.error);
  return c.value;
}

/** Opens and migrates the configured database for a one-shot command. */
export async function openPrepared(config: Config, log: Logger): Promise<Db> {
  const db = await openDb(config.database);
  if (!db.ok) fail(db.error);
  try {
    await prepareDb(db.value, config, log);
  } catch (e) {
    await db.value.close().catch(() => {});
    fail(`cannot prepare the database: ${(e as Error).message}`);
  }
  return db.value;
}

export function cliLogger(config: Config): Logger {
  return createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
}

/** Closes `close` on SIGINT/SIGTERM, then exits. */
export function onShutdown(log: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        log.error({ err: e }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
