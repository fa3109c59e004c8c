import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { notifyChanges } from '../../ingest/notifyChanges.js';
import { upsertGoal } from '../../metrics/goals.js';
import { readGoalsCsv } from '../../metrics/readGoalsCsv.js';
import { cliLogger, configFrom, fail, openPrepared } from '../context.js';

const HELP = `
The CSV has a header row: source, owner, metric, period, period_start, target (scope optional:
office when owner is empty, else owner). metric is leads_won or sales_amount; period is month
(period_start YYYY-MM) or year (period_start YYYY). Example:
  source,owner,metric,period,period_start,target
  office_a,,sales_amount,month,2026-11,3000000
  office_a,maria.garcia@office-a.example,leads_won,year,2026,24
A goal that exists (same office/owner, metric and period) gets the new target. Every row is
checked first: one bad row fails the whole file (exit 1) and nothing is written.`;

export function registerGoals(program: Command): void {
  const goals = program.command('goals').description('sales goals per office and agent');
  goals
    .command('import')
    .description('create or update goals from a CSV file')
    .argument('<file>', 'the CSV file')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', HELP)
    .action(async (file: string, flags: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      if (!existsSync(file)) fail(`${file}: no such file`);
      const read = await readGoalsCsv(file, Object.keys(config.sources));
      if (!read.ok) {
        process.stderr.write(
          `leadhouse: ${file}: nothing imported\n${read.error.map((e) => `  ${e}\n`).join('')}`,
        );
        process.exit(1);
      }
      const db = await openPrepared(config, cliLogger(config));
      try {
        const saved = await db.transaction(async (tx) => {
          const out = [];
          for (const g of read.value) out.push(await upsertGoal(tx, g));
          await notifyChanges(tx, {
            sources: [...new Set(read.value.map((g) => g.source))],
            types: ['goal'],
          });
          return out;
        });
        if (flags.json) process.stdout.write(`${JSON.stringify({ imported: saved.length, goals: saved })}\n`);
        else process.stdout.write(`imported ${saved.length} goal(s) from ${file}\n`);
      } finally {
        await db.close();
      }
    });
}
