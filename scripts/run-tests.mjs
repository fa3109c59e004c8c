// Runs every test file with Node's test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs [file-or-folder …]   (default: src and test)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(path, out) {
  if (statSync(path).isDirectory()) {
    for (const f of readdirSync(path)) if (f !== 'node_modules') find(join(path, f), out);
  } else if (/\.test\.ts$/.test(path)) out.push(path);
  return out;
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['src', 'test']).flatMap((r) => find(r, [])).sort();
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
