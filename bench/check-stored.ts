// Acked vs stored for Leadhouse: compares the answers a load run got (--ids-out of
// bench/webhook-load.ts) with the rows in leadhouse.events, on either driver.
//
//   node --import tsx bench/check-stored.ts --ids FILE --min ID --max ID \
//     --database postgres://postgres@127.0.0.1:5432/leadhouse_bench   # or a PGlite folder
//
// A PGlite folder can be opened only while no server holds it: stop the server first.
// Prints one JSON line (the same keys as the reference kit's check-rows.sh):
//   answered_2xx, answered_non2xx, rows_in_id_range,
//   ok (2xx stored under its source and noCRM event), lost (2xx, no row),
//   wrong_table (2xx stored under another source or event), rows_without_answer (stored, no
//   answer seen: in flight at a timeout), stored_despite_non2xx, duplicate_ids_across_tables.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../src/store/openDb.js';

const { values: opt } = parseArgs({
  options: {
    ids: { type: 'string' },
    min: { type: 'string' },
    max: { type: 'string' },
    database: { type: 'string' },
  },
  strict: true,
});
if (!opt.ids || !opt.min || !opt.max || !opt.database) {
  process.stderr.write('usage: check-stored.ts --ids FILE --min ID --max ID --database URL|DIR\n');
  process.exit(2);
}
const min = BigInt(opt.min);
const max = BigInt(opt.max);

const opened = await openDb(
  /^postgres(ql)?:\/\//.test(opt.database)
    ? { kind: 'postgres', url: opt.database }
    : { kind: 'pglite', dir: resolve(opt.database) },
);
if (!opened.ok) throw new Error(opened.error);
const db = opened.value;
const { rows } = await db.query<{ external_id: string; source_id: string; event: string | null }>(
  `SELECT external_id, source_id, meta->>'event' AS event FROM leadhouse.events
   WHERE channel = 'webhook' AND external_id ~ '^[0-9]{1,18}$' AND external_id::int8 BETWEEN $1 AND $2`,
  [min.toString(), max.toString()],
);
await db.close();

const stored = new Map<string, string[]>();
for (const r of rows) {
  const key = `${r.source_id}\t${r.event}`;
  const list = stored.get(r.external_id);
  if (list) list.push(key);
  else stored.set(r.external_id, [key]);
}

const answeredIds = new Set<string>();
const c = {
  answered_2xx: 0,
  answered_non2xx: 0,
  rows_in_id_range: rows.length,
  ok: 0,
  lost: 0,
  wrong_table: 0,
  rows_without_answer: 0,
  stored_despite_non2xx: 0,
  duplicate_ids_across_tables: [...stored.values()].filter((l) => l.length > 1).length,
};
for (const line of readFileSync(opt.ids, 'utf8').split('\n')) {
  if (!line) continue;
  const [id, account, event, status] = line.split('\t') as [string, string, string, string];
  answeredIds.add(id);
  const at = stored.get(id);
  if (/^2\d\d$/.test(status)) {
    c.answered_2xx++;
    if (!at) c.lost++;
    else if (at.includes(`${account}\t${event}`)) c.ok++;
    else c.wrong_table++;
  } else {
    c.answered_non2xx++;
    if (at) c.stored_despite_non2xx++;
  }
}
for (const id of stored.keys()) if (!answeredIds.has(id)) c.rows_without_answer++;
process.stdout.write(JSON.stringify(c) + '\n');
