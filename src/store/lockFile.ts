import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { err, ok, type Result } from '../core/result.js';

/**
 * An exclusive lock on an embedded data folder: PGlite lets two processes open one folder without
 * complaint and they would corrupt it. The lock file holds the owner's pid; a lock whose pid is no
 * longer running (a crash, kill -9) is taken over.
 */
export function acquireLock(path: string): Result<() => void, string> {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return ok(() => rmSync(path, { force: true }));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        return err(
          `the embedded database is in use by another leadhouse process (pid ${pid}); stop it first, or point DATABASE_URL at PostgreSQL to run several processes`,
        );
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  return err(`cannot take the lock ${path}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
