import type { DatabaseConfig } from '../core/config.js';
import type { Result } from '../core/result.js';
import { ok } from '../core/result.js';
import type { Db } from './db.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export async function openDb(cfg: DatabaseConfig): Promise<Result<Db, string>> {
  if (cfg.kind === 'postgres') return ok(openPostgres({ url: cfg.url }));
  return openPglite({ dir: cfg.dir });
}
