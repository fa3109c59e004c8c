#!/usr/bin/env bash
# Webhook ingestion benchmark (issue 2): Leadhouse side by side with the seed's Flask service.
#
#   bench/webhooks.sh                       # 3 rounds × c=10,50 × reference / Leadhouse on PostgreSQL / on PGlite
#   ROUNDS=1 DURATION=5 bench/webhooks.sh   # a quick look
#
# Every measured run: wait until the machine is quiet, warm up WARMUP s (not counted), then
# DURATION s of unique signed noCRM webhooks over C keep-alive connections from our generator
# (bench/webhook-load.ts), then acked vs stored. Rounds alternate the servers at equal
# connections, so both are measured under the same conditions, and each round gives a ratio.
#   reference           the seed's Flask app under gunicorn (4 sync workers) on its private
#                       PostgreSQL 15 (127.0.0.1:5433, scram), both started with the scripts of
#                       ../shared/reference-bench (run, never copied); its tables are emptied first
#   leadhouse-postgres  `node dist/cli/main.js serve` on 127.0.0.1:5432, database leadhouse_bench
#                       dropped and created again for each run
#   leadhouse-pglite    the same on an embedded PGlite folder, new for each run
# CPU per request = CPU of the server's process tree + its PostgreSQL's (postmaster tree: forked
# per-connection backends count) during the measured part, / responses. The 5432 cluster is
# shared with other work: our own backends are also measured alone (cpu_also_s.pg_own), and a run
# where others used the machine or that cluster is repeated (up to RETRIES times, then kept as noisy).
# With KIT_CHECK=1 (default) the kit's own generator also runs once per server and connection count.
#
# Results: bench/results/webhooks-<UTC stamp>.jsonl (one line per run) and .meta.json; a Markdown
# summary (bench/summarize-webhooks.ts) is printed at the end and saved as .md beside them.
# Needs: PostgreSQL 15 on 5432 (trust for postgres), apt python3-flask python3-psycopg2 gunicorn,
# `npm ci` in the kit folder. Stops only what it started, by PID.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KIT=$(cd "${REFERENCE_BENCH:-$ROOT/../shared/reference-bench}" && pwd)
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-"10 50"}
SERVERS=${SERVERS:-"reference leadhouse-postgres leadhouse-pglite"}
KIT_CHECK=${KIT_CHECK:-1}
RETRIES=${RETRIES:-2}
QUIET_PCT=${QUIET_PCT:-15}          # "quiet": the machine below this % busy for 3 s …
QUIET_MAX=${QUIET_MAX:-300}         # … waiting at most this long
OTHER_MAX=${OTHER_MAX:-$(awk -v d="$DURATION" 'BEGIN { print d / 10 }')} # CPU-s others may use in a run (10 % of a core)
ACCOUNTS=ofice_a,ofice_b,ofice_c
API_KEY=bench-api-key
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
LH_DBNAME=leadhouse_bench
LH_DB=${PG_ADMIN%/*}/$LH_DBNAME
LH_PORT=${LH_PORT:-3100}
REF_PORT=18000
REF_DB=postgresql://ref:ref@127.0.0.1:${REFPG_PORT:-5433}/ref
export REF_PIDFILE=${REF_PIDFILE:-/tmp/leadhouse-bench-refapp.pid} REF_LOG=${REF_LOG:-/tmp/leadhouse-bench-refapp.log}

cd "$ROOT"
WORK=$(mktemp -d /tmp/leadhouse-bench.XXXXXX)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$HERE/results"
OUT="$HERE/results/webhooks-$STAMP.jsonl"
LOAD=(node --import tsx "$HERE/webhook-load.ts")
KITLOAD=(node "$KIT/webhook-load.mjs")
log() { echo "[webhooks $(date -u +%H:%M:%S)] $*" >&2; }

LH_PID=""
REF_STARTED=0
REFPG_STARTED=0
cleanup() {
  stop_leadhouse || true
  if [ "$REF_STARTED" = 1 ]; then "$KIT/reference/start-ref.sh" stop || true; fi
  if [ "$REFPG_STARTED" = 1 ] && [ "${KEEP_PG:-0}" != 1 ]; then "$KIT/reference/stop-pg.sh" >/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- the machine -----------------------------------------------------------------------------
busy_pct() { # % of all cores busy over $1 seconds
  local a b
  a=$(head -1 /proc/stat); sleep "$1"; b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = 0; idle = 0;
    for (i = 2; i <= 9; i++) { d = y[i] - x[i]; t += d; if (i == 5 || i == 6) idle += d }
    printf "%d", (t > 0 ? 100 * (t - idle) / t : 0) }'
}
wait_quiet() {
  local waited=0 pct
  while :; do
    pct=$(busy_pct 3); waited=$((waited + 3))
    [ "$pct" -lt "$QUIET_PCT" ] && { [ "$waited" -gt 3 ] && log "quiet after ${waited}s"; return 0; }
    [ "$waited" -ge "$QUIET_MAX" ] && { log "still ${pct}% busy after ${waited}s: measuring anyway"; return 0; }
  done
}
wait_http() { # URL, seconds
  for _ in $(seq 1 $(($2 * 10))); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  return 1
}

# --- the servers -----------------------------------------------------------------------------
PG5432_PID=$(head -1 "$(psql -X -tA "$PG_ADMIN" -c 'SHOW data_directory')/postmaster.pid")

start_leadhouse() { # database URL or folder
  cat >"$WORK/leadhouse.yaml" <<EOF
database: $1
port: $LH_PORT
host: 127.0.0.1
logLevel: warn
sources:
  ofice_a: { kind: nocrm, apiKey: $API_KEY }
  ofice_b: { kind: nocrm, apiKey: $API_KEY }
  ofice_c: { kind: nocrm, apiKey: $API_KEY }
EOF
  if curl -s -o /dev/null "http://127.0.0.1:$LH_PORT/"; then log "port $LH_PORT is taken"; exit 1; fi
  DATABASE_URL='' node "$ROOT/dist/cli/main.js" serve --config "$WORK/leadhouse.yaml" \
    >>"$WORK/leadhouse.log" 2>&1 </dev/null &
  LH_PID=$!
  wait_http "http://127.0.0.1:$LH_PORT/readyz" 60 || { tail -20 "$WORK/leadhouse.log" >&2; exit 1; }
}
stop_leadhouse() {
  [ -n "$LH_PID" ] || return 0
  kill -TERM "$LH_PID" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$LH_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$LH_PID" 2>/dev/null; then log "leadhouse $LH_PID did not stop; killing it"; kill -KILL "$LH_PID"; fi
  wait "$LH_PID" 2>/dev/null || true
  LH_PID=""
}
reset_reference() {
  local t="" a e
  for a in ofice_a ofice_b ofice_c; do
    for e in lead_created step_changed lead_deleted client_folder_created; do t+="${t:+, }${a}_$e"; done
  done
  psql -X -q "$REF_DB" -c "TRUNCATE $t"
}
# Our own backends and the cluster's background processes (not other databases' sessions).
pg_own_pids() {
  psql -X -tA "$LH_DB" -c "SELECT string_agg(pid::text, '+') FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND (datname = '$LH_DBNAME' OR backend_type IN
    ('checkpointer', 'background writer', 'walwriter', 'autovacuum launcher', 'logical replication launcher'))"
}

# --- one measured run ------------------------------------------------------------------------
# run SERVER CONNECTIONS ROUND TOOL(ours|kit)
run() {
  local server=$1 c=$2 round=$3 tool=$4 attempt line url cpu also metrics rows noisy
  for attempt in $(seq 1 $((RETRIES + 1))); do
    case $server in
      reference)
        reset_reference
        url=http://127.0.0.1:$REF_PORT; cpu="app=$REF_APP_PID,pg=$REFPG_PID"; also=""; metrics="" ;;
      leadhouse-postgres)
        stop_leadhouse
        psql -X -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $LH_DBNAME WITH (FORCE)" -c "CREATE DATABASE $LH_DBNAME"
        start_leadhouse "$LH_DB"
        url=http://127.0.0.1:$LH_PORT; cpu="app=$LH_PID,pg=$PG5432_PID"; metrics=$url/metrics ;;
      leadhouse-pglite)
        stop_leadhouse
        rm -rf "$WORK/pglite" "$WORK/pglite.lock"
        start_leadhouse "$WORK/pglite"
        url=http://127.0.0.1:$LH_PORT; cpu="app=$LH_PID"; also=""; metrics=$url/metrics ;;
    esac
    wait_quiet
    local label="$server c=$c round $round ($tool)"
    if [ "$tool" = kit ]; then
      "${KITLOAD[@]}" --url "$url" --duration "$WARMUP" --connections "$c" --account "$ACCOUNTS" \
        --api-key "$API_KEY" --label warmup >/dev/null
    else
      "${LOAD[@]}" --url "$url" --duration "$WARMUP" --connections "$c" --account "$ACCOUNTS" \
        --api-key "$API_KEY" --lead-id-base 900000 --seed 7 --label warmup >/dev/null
    fi
    sleep 1
    [ "$server" = leadhouse-postgres ] && also="pg_own=$(pg_own_pids)"
    if [ "$tool" = kit ]; then
      line=$("${KITLOAD[@]}" --url "$url" --duration "$DURATION" --connections "$c" --account "$ACCOUNTS" \
        --api-key "$API_KEY" --ids-out "$WORK/ids.tsv" --cpu-pids "$cpu" --label "$label")
    else
      line=$("${LOAD[@]}" --url "$url" --duration "$DURATION" --connections "$c" --account "$ACCOUNTS" \
        --api-key "$API_KEY" --ids-out "$WORK/ids.tsv" --cpu-pids "$cpu" ${also:+--cpu-also "$also"} \
        ${metrics:+--metrics-url "$metrics"} --label "$label")
    fi
    sleep 2 # anything still in flight on the server side settles
    read -r min max < <(node -e 'const r = JSON.parse(process.argv[1]).id_range; console.log(r[0], r[1])' "$line")
    case $server in
      reference) rows=$("$KIT/check-rows.sh" "$WORK/ids.tsv" "$min" "$max" "$REF_DB") ;;
      leadhouse-postgres)
        rows=$(node --import tsx "$HERE/check-stored.ts" --ids "$WORK/ids.tsv" --min "$min" --max "$max" --database "$LH_DB")
        stop_leadhouse ;;
      leadhouse-pglite)
        stop_leadhouse # PGlite is single-process: the check opens the folder after the server let go
        rows=$(node --import tsx "$HERE/check-stored.ts" --ids "$WORK/ids.tsv" --min "$min" --max "$max" --database "$WORK/pglite") ;;
    esac
    # Noisy: other processes used more than OTHER_MAX CPU-s, or (5432) other sessions of the shared cluster ran.
    noisy=$(node -e '
      const a = JSON.parse(process.argv[1]); const max = Number(process.argv[2]);
      const others = a.cpu_also_s ? a.cpu_s.pg - a.cpu_also_s.pg_own : 0;
      console.log(a.other_cpu_s > max || others > max / 2 ? "true" : "false")' "$line" "$OTHER_MAX")
    local last=false
    { [ "$noisy" = false ] || [ "$attempt" -gt "$RETRIES" ]; } && last=true
    node -e '
      const [line, rows, server, tool, round, attempt, noisy, last] = process.argv.slice(1);
      const a = JSON.parse(line);
      Object.assign(a, { server, tool, round: +round, attempt: +attempt, noisy: noisy === "true",
        superseded: last !== "true", rows_check: JSON.parse(rows) });
      console.log(JSON.stringify(a));' "$line" "$rows" "$server" "$tool" "$round" "$attempt" "$noisy" "$last" >>"$OUT"
    node -e '
      const a = JSON.parse(process.argv[1]); const k = JSON.parse(process.argv[2]);
      console.error(`  ${process.argv[3]}: ${a.requests_per_s} req/s, p50 ${a.latency_ms.p50} p99 ${a.latency_ms.p99} ms, ` +
        `CPU ${a.server_cpu_ms_per_req} ms/req, others ${a.other_cpu_s} CPU-s; 2xx ${k.answered_2xx}, stored ${k.ok}, lost ${k.lost}` +
        (process.argv[4] === "true" ? "  [busy machine]" : ""))' "$line" "$rows" "$label" "$noisy"
    [ "$last" = true ] && return 0
    log "others used the machine during that run: again"
  done
}

# --- go --------------------------------------------------------------------------------------
[ "${SKIP_BUILD:-0}" = 1 ] || npm run -s build
if [[ " $SERVERS " == *" reference "* ]]; then
  refpid_file=${REFPG_DIR:-/tmp/refpg}/postmaster.pid
  if ! { [ -s "$refpid_file" ] && kill -0 "$(head -1 "$refpid_file")" 2>/dev/null; }; then REFPG_STARTED=1; fi
  "$KIT/reference/start-pg.sh" >/dev/null
  REFPG_PID=$(head -1 "${REFPG_DIR:-/tmp/refpg}/postmaster.pid")
  REF_APP_PID=$("$KIT/reference/start-ref.sh" gunicorn)
  REF_STARTED=1
fi

export DURATION WARMUP ROUNDS CONNS SERVERS
node -e '
  const os = require("node:os"), fs = require("node:fs");
  const [commit, dirty, pg, refpg, gunicorn, out] = process.argv.slice(1);
  const m = { stamp: out, nproc: os.availableParallelism(), cpu_model: os.cpus()[0]?.model,
    ram_gib: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, kernel: os.release(),
    postgres_5432: pg, postgres_reference: refpg, gunicorn, commit, src_dirty_files: +dirty,
    duration_s: +process.env.DURATION, warmup_s: +process.env.WARMUP, rounds: +process.env.ROUNDS,
    connections: process.env.CONNS, servers: process.env.SERVERS };
  fs.writeFileSync(out.replace(/\.jsonl$/, ".meta.json"), JSON.stringify(m, null, 2) + "\n");
  console.error(JSON.stringify(m));' \
  "$(git rev-parse --short HEAD)" "$(git status --porcelain -- src | wc -l)" \
  "$(psql -X -tA "$PG_ADMIN" -c 'SHOW server_version')" \
  "$( [ -n "${REFPG_PID:-}" ] && psql -X -tA "$REF_DB" -c 'SHOW server_version' || echo -)" \
  "$(/usr/bin/gunicorn --version 2>/dev/null || echo -)" "$OUT"

log "results -> $OUT"
for round in $(seq 1 "$ROUNDS"); do
  for c in $CONNS; do
    for server in $SERVERS; do
      log "round $round: $server c=$c"
      run "$server" "$c" "$round" ours
    done
  done
done
if [ "$KIT_CHECK" = 1 ]; then
  for c in $CONNS; do
    for server in $SERVERS; do
      [ "$server" = leadhouse-pglite ] && continue
      log "cross-check with the kit's generator: $server c=$c"
      run "$server" "$c" 1 kit
    done
  done
fi

node --import tsx "$HERE/summarize-webhooks.ts" "$OUT" | tee "${OUT%.jsonl}.md"
log "done: $OUT"
