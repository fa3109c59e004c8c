// Markdown summary of bench/webhooks.sh results.
//   node --import tsx bench/summarize-webhooks.ts bench/results/webhooks-<stamp>.jsonl
// Per server, generator and connection count: the median (min–max) over the rounds; then
// Leadhouse's ratios to the reference at equal connections against the issue-2 targets.
// Runs superseded by a retry (the machine was busy) are left out.
import { readFileSync } from 'node:fs';

interface Run {
  server: string;
  tool: string;
  round: number;
  connections: number;
  superseded?: boolean;
  noisy?: boolean;
  requests_per_s: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number };
  server_cpu_ms_per_req: number | null;
  cpu_s: Record<string, number> | null;
  responses: number;
  non2xx: number;
  errors: number;
  other_cpu_s: number | null;
  ingest_batches?: { mean_events_per_batch: number | null; mean_batch_ms: number | null } | null;
  rows_check?: {
    answered_2xx: number;
    ok: number;
    lost: number;
    wrong_table: number;
    rows_without_answer: number;
  };
}

const runs: Run[] = process.argv
  .slice(2)
  .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Run)
  .filter((r) => !r.superseded);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
const cell = (xs: Array<number | null | undefined>) => {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return '–';
  if (v.length === 1) return fmt(v[0]!);
  return `${fmt(median(v))} (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})`;
};
const sum = (xs: Array<number | undefined>) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
const perReq = (r: Run, tree: string) =>
  r.cpu_s && r.responses ? (r.cpu_s[tree]! * 1000) / r.responses : null;

const groups = new Map<string, Run[]>();
for (const r of runs) {
  const k = `${r.server}\t${r.tool}\t${r.connections}`;
  groups.set(k, [...(groups.get(k) ?? []), r]);
}
const order = (k: string) => {
  const [server, tool, c] = k.split('\t') as [string, string, string];
  return [
    tool === 'ours' ? 0 : 1,
    Number(c),
    ['reference', 'leadhouse-postgres', 'leadhouse-pglite'].indexOf(server),
  ];
};
const keys = [...groups.keys()].sort((a, b) => {
  const [x, y] = [order(a), order(b)];
  return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
});

console.log(
  '| server | generator | c | runs | req/s | p50 ms | p90 ms | p99 ms | max ms | CPU ms/req (app + db) | batch events / ms | 2xx | stored ok | lost | non-2xx + errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const k of keys) {
  const g = groups.get(k)!;
  const [server, tool, c] = k.split('\t');
  const split =
    g[0]!.cpu_s && 'pg' in g[0]!.cpu_s
      ? ` (${cell(g.map((r) => perReq(r, 'app')))} + ${cell(g.map((r) => perReq(r, 'pg')))})`
      : '';
  const batch = g.some((r) => r.ingest_batches)
    ? `${cell(g.map((r) => r.ingest_batches?.mean_events_per_batch))} / ${cell(g.map((r) => r.ingest_batches?.mean_batch_ms))}`
    : '–';
  const checked = g.every((r) => r.rows_check);
  console.log(
    `| ${server} | ${tool} | ${c} | ${g.length} | ${cell(g.map((r) => r.requests_per_s))} | ${cell(g.map((r) => r.latency_ms.p50))} | ${cell(g.map((r) => r.latency_ms.p90))} | ${cell(g.map((r) => r.latency_ms.p99))} | ${cell(g.map((r) => r.latency_ms.max))} | ${cell(g.map((r) => r.server_cpu_ms_per_req))}${split} | ${batch} | ${sum(g.map((r) => r.rows_check?.answered_2xx))} | ${checked ? sum(g.map((r) => r.rows_check?.ok)) : '–'} | ${checked ? sum(g.map((r) => r.rows_check?.lost)) : '–'} | ${sum(g.map((r) => r.non2xx + r.errors))} |`,
  );
}

// Ratios to the reference, our generator, equal connections: ratio of the medians, and the range of
// the per-round ratios (each round measured both servers back to back).
const TARGETS = { rps: 10, p99: 1 / 5, cpu: 1 / 10 };
console.log('\n(PGlite has no target yet: its ratios are shown without a verdict.)');
console.log(
  '\n| Leadhouse / reference | c | req/s (target ≥ 10×) | p99 (target ≤ 0.2×) | CPU/req (target ≤ 0.1×) | acked == stored |',
);
console.log('|---|---|---|---|---|---|');
for (const server of ['leadhouse-postgres', 'leadhouse-pglite']) {
  for (const c of [...new Set(runs.map((r) => r.connections))].sort((a, b) => a - b)) {
    const lh = groups.get(`${server}\tours\t${c}`);
    const ref = groups.get(`reference\tours\t${c}`);
    if (!lh || !ref) continue;
    const ratio = (get: (r: Run) => number | null, target: number, higherIsBetter: boolean) => {
      const m = (g: Run[]) => median(g.map(get).filter((x): x is number => x !== null));
      const r = m(lh) / m(ref);
      const perRound = lh
        .map((l) => {
          const f = ref.find((x) => x.round === l.round);
          const a = get(l);
          const b = f ? get(f) : null;
          return a !== null && b ? a / b : null;
        })
        .filter((x): x is number => x !== null);
      const range =
        perRound.length > 1 ? ` (rounds ${fmt(Math.min(...perRound))}–${fmt(Math.max(...perRound))})` : '';
      const pass = higherIsBetter ? r >= target : r <= target;
      return `${fmt(r)}×${range}${server === 'leadhouse-pglite' ? '' : pass ? ' ✅' : ' ❌'}`;
    };
    const lost = sum(lh.map((r) => r.rows_check?.lost)) + sum(lh.map((r) => r.rows_check?.wrong_table));
    const stored = sum(lh.map((r) => r.rows_check?.ok));
    const acked = sum(lh.map((r) => r.rows_check?.answered_2xx));
    console.log(
      `| ${server} | ${c} | ${ratio((r) => r.requests_per_s, TARGETS.rps, true)} | ${ratio((r) => r.latency_ms.p99, TARGETS.p99, false)} | ${ratio((r) => r.server_cpu_ms_per_req, TARGETS.cpu, false)} | ${acked} acked, ${stored} stored, ${lost} lost ${lost === 0 && acked === stored ? '✅' : '❌'} |`,
    );
  }
}
const noisy = runs.filter((r) => r.noisy).length;
if (noisy > 0)
  console.log(`\n${noisy} run(s) kept although the machine was busy with other work (noisy: true).`);
