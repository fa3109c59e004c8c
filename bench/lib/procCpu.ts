import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ, 100 on every mainstream Linux). */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Proc {
  ppid: number;
  ticks: number;
}

/** Every live process: parent and utime+stime+cutime+cstime (fields 14–17 of /proc/<pid>/stat). */
function processTable(): Map<number, Proc> {
  const table = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i] ?? 0);
    table.set(Number(name), { ppid: n(1), ticks: n(11) + n(12) + n(13) + n(14) });
  }
  return table;
}

/**
 * CPU seconds used so far by each root's process tree: the root and all its live descendants,
 * including what their reaped children used (cutime/cstime), so per-request PostgreSQL backends
 * and restarted workers count. A difference of two calls is the CPU used in between.
 */
export function treeCpuSeconds(roots: readonly number[]): number[] {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) {
    const list = children.get(p.ppid);
    if (list) list.push(pid);
    else children.set(p.ppid, [pid]);
  }
  return roots.map((root) => {
    let ticks = 0;
    const stack = [root];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      ticks += table.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return ticks / CLK_TCK;
  });
}

export interface MachineCpu {
  busy: number;
  total: number;
  steal: number;
}

/** Busy, total and steal ticks summed over all cores (first line of /proc/stat). */
export function machineCpu(): MachineCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total, steal: f[7] ?? 0 };
  } catch {
    return null;
  }
}

/** Parses `name=pid,name=pid+pid` (a bare pid is its own name; `+` sums several trees under one name). */
export function parseCpuPids(spec: string | undefined): Array<[string, number[]]> {
  if (!spec) return [];
  return spec
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((item) => {
      const [name, pids] = item.includes('=') ? item.split('=', 2) : [item, item];
      if (!pids || !/^\d+(\+\d+)*$/.test(pids.trim())) throw new Error(`--cpu-pids: no pid in "${item}"`);
      return [name!.trim(), pids.split('+').map(Number)];
    });
}

/** CPU seconds so far of each named group of trees (see parseCpuPids). */
export function groupCpuSeconds(groups: ReadonlyArray<readonly [string, readonly number[]]>): number[] {
  const all = treeCpuSeconds(groups.flatMap(([, pids]) => pids));
  let i = 0;
  return groups.map(([, pids]) => pids.reduce((s) => s + all[i++]!, 0));
}
