#!/usr/bin/env bash
# bench.sh runs hookd's standard load scenarios against a fresh database and
# writes the results into BENCHMARKS.md (`make bench`).
#
# It builds bin/hookd, starts (or reuses) a private PostgreSQL cluster of its
# own under .data/bench-postgres from the installed binaries (on a free port
# from 54339, with pg_stat_statements preloaded and tracking nested
# statements, durability settings left at PostgreSQL's defaults) unless
# HOOKD_DATABASE_URL names another server, creates the database
# hookd_bench_<timestamp>, migrates it, makes an instance admin token, serves
# hookd on a free loopback port, runs each scenario with `hookd bench --json`
# (which also measures the CPU time of hookd, PostgreSQL and itself, and the
# statements PostgreSQL runs, per delivery), stops the server, measures
# River's own no-op ceiling with `hookd bench river` in a fresh database of
# its own for each River driver, drops the databases, stops the private
# cluster and renders BENCHMARKS.md with scripts/benchmarks_md.go. Raw results
# stay in .data/bench/.
#
# Knobs (environment):
#   SCENARIOS      which scenarios to run, in this order, space separated
#                  (default: throughput latency fanout isolation feed soak)
#   SOAK           duration of the soak scenario (default 10m)
#   HOOKD_WORKERS  deliveries hookd sends at once (default 200); any other
#                  HOOKD_* variable is passed to the server and recorded too
#   HOOKD_DATABASE_URL  use this URL's server instead of the private cluster;
#                  its CPU time is measured only when its data directory
#                  (SHOW data_directory) is readable here, and its statements
#                  only when it preloads pg_stat_statements and the URL is a
#                  superuser's
#   BENCH_POSTGRES_PORT  first port tried for the private cluster (default 54339)
#   RIVER_JOBS     jobs of River's no-op ceiling (default 20000; 0 skips it)
#   RIVER_DRIVERS  River drivers the ceiling runs with (default: databasesql pgxv5)
#   SERVER_BIN     the hookd binary that migrates and serves (default the
#                  freshly built bin/hookd); for A/B runs of another build,
#                  measured by this build's bench client
#   BENCH_OUT      where raw results go (default .data/bench)
#   BENCHMARKS_MD  the file the results are written into (default
#                  BENCHMARKS.md; "-" writes none)
#   GO             the go command (default go)
set -euo pipefail

cd "$(dirname "$0")/.."

ALL_SCENARIOS="throughput latency fanout isolation feed soak"
SCENARIOS=${SCENARIOS:-$ALL_SCENARIOS}
SOAK=${SOAK:-10m}
GO=${GO:-go}
export HOOKD_WORKERS=${HOOKD_WORKERS:-200}
BENCH_POSTGRES_PORT=${BENCH_POSTGRES_PORT:-54339}
RIVER_JOBS=${RIVER_JOBS:-20000}
RIVER_DRIVERS=${RIVER_DRIVERS:-databasesql pgxv5}

OUT=${BENCH_OUT:-.data/bench}
SERVER_BIN=${SERVER_BIN:-bin/hookd}
BENCHMARKS_MD=${BENCHMARKS_MD:-BENCHMARKS.md}
BENCH_PG=.data/bench-postgres # the private cluster's data directory
SETTLE_TIMEOUT=120 # seconds to wait for the previous scenario's leftover deliveries
RSS_EVERY=5        # seconds between RSS samples during the soak

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for s in $SCENARIOS; do
	case " $ALL_SCENARIOS " in
	*" $s "*) ;;
	*) die "unknown scenario '$s' in SCENARIOS (choose from: $ALL_SCENARIOS)" ;;
	esac
done

# psql may live only in PostgreSQL's versioned directory.
if ! command -v psql >/dev/null; then
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		PATH="$PATH:$d"
	done
	command -v psql >/dev/null || die "psql not found: install PostgreSQL's client programs"
fi

mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.cmd "$OUT"/*.err "$OUT"/soak-rss.tsv "$OUT"/meta.txt "$OUT"/server.log

log "building bin/hookd and bin/benchmarks_md"
"$GO" build -o bin/hookd ./cmd/hookd
"$GO" build -o bin/benchmarks_md ./scripts

# --- PostgreSQL ---------------------------------------------------------------

PG_DATA_DIR=""   # the server's data directory, when its processes can be found
PG_STARTED=""    # the private cluster was started (or reused) by this run

# with_database URL NAME prints URL with its database replaced by NAME.
with_database() {
	local re='^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$'
	[[ $1 =~ $re ]] || die "cannot parse the database URL (expected postgres://…)"
	local query=${BASH_REMATCH[4]}
	query=$(sed -E 's/([?&])dbname=[^&]*&?/\1/; s/[?&]$//' <<<"$query")
	printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$2" "$query"
}

sql() { psql "$SERVER_URL" -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }

SERVER_PID=""
RSS_PID=""
BENCH_PID=""
DB_CREATED=""
RIVER_DB="" # the River ceiling's database, while it exists

stop_server() {
	if [[ -n "$BENCH_PID" ]]; then
		kill -TERM "$BENCH_PID" 2>/dev/null || true
		wait "$BENCH_PID" 2>/dev/null || true
		BENCH_PID=""
	fi
	if [[ -n "$RSS_PID" ]]; then
		kill "$RSS_PID" 2>/dev/null || true
		wait "$RSS_PID" 2>/dev/null || true
		RSS_PID=""
	fi
	if [[ -n "$SERVER_PID" ]]; then
		log "stopping hookd (pid $SERVER_PID)"
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		local i
		for ((i = 0; i < 60; i++)); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 1
		done
		if kill -0 "$SERVER_PID" 2>/dev/null; then
			log "hookd did not stop within 60 s: killing it"
			kill -KILL "$SERVER_PID" 2>/dev/null || true
		fi
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
	fi
}

drop_database() {
	if [[ -n "$DB_CREATED" ]]; then
		log "dropping database $DB_NAME"
		sql "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" || log "could not drop database $DB_NAME"
		DB_CREATED=""
	fi
}

drop_river_database() {
	if [[ -n "$RIVER_DB" ]]; then
		sql "DROP DATABASE IF EXISTS \"$RIVER_DB\" WITH (FORCE)" || log "could not drop database $RIVER_DB"
		RIVER_DB=""
	fi
}

stop_postgres() {
	if [[ -n "$PG_STARTED" ]]; then
		log "stopping the private cluster under $BENCH_PG"
		bin/benchmarks_md -stop-postgres "$BENCH_PG" || log "could not stop the private cluster under $BENCH_PG"
		PG_STARTED=""
	fi
}

cleanup() {
	stop_server
	drop_river_database
	drop_database
	stop_postgres
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

if [[ -n "${HOOKD_DATABASE_URL:-}" ]]; then
	SERVER_URL=$HOOKD_DATABASE_URL
	SERVER_KIND="HOOKD_DATABASE_URL"
else
	log "starting (or reusing) the private cluster under $BENCH_PG"
	PG_STARTED=1
	SERVER_URL=$(bin/benchmarks_md -postgres "$BENCH_PG" -port "$BENCH_POSTGRES_PORT" -stat-statements)
	PG_DATA_DIR=$(realpath "$BENCH_PG")
	SERVER_KIND="private cluster under $BENCH_PG"
fi

DB_NAME="hookd_bench_$(date -u +%Y%m%d_%H%M%S)"
DB_URL=$(with_database "$SERVER_URL" "$DB_NAME")

if [[ -z "$PG_DATA_DIR" ]]; then
	dir=$(sql 'SHOW data_directory' 2>/dev/null || true)
	if [[ -n "$dir" && -r "$dir/postmaster.pid" ]]; then
		PG_DATA_DIR=$dir
	else
		log "PostgreSQL's processes are not found here (data directory '${dir:-not readable}'): its CPU time is not measured"
	fi
fi

log "creating database $DB_NAME ($SERVER_KIND)"
sql "CREATE DATABASE \"$DB_NAME\""
DB_CREATED=1
export HOOKD_DATABASE_URL=$DB_URL
# The bench's database is thrown away: a fresh key each run.
export HOOKD_ENCRYPTION_KEY=${HOOKD_ENCRYPTION_KEY:-$("$SERVER_BIN" keys generate)}

"$SERVER_BIN" migrate >/dev/null
TOKEN=$("$SERVER_BIN" token create --admin --name "make bench")

# --- machine and settings -------------------------------------------------------

hookd_settings() {
	env | grep '^HOOKD_' | grep -v '^HOOKD_DATABASE_URL=\|^HOOKD_ENCRYPTION_KEY=' | sort | tr '\n' ' ' | sed 's/ $//'
}

dirty=""
if [[ -n "$(git status --porcelain -- . ':!BENCHMARKS.md' 2>/dev/null)" ]]; then
	dirty="yes"
fi

{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "server_bin=$SERVER_BIN"
	echo "dirty=$dirty"
	echo "nproc=$(nproc)"
	echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
	echo "memory_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
	echo "kernel=$(uname -sr)"
	echo "go=$("$GO" env GOVERSION)"
	echo "postgres=$(sql 'SHOW server_version')"
	echo "postgres_server=$SERVER_KIND"
	echo "synchronous_commit=$(sql 'SHOW synchronous_commit')"
	echo "fsync=$(sql 'SHOW fsync')"
	echo "shared_buffers=$(sql 'SHOW shared_buffers')"
	echo "max_connections=$(sql 'SHOW max_connections')"
	echo "shared_preload_libraries=$(sql 'SHOW shared_preload_libraries' 2>/dev/null || true)"
	echo "pg_stat_statements_track=$(sql 'SHOW pg_stat_statements.track' 2>/dev/null || true)"
	echo "postgres_cpu=$([[ -n "$PG_DATA_DIR" ]] && echo measured || echo "not measured")"
	echo "river_jobs=$RIVER_JOBS"
	echo "river_drivers=$RIVER_DRIVERS"
	echo "settings=$(hookd_settings)"
	echo "scenarios=$SCENARIOS"
	echo "soak=$SOAK"
} >"$OUT/meta.txt"

# --- the server ------------------------------------------------------------------

log "starting hookd ($(hookd_settings))"
HOOKD_LOG_FORMAT=json "$SERVER_BIN" serve --dev --addr 127.0.0.1:0 >"$OUT/server.log" 2>&1 &
SERVER_PID=$!

ADDR=""
for ((i = 0; i < 300; i++)); do
	kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$OUT/server.log" >&2; SERVER_PID=""; die "hookd exited"; }
	ADDR=$(sed -n 's/.*"msg":"hookd listening".*"addr":"\([^"]*\)".*/\1/p' "$OUT/server.log" | head -n 1)
	[[ -n "$ADDR" ]] && break
	sleep 0.1
done
[[ -n "$ADDR" ]] || die "hookd did not report its address within 30 s (see $OUT/server.log)"
URL="http://$ADDR"

for ((i = 0; i < 300; i++)); do
	curl -fsS -o /dev/null "$URL/readyz" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "$URL/readyz" || die "hookd at $URL is not ready after 30 s (see $OUT/server.log)"
log "hookd is ready at $URL"

# --- scenarios -------------------------------------------------------------------

# settle waits until no delivery is left in the queue, so that one scenario's
# leftovers (the slow webhook's held requests, say) do not load the next.
settle() {
	local i n
	for ((i = 0; i < SETTLE_TIMEOUT; i++)); do
		n=$(psql "$DB_URL" -X -qAt -c "SELECT count(*) FROM river_job WHERE kind = 'hookd.delivery'
			AND state IN ('available', 'running', 'retryable', 'scheduled', 'pending')" 2>/dev/null || echo "?")
		[[ "$n" == 0 ]] && return 0
		sleep 1
	done
	log "warning: $n deliveries still queued after ${SETTLE_TIMEOUT} s; going on"
}

FAILED=0

# What `hookd bench` and `hookd bench river` measure cost with.
COST_ARGS=(--postgres-url "$DB_URL")
[[ -n "$PG_DATA_DIR" ]] && COST_ARGS+=(--postgres-data-dir "$PG_DATA_DIR")

# run NAME ARGS... runs one `hookd bench` and keeps its report in $OUT/NAME.json.
run() {
	local name=$1
	shift
	settle
	log "$name: hookd bench $*"
	printf '%s\n' "$*" >"$OUT/$name.cmd"
	# In the background, so that an interrupt runs the trap at once.
	bin/hookd bench --url "$URL" --token "$TOKEN" "${COST_ARGS[@]}" --json "$@" >"$OUT/$name.json" 2>"$OUT/$name.err" &
	BENCH_PID=$!
	local rc=0
	wait "$BENCH_PID" || rc=$?
	BENCH_PID=""
	if [[ $rc == 0 ]]; then
		rm -f "$OUT/$name.err"
		log "$name: $(cat "$OUT/$name.json")"
	else
		FAILED=1
		rm -f "$OUT/$name.json"
		log "$name: failed: $(tail -n 5 "$OUT/$name.err")"
	fi
}

# sample_rss writes "<seconds since start><TAB><VmRSS in kB>" every RSS_EVERY
# seconds until killed.
sample_rss() {
	local start=$SECONDS rss
	while :; do
		rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null) || break
		[[ -n "$rss" ]] || break
		printf '%d\t%s\n' $((SECONDS - start)) "$rss"
		sleep "$RSS_EVERY"
	done
}

for s in $SCENARIOS; do
	case $s in
	throughput) run throughput --events 20000 ;;
	latency) run latency --rate 500 --duration 30s ;;
	fanout) run fanout --webhooks 100 --fanout 100 --rate 5 --duration 10s ;;
	isolation)
		run isolation-base --webhooks 10 --events 10000
		run isolation-slow --webhooks 10 --slow-webhooks 1 --events 10000
		;;
	feed) run feed --rate 500 --duration 20s --subscribers 100 ;;
	soak)
		settle
		sample_rss >"$OUT/soak-rss.tsv" &
		RSS_PID=$!
		run soak --rate 1000 --duration "$SOAK"
		kill "$RSS_PID" 2>/dev/null || true
		wait "$RSS_PID" 2>/dev/null || true
		RSS_PID=""
		;;
	esac
done

stop_server

# --- River's no-op ceiling ----------------------------------------------------------

# river DRIVER measures River alone, with hookd stopped, in a fresh database of
# its own, and keeps its report in $OUT/river-DRIVER.json.
river() {
	local driver=$1 name="river-$1" args
	RIVER_DB="${DB_NAME}_river"
	sql "CREATE DATABASE \"$RIVER_DB\""
	args=(--driver "$driver" --workers "$HOOKD_WORKERS" --jobs "$RIVER_JOBS")
	log "$name: hookd bench river ${args[*]}"
	printf '%s\n' "${args[*]}" >"$OUT/$name.cmd"
	local url
	url=$(with_database "$SERVER_URL" "$RIVER_DB")
	local cost=()
	[[ -n "$PG_DATA_DIR" ]] && cost=(--postgres-data-dir "$PG_DATA_DIR")
	bin/hookd bench river --database-url "$url" "${cost[@]}" --json "${args[@]}" >"$OUT/$name.json" 2>"$OUT/$name.err" &
	BENCH_PID=$!
	local rc=0
	wait "$BENCH_PID" || rc=$?
	BENCH_PID=""
	if [[ $rc == 0 ]]; then
		rm -f "$OUT/$name.err"
		log "$name: $(cat "$OUT/$name.json")"
	else
		FAILED=1
		rm -f "$OUT/$name.json"
		log "$name: failed: $(tail -n 5 "$OUT/$name.err")"
	fi
	drop_river_database
}

if ((RIVER_JOBS > 0)); then
	for driver in $RIVER_DRIVERS; do
		river "$driver"
	done
fi

drop_database
stop_postgres

if [[ $BENCHMARKS_MD != - ]]; then
	log "writing $BENCHMARKS_MD"
	bin/benchmarks_md -dir "$OUT" -out "$BENCHMARKS_MD"
fi
[[ $FAILED == 0 ]] || die "some scenarios failed: see $OUT/*.err"
log "done: $OUT"
