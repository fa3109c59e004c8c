// Times the manager dashboard's set of metric calls (issue 4) against a running `leadhouse serve`.
//   node --import tsx bench/metrics-dashboard.ts --url http://127.0.0.1:3300 --token <t> \
//     [--source office_a | --source ''] [--month 2026-10] [--iterations 200] [--warmup 20] \
//     [--parallel 6] [--label pg-office] [--out results.jsonl]
// One "set" = the 12 calls the dashboard makes for one office (or all, --source '') and one month
// (default: the last full month, UTC calendar): sales_amount, leads_won, ticket_average and
// conversion_rate for the month and for the month before, goal_progress, funnel, leaderboard,
// and sales_amount by month since January 1. Measured two ways, each --iterations times after
// --warmup untimed sets:
//   parallel    the 12 calls issued together over at most --parallel keep-alive connections (a
//               browser's per-host limit): wall time of the set, as the dashboard sees it;
//   sequential  one call after the other: the sum of the server's own time per call (the
//               `Server-Timing: db;dur=` header: the metric's SQL, from the route handler) and
//               the sum of the client's wall time per call over loopback (HTTP included).
// Prints a JSON summary line (appended to --out) and a Markdown table.
import { appendFileSync, readFileSync } from 'node:fs';
import http from 'node:http';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const url = new URL(args.get('url') ?? 'http://127.0.0.1:3300');
const token = args.get('token') ?? '';
const source = args.get('source') ?? 'office_a';
const iterations = Number(args.get('iterations') ?? 200);
const warmup = Number(args.get('warmup') ?? 20);
const parallel = Number(args.get('parallel') ?? 6);
const label = args.get('label') ?? (source || 'all');

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
function monthRange(ym: string): { from: string; to: string } {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return { from: ymd(new Date(Date.UTC(y, m - 1, 1))), to: ymd(new Date(Date.UTC(y, m, 0))) };
}
const today = new Date();
const lastFull = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
const month = args.get('month') ?? ymd(lastFull).slice(0, 7);
const cur = monthRange(month);
const [year, mon] = month.split('-').map(Number) as [number, number];
const prev = monthRange(ymd(new Date(Date.UTC(year, mon - 2, 1))).slice(0, 7));

const qs = (o: Record<string, string>) =>
  new URLSearchParams(Object.entries(o).filter(([k, v]) => v !== '' || k !== 'source')).toString();
const src = { source };
const calls: Array<{ name: string; path: string }> = [];
for (const m of ['sales_amount', 'leads_won', 'ticket_average', 'conversion_rate']) {
  calls.push({ name: m, path: `/api/v1/metrics/${m}?${qs({ ...cur, ...src })}` });
  calls.push({ name: `${m} (prev)`, path: `/api/v1/metrics/${m}?${qs({ ...prev, ...src })}` });
}
calls.push({ name: 'goal_progress', path: `/api/v1/metrics/goal_progress?${qs({ to: cur.to, ...src })}` });
calls.push({ name: 'funnel', path: `/api/v1/metrics/funnel?${qs({ ...cur, ...src })}` });
calls.push({ name: 'leaderboard', path: `/api/v1/metrics/leaderboard?${qs({ ...cur, ...src })}` });
calls.push({
  name: 'sales_amount by month (YTD)',
  path: `/api/v1/metrics/sales_amount?${qs({ from: `${year}-01-01`, to: cur.to, ...src, by: 'month' })}`,
});

const agent = new http.Agent({ keepAlive: true, maxSockets: parallel, maxFreeSockets: parallel });
interface Answer {
  wall: number;
  server: number;
  rows: number;
}
function get(path: string): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: Number(url.port || 80),
        path,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const wall = performance.now() - t0;
          const body = Buffer.concat(parts).toString('utf8');
          if (res.statusCode !== 200)
            return reject(new Error(`${path}: ${res.statusCode} ${body.slice(0, 300)}`));
          const timing = /db;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
          const rows = (JSON.parse(body) as { rows?: unknown[] }).rows?.length ?? 0;
          resolve({ wall, server: timing ? Number(timing[1]) : Number.NaN, rows });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const perCall = calls.map(() => ({
  wallPar: [] as number[],
  wallSeq: [] as number[],
  server: [] as number[],
}));
const setParallel: number[] = [];
const setSeqServer: number[] = [];
const setSeqWall: number[] = [];
const rowsSeen = calls.map(() => 0);

async function runParallel(record: boolean): Promise<void> {
  const t0 = performance.now();
  const answers = await Promise.all(calls.map((c) => get(c.path)));
  if (!record) return;
  setParallel.push(performance.now() - t0);
  for (const [i, a] of answers.entries()) perCall[i]!.wallPar.push(a.wall);
}
async function runSequential(record: boolean): Promise<void> {
  let server = 0;
  let wall = 0;
  for (const [i, c] of calls.entries()) {
    const a = await get(c.path);
    rowsSeen[i] = a.rows;
    server += a.server;
    wall += a.wall;
    if (record) {
      perCall[i]!.server.push(a.server);
      perCall[i]!.wallSeq.push(a.wall);
    }
  }
  if (!record) return;
  setSeqServer.push(server);
  setSeqWall.push(wall);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const trio = (xs: number[]) => ({ p50: r1(pct(xs, 50)), p95: r1(pct(xs, 95)), p99: r1(pct(xs, 99)) });

const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
for (let i = 0; i < warmup; i++) {
  await runSequential(false);
  await runParallel(false);
}
const t0 = performance.now();
for (let i = 0; i < iterations; i++) await runParallel(true);
for (let i = 0; i < iterations; i++) await runSequential(true);
const summary = {
  label,
  source: source || 'all',
  month,
  iterations,
  parallel,
  load_before: Number(load),
  seconds: r1((performance.now() - t0) / 1000),
  set_parallel_wall_ms: trio(setParallel),
  set_sequential_server_ms: trio(setSeqServer),
  set_sequential_wall_ms: trio(setSeqWall),
  calls: calls.map((c, i) => ({
    name: c.name,
    rows: rowsSeen[i],
    server_p50: r1(pct(perCall[i]!.server, 50)),
    server_p95: r1(pct(perCall[i]!.server, 95)),
    wall_seq_p95: r1(pct(perCall[i]!.wallSeq, 95)),
    wall_par_p95: r1(pct(perCall[i]!.wallPar, 95)),
  })),
};
agent.destroy();
const line = JSON.stringify(summary);
if (args.get('out')) appendFileSync(args.get('out')!, `${line}\n`);
process.stdout.write(`${line}\n\n`);
const t = (x: { p50: number; p95: number; p99: number }) => `${x.p50} / ${x.p95} / ${x.p99}`;
process.stdout.write(
  [
    `### ${label}: source ${source || 'all'}, month ${month}, ${iterations} sets, load before ${load}`,
    '',
    '| set of 12 calls | p50 / p95 / p99 ms |',
    '|---|---|',
    `| parallel (≤ ${parallel} at a time), wall | ${t(summary.set_parallel_wall_ms)} |`,
    `| sequential, Σ server time (Server-Timing db) | ${t(summary.set_sequential_server_ms)} |`,
    `| sequential, Σ client wall (loopback) | ${t(summary.set_sequential_wall_ms)} |`,
    '',
    '| call | rows | server p50 ms | server p95 ms | wall p95 ms (sequential) | wall p95 ms (parallel) |',
    '|---|---:|---:|---:|---:|---:|',
    ...summary.calls.map(
      (c) =>
        `| ${c.name} | ${c.rows} | ${c.server_p50} | ${c.server_p95} | ${c.wall_seq_p95} | ${c.wall_par_p95} |`,
    ),
    '',
  ].join('\n'),
);
