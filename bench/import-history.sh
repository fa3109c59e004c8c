#!/usr/bin/env bash
# History import benchmark (issue 3): `leadhouse import` of a 1,000,000-row action-history CSV
# against `psql \copy` of the same file into a bare table with the same columns, in one run.
#
#   bench/import-history.sh                      # ROWS=1000000, ROUNDS=3 on PostgreSQL, 1 on PGlite
#   ROWS=200000 ROUNDS=1 bench/import-history.sh # a quick look
#
# Each PostgreSQL round, back to back on 127.0.0.1:5432 (user postgres, trust):
#   copy       psql \copy into a bare table (9 text columns), fresh scratch database
#   import     node dist/cli/main.js import office_a <file> --json, fresh database (migrated
#              beforehand, not timed): streaming parse, COPY to staging, merge into events,
#              projections (leads, stage_changes, owners) — one transaction
#   reimport   the same command again: every row is a duplicate, nothing is written
# then PGlite once (PGLITE_ROWS rows, default ROWS): fresh data folder, migrated beforehand.
# Wall time and peak RSS of the client process from /usr/bin/time (%e, %M); the PostgreSQL
# server's own memory is not counted. Leadhouse is built into $WORK/dist (not the shared dist/).
# Output: one JSON line per run in $WORK/results.jsonl and a Markdown table on stdout.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ROWS=${ROWS:-1000000}
PGLITE_ROWS=${PGLITE_ROWS:-$ROWS}
ROUNDS=${ROUNDS:-3}
WORK=${WORK:-/tmp/leadhouse-bench-import}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB_COPY=leadhouse_bench_copy
DB_IMPORT=leadhouse_bench_import
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (apt-get install -y time)" >&2; exit 1; }
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
psql_admin() { psql "$PG/postgres" -qAtX -v ON_ERROR_STOP=1 "$@"; }
fresh_db() { psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }

echo "== build into $WORK/dist" >&2
(cd "$ROOT" && npx tsc -p tsconfig.build.json --outDir "$WORK/dist") || echo "tsc reported errors (output emitted anyway)" >&2
cp -r "$ROOT/src/store/migrations" "$WORK/dist/store/"
ln -sfn "$ROOT/node_modules" "$WORK/node_modules"
CLI="$WORK/dist/cli/main.js"

gen() { # rows -> path (cached)
  local f="$WORK/history-$1.csv"
  [ -s "$f" ] || (cd "$ROOT" && node --import tsx bench/import-history.ts "$1" "$f" >&2)
  echo "$f"
}
FILE=$(gen "$ROWS")
PGLITE_FILE=$(gen "$PGLITE_ROWS")

config() { # database -> config path
  local c="$WORK/leadhouse-$(echo "$1" | md5sum | cut -c1-8).yaml"
  printf 'database: %s\ntimezone: Europe/Madrid\nlogLevel: warn\nsources:\n  office_a: { kind: nocrm, apiKey: bench }\n' "$1" > "$c"
  echo "$c"
}

# run <name> <rows> <command…>: time it, keep stdout, append a JSON line
run() {
  local name=$1 rows=$2; shift 2
  local out="$WORK/$name.out" tf="$WORK/$name.time"
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  "$TIME" -f '%e %M' -o "$tf" "$@" > "$out"
  read -r wall rss_kb < <(tail -1 "$tf")
  local result; result=$(tail -1 "$out" | grep -E '^\{' || echo null)
  printf '{"run":"%s","rows":%s,"wall_s":%s,"rss_mb":%s,"load_before":%s,"result":%s}\n' \
    "$name" "$rows" "$wall" "$((rss_kb / 1024))" "$load" "$result" | tee -a "$RESULTS" >&2
}

COLS='lead_id text, action text, from_step text, to_step text, status text, amount text, "user" text, "timestamp" text, title text'
PGCFG=$(config "$PG/$DB_IMPORT")
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round/$ROUNDS" >&2
  fresh_db "$DB_COPY"
  psql "$PG/$DB_COPY" -qAtX -c "CREATE TABLE history ($COLS)"
  run "copy-$round" "$ROWS" psql "$PG/$DB_COPY" -qAtX -c "\\copy history FROM '$FILE' WITH (FORMAT csv, HEADER true)"
  psql_admin -c "DROP DATABASE $DB_COPY WITH (FORCE)"

  fresh_db "$DB_IMPORT"
  DATABASE_URL= node "$CLI" migrate --config "$PGCFG" > /dev/null
  run "import-$round" "$ROWS" env DATABASE_URL= node "$CLI" import office_a "$FILE" --json --config "$PGCFG"
  run "reimport-$round" "$ROWS" env DATABASE_URL= node "$CLI" import office_a "$FILE" --json --config "$PGCFG"
done
psql_admin -c "DROP DATABASE IF EXISTS $DB_IMPORT WITH (FORCE)"

echo "== PGlite" >&2
rm -rf "$WORK/pglite"
PGLCFG=$(config "$WORK/pglite")
DATABASE_URL= node "$CLI" migrate --config "$PGLCFG" > /dev/null
run "pglite-import" "$PGLITE_ROWS" env DATABASE_URL= node "$CLI" import office_a "$PGLITE_FILE" --json --config "$PGLCFG"
run "pglite-reimport" "$PGLITE_ROWS" env DATABASE_URL= node "$CLI" import office_a "$PGLITE_FILE" --json --config "$PGLCFG"
rm -rf "$WORK/pglite" "$WORK/pglite.lock"

node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const copy = rows.filter((r) => r.run.startsWith("copy-")).map((r) => r.wall_s);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
console.log("| run | rows | wall s | × \\copy (median) | peak RSS MB | load before | rows/s |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.run} | ${r.rows} | ${r.wall_s} | ${(r.wall_s / med(copy)).toFixed(1)} | ${r.rss_mb} | ${r.load_before} | ${Math.round(r.rows / r.wall_s)} |`);
' "$RESULTS"
