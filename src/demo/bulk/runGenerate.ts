import type { Result } from '../../core/result.js';
import type { Db } from '../../store/db.js';
import { type BulkOptions, type BulkResult, generateBulk } from './generateBulk.js';

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * `leadhouse demo --generate <N>`: the bulk generator with a progress line per chunk on `out`
 * (leads, events, elapsed, estimated time left) and the row counts at the end.
 */
export async function runGenerate(
  db: Db,
  opts: Omit<BulkOptions, 'onProgress'>,
  out: NodeJS.WritableStream,
): Promise<Result<BulkResult & { stageChanges: number }, string>> {
  out.write(`  generating ${fmt(opts.leads)} leads (3 offices, 40 agents, 3 years) on ${db.driver}…\n`);
  const r = await generateBulk(db, {
    ...opts,
    onProgress: (p) => {
      const left = p.leads < p.total ? (p.ms / p.leads) * (p.total - p.leads) : 0;
      out.write(
        `  ${fmt(p.leads)} / ${fmt(p.total)} leads, ${fmt(p.events)} events, ${(p.ms / 1000).toFixed(0)} s` +
          (left > 0 ? `, ~${Math.ceil(left / 1000)} s left\n` : '\n'),
      );
    },
  });
  if (!r.ok) return r;
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM leadhouse.stage_changes');
  const stageChanges = rows[0]?.n ?? 0;
  out.write(
    `  done in ${(r.value.ms / 1000).toFixed(1)} s: ${fmt(r.value.leads)} leads, ${fmt(r.value.events)} events, ` +
      `${fmt(stageChanges)} stage changes in the database; goals: ${r.value.goals}\n`,
  );
  return { ok: true, value: { ...r.value, stageChanges } };
}
