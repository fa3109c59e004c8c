#!/usr/bin/env bash
# Metrics benchmark (issue 4): the manager dashboard's set of metric calls at 1M leads.
#
#   bench/metrics-dashboard.sh                        # LEADS=1000000 on PostgreSQL, then PGlite
#   LEADS=200000 PGLITE_LEADS=100000 bench/metrics-dashboard.sh   # a quick look
#   DRIVERS=postgres bench/metrics-dashboard.sh       # one driver only (postgres | pglite)
#
# 1. Builds Leadhouse into $WORK/dist (not the shared dist/).
# 2. PostgreSQL (127.0.0.1:5432, user postgres, trust; stock configuration): database
#    leadhouse_bench_metrics, generated with `leadhouse demo --generate $LEADS` unless it already
#    holds exactly $LEADS leads (re-runs skip the ~10 minutes of generation; FRESH=1 forces it).
#    PGlite: $WORK/pglite-$PGLITE_LEADS, likewise; the generation is given PGLITE_LIMIT seconds
#    (default 3600); if it does not finish, PGlite is skipped (leads enter in time order, so a
#    partial load lacks the recent months). An existing folder is reused (FRESH=1 to generate again).
# 3. Waits until the machine is quiet (1-minute load < QUIET_LOAD, default 0.3; at most
#    QUIET_WAIT seconds), starts `leadhouse serve`, and runs bench/metrics-dashboard.ts for the
#    first office (office_a) and for all offices: ITERATIONS sets (default 200; ITERATIONS_ALL for
#    all offices, default the same) after WARMUP (20).
# Output: $WORK/results.jsonl (one line per run), $WORK/dataset-<driver>.json and Markdown on stdout.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
LEADS=${LEADS:-1000000}
PGLITE_LEADS=${PGLITE_LEADS:-$LEADS}
PGLITE_LIMIT=${PGLITE_LIMIT:-3600}
DRIVERS=${DRIVERS:-postgres pglite}
ITERATIONS=${ITERATIONS:-200}
ITERATIONS_ALL=${ITERATIONS_ALL:-$ITERATIONS}
WARMUP=${WARMUP:-20}
QUIET_LOAD=${QUIET_LOAD:-0.3}
QUIET_WAIT=${QUIET_WAIT:-600}
PORT=${PORT:-3300}
WORK=${WORK:-/tmp/leadhouse-bench-metrics}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB=leadhouse_bench_metrics
TOKEN=bench-metrics-token-0123456789
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (apt-get install -y time)" >&2; exit 1; }
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== build into $WORK/dist" >&2
  (cd "$ROOT" && npx tsc -p tsconfig.build.json --outDir "$WORK/dist") || echo "tsc reported errors (output emitted anyway)" >&2
  cp -r "$ROOT/src/store/migrations" "$WORK/dist/store/"
  ln -sfn "$ROOT/node_modules" "$WORK/node_modules"
  ln -sfn "$ROOT/package.json" "$WORK/package.json"
fi
CLI="$WORK/dist/cli/main.js"

config() { # database -> config path
  local c="$WORK/leadhouse-$(echo "$1" | md5sum | cut -c1-8).yaml"
  cat > "$c" <<EOF
database: $1
timezone: Europe/Madrid
logLevel: warn
apiToken: $TOKEN
sources:
  office_a: { kind: nocrm, apiKey: demo-key-office-a }
  office_b: { kind: nocrm, apiKey: demo-key-office-b }
  office_c: { kind: nocrm, apiKey: demo-key-office-c }
EOF
  echo "$c"
}

# sql <database> <query>: one value (PostgreSQL through psql, PGlite through a tiny node script)
sql() {
  if [[ $1 == postgres://* ]]; then psql "$1" -qAtX -c "$2"
  else (cd "$ROOT" && node --import tsx --input-type=module -e '
    const { openPglite } = await import("./src/store/pglite.ts");
    const db = await openPglite({ dir: process.argv[1] });
    if (!db.ok) { console.error(db.error); process.exit(1); }
    const r = await db.value.query(process.argv[2]);
    console.log(Object.values(r.rows[0] ?? {}).join("|"));
    await db.value.close();' "$1" "$2"); fi
}
leads_in() { sql "$1" "SELECT count(*) FROM leadhouse.leads" 2>/dev/null || echo 0; }

generate() { # driver database leads limit-seconds
  local driver=$1 database=$2 leads=$3 limit=$4
  echo "== generate $leads leads ($driver)" >&2
  local t0; t0=$(date +%s.%N)
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local rc=0
  DATABASE_URL= timeout "$limit" "$TIME" -f '%e %M' -o "$WORK/gen-$driver.time" \
    node "$CLI" demo --generate "$leads" --database "$database" > "$WORK/gen-$driver.out" 2> >(tee "$WORK/gen-$driver.err" >&2) || rc=$?
  local t1; t1=$(date +%s.%N)
  printf '{"driver":"%s","requested":%s,"rc":%s,"seconds":%.1f,"load_before":%s}\n' \
    "$driver" "$leads" "$rc" "$(echo "$t1 - $t0" | bc)" "$load" > "$WORK/gen-$driver.json"
  # leads enter in index order, so a cut generation lacks the recent months the dashboard reads
  [ "$rc" = 0 ] || { echo "generation stopped (rc $rc): no benchmark on a partial data set" >&2; return 1; }
}

dataset() { # driver database -> $WORK/dataset-<driver>.json
  local q="SELECT json_build_object(
    'leads', (SELECT count(*) FROM leadhouse.leads),
    'events', (SELECT count(*) FROM leadhouse.events),
    'stage_changes', (SELECT count(*) FROM leadhouse.stage_changes),
    'owners', (SELECT count(*) FROM leadhouse.owners),
    'goals', (SELECT count(*) FROM leadhouse.goals),
    'won', (SELECT count(*) FROM leadhouse.leads WHERE status = 'won'),
    'deleted', (SELECT count(*) FROM leadhouse.leads WHERE deleted_at IS NOT NULL),
    'first', (SELECT min(created_at) FROM leadhouse.leads),
    'last', (SELECT max(updated_at) FROM leadhouse.leads),
    'db_mb', pg_database_size(current_database()) / 1048576,
    'events_mb', pg_total_relation_size('leadhouse.events') / 1048576,
    'leads_mb', pg_total_relation_size('leadhouse.leads') / 1048576,
    'stage_changes_mb', pg_total_relation_size('leadhouse.stage_changes') / 1048576)"
  sql "$2" "$q" | tee "$WORK/dataset-$1.json" >&2
}

quiet() {
  local waited=0
  while awk -v q="$QUIET_LOAD" '{ exit !($1 >= q) }' /proc/loadavg && [ "$waited" -lt "$QUIET_WAIT" ]; do
    sleep 10; waited=$((waited + 10))
  done
  echo "load $(cut -d' ' -f1-3 /proc/loadavg) after waiting ${waited}s" >&2
}

bench() { # driver database
  local driver=$1 database=$2 cfg; cfg=$(config "$database")
  DATABASE_URL= node "$CLI" serve --config "$cfg" --port "$PORT" --host 127.0.0.1 > "$WORK/serve-$driver.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 1; done
  quiet
  for src in office_a ''; do
    local n=$ITERATIONS; [ -n "$src" ] || n=$ITERATIONS_ALL
    (cd "$ROOT" && node --import tsx bench/metrics-dashboard.ts --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
      --source "$src" --iterations "$n" --warmup "$WARMUP" --label "$driver-${src:-all}" --out "$RESULTS")
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for driver in $DRIVERS; do
  if [ "$driver" = postgres ]; then
    database="$PG/$DB"; want=$LEADS
    have=$(psql "$PG/postgres" -qAtX -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")
    if [ -n "${FRESH:-}" ] || [ -z "$have" ] || [ "$(leads_in "$database")" != "$want" ]; then
      psql "$PG/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
      generate postgres "$database" "$want" 86400
    fi
  else
    database="$WORK/pglite-$PGLITE_LEADS"; want=$PGLITE_LEADS
    # a folder from an earlier (possibly time-limited) generation is reused as it is
    if [ -n "${FRESH:-}" ] || [ ! -d "$database" ]; then
      rm -rf "$database" "$database.lock"
      generate pglite "$database" "$want" "$PGLITE_LIMIT" || { rm -rf "$database"; continue; }
    fi
  fi
  dataset "$driver" "$database"
  bench "$driver" "$database"
done
