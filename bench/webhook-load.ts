// Load generator for noCRM webhook receivers (Leadhouse and the seed's Flask app alike).
//
//   node --import tsx bench/webhook-load.ts --url http://127.0.0.1:3100 --duration 20 --warmup 3 \
//     --connections 10 --account ofice_a,ofice_b,ofice_c --api-key bench-api-key \
//     --ids-out /tmp/ids.tsv --cpu-pids app=1234,pg=5678
//
// Closed loop over keep-alive connections (bench/lib/closedLoop.ts); every body is a unique,
// signed noCRM envelope (bench/lib/nocrmTraffic.ts). Prints ONE JSON line: req/s, exact latency
// percentiles of every response, status counts, errors, the measured id range and the CPU
// seconds of the --cpu-pids process trees during the measured part.
//
// Options
//   --url URL            base URL; the path defaults to /webhook/{account} ({account} is replaced)
//   --duration S         measured seconds (default 20)   --warmup S  unmeasured seconds before (0)
//   --connections N      concurrent connections (10)     --timeout S per request (10)
//   --account A,B,C      accounts, one picked at random per request (ofice_a)
//   --api-key K          signing key: signature = sha1(String(id) + K) (bench-api-key)
//   --mix a,b,c,d        weights of lead.step.changed, lead.creation, lead.deleted,
//                        client_folder.created (60,30,5,5)
//   --leads N            existing leads per account at the start (2000)   --seed N (42)
//   --lead-id-base N     first lead id (100000); a separate warm-up run should use another range
//   --id-base N          first webhook_event.id (default Date.now()*1000: runs never overlap)
//   --ids-out FILE       "id<TAB>account<TAB>event<TAB>status" per answered measured request
//   --cpu-pids N=P,…     CPU seconds of each PID's process tree (Linux /proc), as cpu_s.N; N=P+Q+…
//                        sums several trees; server_cpu_ms_per_req is the sum of all of them
//   --cpu-also N=P,…     the same, reported as cpu_also_s.N but not counted as server CPU
//   --metrics-url URL    Leadhouse /metrics: ingest batches (count, mean size, mean ms) of the measured part
//   --label TEXT         copied into the output
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { batchDelta, readBatchTotals } from './lib/batchMetrics.js';
import { closedLoop } from './lib/closedLoop.js';
import { EVENTS, NocrmTraffic, type Webhook } from './lib/nocrmTraffic.js';
import { CLK_TCK, groupCpuSeconds, machineCpu, parseCpuPids } from './lib/procCpu.js';
import { summarizeLatencies } from './lib/stats.js';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3100' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '0' },
    connections: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '10' },
    account: { type: 'string', default: 'ofice_a' },
    'api-key': { type: 'string', default: 'bench-api-key' },
    mix: { type: 'string', default: '60,30,5,5' },
    leads: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    'id-base': { type: 'string' },
    'ids-out': { type: 'string' },
    'cpu-pids': { type: 'string' },
    'cpu-also': { type: 'string' },
    'lead-id-base': { type: 'string', default: '100000' },
    'metrics-url': { type: 'string' },
    label: { type: 'string' },
  },
  strict: true,
});

const num = (name: string, v: string | undefined, min = 0): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${v}`);
  return n;
};
const connections = num('connections', opt.connections, 1);
const accounts = opt.account.split(',').map((s) => s.trim());
const mix = opt.mix.split(',').map(Number);
if (mix.length !== EVENTS.length || mix.some((w) => !(w >= 0))) throw new Error('--mix needs 4 weights');
const base = new URL(opt.url);
const template = base.pathname.includes('{account}') ? decodeURI(base.pathname) : '/webhook/{account}';
const cpuSpec = parseCpuPids(opt['cpu-pids']);
const alsoSpec = parseCpuPids(opt['cpu-also']);
const cpuGroups = [...cpuSpec, ...alsoSpec];

const traffic = new NocrmTraffic({
  accounts,
  apiKey: opt['api-key'],
  mix,
  firstId: opt['id-base'] !== undefined ? num('id-base', opt['id-base']) : Date.now() * 1000,
  leadsPerAccount: num('leads', opt.leads),
  seed: num('seed', opt.seed),
  firstLeadId: num('lead-id-base', opt['lead-id-base']),
  startMs: Date.now() - 24 * 3600 * 1000,
});
const request = () => {
  const w = traffic.next();
  return { path: template.replaceAll('{account}', encodeURIComponent(w.account)), body: w.body, tag: w };
};
const timeoutMs = num('timeout', opt.timeout) * 1000;
const origin = new URL(base.origin);

// Warm-up: same traffic, nothing recorded.
const warmupFirst = traffic.peekId();
const warmupMs = num('warmup', opt.warmup) * 1000;
if (warmupMs > 0) {
  const ignore = () => {};
  await closedLoop({
    origin,
    connections,
    durationMs: warmupMs,
    timeoutMs,
    next: request,
    onAnswer: ignore,
    onError: ignore,
  });
}

// Measured part.
const latencies: number[] = [];
const statusCounts: Record<string, number> = {};
const errorCodes: Record<string, number> = {};
const byEvent = Object.fromEntries(EVENTS.map((e) => [e, { sent: 0, ok: 0 }]));
const answered: string[] = [];
let bodyBytes = 0;
const firstId = traffic.peekId();
const metricsUrl = opt['metrics-url'];
const batches0 = metricsUrl ? await readBatchTotals(metricsUrl) : null;
const cpu0 = groupCpuSeconds(cpuGroups);
const mach0 = machineCpu();
const self0 = process.cpuUsage();
const { elapsedMs } = await closedLoop<Webhook>({
  origin,
  connections,
  durationMs: num('duration', opt.duration, 0.1) * 1000,
  timeoutMs,
  next: () => {
    const r = request();
    byEvent[r.tag.event]!.sent++;
    bodyBytes += Buffer.byteLength(r.body);
    return r;
  },
  onAnswer: (w, status, ms) => {
    latencies.push(ms);
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    if (status >= 200 && status < 300) byEvent[w.event]!.ok++;
    answered.push(`${w.id}\t${w.account}\t${w.event}\t${status}`);
  },
  onError: (_w, code) => {
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
  },
});
const cpu1 = groupCpuSeconds(cpuGroups);
const mach1 = machineCpu();
const self = process.cpuUsage(self0);
const lastId = traffic.peekId() - 1;
const batches1 = metricsUrl ? await readBatchTotals(metricsUrl) : null;

if (opt['ids-out']) writeFileSync(opt['ids-out'], answered.map((l) => l + '\n').join(''));

const responses = latencies.length;
const ok = Object.entries(statusCounts).reduce((s, [k, n]) => (k.startsWith('2') ? s + n : s), 0);
const errors = Object.values(errorCodes).reduce((a, b) => a + b, 0);
const cpuS = Object.fromEntries(cpuSpec.map(([name], i) => [name, round(cpu1[i]! - cpu0[i]!, 2)]));
const alsoS = Object.fromEntries(
  alsoSpec.map(([name], i) => [name, round(cpu1[cpuSpec.length + i]! - cpu0[cpuSpec.length + i]!, 2)]),
);
const serverCpuS = cpuSpec.length > 0 ? cpuSpec.reduce((s, _, i) => s + cpu1[i]! - cpu0[i]!, 0) : null;
const loadgenCpuS = (self.user + self.system) / 1e6;
const ticks = (m: 'busy' | 'total' | 'steal') => (mach0 && mach1 ? mach1[m] - mach0[m] : Number.NaN);
const machineBusyS = ticks('busy') / CLK_TCK; // busy core-seconds, all cores
const sent = responses + errors;

const out = {
  label: opt.label ?? null,
  url: base.origin + template,
  accounts,
  connections,
  duration_s: round(elapsedMs / 1000, 3),
  warmup_s: warmupMs / 1000,
  requests_per_s: round(responses / (elapsedMs / 1000), 1),
  responses,
  '2xx': ok,
  non2xx: responses - ok,
  status_counts: statusCounts,
  errors,
  error_codes: errorCodes,
  latency_ms: summarizeLatencies(latencies),
  by_event: byEvent,
  id_range: [firstId, lastId],
  warmup_id_range: warmupMs > 0 ? [warmupFirst, firstId - 1] : null,
  mean_body_bytes: sent > 0 ? Math.round(bodyBytes / sent) : null,
  ingest_batches: batchDelta(batches0, batches1),
  cpu_s: cpuSpec.length > 0 ? cpuS : null,
  cpu_pids: cpuSpec.length > 0 ? Object.fromEntries(cpuSpec) : null,
  cpu_also_s: alsoSpec.length > 0 ? alsoS : null,
  cpu_also_pids: alsoSpec.length > 0 ? Object.fromEntries(alsoSpec) : null,
  server_cpu_s: serverCpuS === null ? null : round(serverCpuS, 2),
  server_cpu_ms_per_req:
    serverCpuS !== null && responses > 0 ? round((serverCpuS * 1000) / responses, 3) : null,
  loadgen_cpu_s: round(loadgenCpuS, 2),
  machine_cpu_busy_pct: round((100 * ticks('busy')) / ticks('total'), 1),
  machine_busy_cpu_s: round(machineBusyS, 2),
  // CPU the machine spent on neither the measured trees nor this generator: other tenants.
  other_cpu_s: serverCpuS === null ? null : round(machineBusyS - serverCpuS - loadgenCpuS, 2),
  machine_cpu_steal_pct: round((100 * ticks('steal')) / ticks('total'), 1),
  engine: 'bench/webhook-load.ts (node:http keep-alive closed loop)',
  node: process.version,
  finished_at: new Date().toISOString(),
};
process.stdout.write(JSON.stringify(out) + '\n');

function round(x: number, digits: number): number | null {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : null;
}
