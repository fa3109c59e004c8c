// Writes a synthetic noCRM action-history export for the import benchmark (issue 3).
//   node --import tsx bench/import-history.ts <rows> <out.csv>
// Three offices' worth of leads (ids 100000…, 200000…, 300000…), about five actions per lead
// (creation, step changes, a comment, an assignment, a closing status), zone-less local times,
// deterministic (seeded), written as a stream.
import { createWriteStream } from 'node:fs';

const rows = Number(process.argv[2] ?? 1_000_000);
const out = process.argv[3] ?? '/tmp/leadhouse-history.csv';

const STEPS = ['Incoming', 'Contacted', 'Visit', 'Offer', 'Negotiation', 'Signed'];
const AGENTS = [
  'ana',
  'bob',
  'carla',
  'diego',
  'elena',
  'fran',
  'gema',
  'hugo',
  'ines',
  'jorge',
  'kike',
  'lucia',
];
const OFFICES = ['office-a', 'office-b', 'office-c'];

let seed = 42;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const pad = (n: number) => String(n).padStart(2, '0');
const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const csv = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const file = createWriteStream(out);
const write = (line: string) =>
  file.write(line) ? Promise.resolve() : new Promise<void>((r) => file.once('drain', () => r()));

await write('lead_id,action,from_step,to_step,status,amount,user,timestamp,title\n');
let written = 0;
let lead = 0;
const start = Date.UTC(2024, 0, 2, 8);
let buf = '';
while (written < rows) {
  const office = lead % 3;
  const id = (office + 1) * 100_000 + Math.floor(lead / 3);
  const domain = `${OFFICES[office]}.example`;
  const owner = `${pick(AGENTS)}@${domain}`;
  let t = start + Math.floor(rnd() * 540 * 86_400_000);
  let amount = (50 + Math.floor(rnd() * 450)) * 1000;
  let step = 0;
  const actions: string[][] = [
    [
      'lead_created',
      '',
      STEPS[0]!,
      'todo',
      String(amount),
      owner,
      local(t),
      `Piso ${id} ${pick(['Centro', 'Norte', 'Playa'])}`,
    ],
  ];
  const moves = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < moves && step < STEPS.length - 1; i++) {
    t += Math.floor(rnd() * 5 * 86_400_000);
    const from = STEPS[step]!;
    step += 1;
    actions.push(['step_changed', from, STEPS[step]!, 'todo', String(amount), owner, local(t), '']);
  }
  if (rnd() < 0.5) {
    t += 3_600_000;
    actions.push(['comment', '', '', '', '', owner, local(t), '']);
  }
  if (rnd() < 0.3) {
    t += 3_600_000;
    actions.push(['assigned', '', '', '', '', `${pick(AGENTS)}@${domain}`, local(t), '']);
  }
  t += Math.floor(rnd() * 10 * 86_400_000);
  amount += Math.floor(rnd() * 20) * 500;
  const [action, status] = pick([
    ['won', 'won'],
    ['lost', 'lost'],
    ['status_changed', 'standby'],
  ] as const);
  actions.push([action, '', '', status, `${amount}.00`, owner, local(t), '']);
  for (const a of actions) {
    if (written >= rows) break;
    buf += `${id},${a.map(csv).join(',')}\n`;
    written++;
  }
  if (buf.length > 1 << 20) {
    await write(buf);
    buf = '';
  }
  lead++;
}
await write(buf);
await new Promise<void>((r) => file.end(() => r()));
process.stdout.write(`${written} rows, ${lead} leads -> ${out}\n`);
