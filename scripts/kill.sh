#!/usr/bin/env bash
# Measures how hookd recovers from a fault mid-burst: two `hookd serve`
# processes on one fresh database, `hookd bench --retry-until-accepted`
# publishing EVENTS events in publishEvents batches (each with an
# idempotency key, resent until accepted) through the second process (both
# work the queue), and FAULT_AFTER seconds into the run, the fault:
#
#   FAULT=kill     (default) `kill -9` of the first process, on PostgreSQL at
#                  KILL_PG_URL (default the local server)
#   FAULT=pgcrash  PostgreSQL crash-restarted (pg_ctl restart --mode
#                  immediate) under both processes: a private cluster of its
#                  own under .data/crash-postgres
#
# The bench reports what it always does: delivered, lost, duplicates and the
# latency of the slowest delivery; the script prints how long after the
# fault (after the database was back, for pgcrash) the last delivery came.
#
#   EVENTS        events to publish (default 20000)
#   FAULT_AFTER   seconds from the first publish to the fault (default 2)
#   KEEP_DB       when set, the database (and the private cluster) are kept to look into
set -euo pipefail
cd "$(dirname "$0")/.."

FAULT=${FAULT:-kill}
EVENTS=${EVENTS:-20000}
FAULT_AFTER=${FAULT_AFTER:-${KILL_AFTER:-2}}
OUT=${KILL_OUT:-.data/kill}
CRASH_PG=.data/crash-postgres
mkdir -p "$OUT"
GO=${GO:-go}
"$GO" build -o bin/hookd ./cmd/hookd
"$GO" build -o bin/benchmarks_md ./scripts

case $FAULT in
kill) PG=${KILL_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable} ;;
pgcrash) PG=$(bin/benchmarks_md -postgres "$CRASH_PG" -port 54359) ;;
*) echo "FAULT must be kill or pgcrash" >&2; exit 2 ;;
esac

DB="hookd_kill_$(date -u +%Y%m%d_%H%M%S)"
psql "$PG" -X -qAt -c "CREATE DATABASE \"$DB\""
base=${PG%%\?*}
export HOOKD_DATABASE_URL=${base%/*}/$DB?sslmode=disable
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [[ -n ${KEEP_DB:-} ]]; then
		echo "kept database $DB on $PG"
		return
	fi
	psql "$PG" -X -qAt -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null || true
	[[ $FAULT == pgcrash ]] && bin/benchmarks_md -stop-postgres "$CRASH_PG" || true
}
trap cleanup EXIT

export HOOKD_ENCRYPTION_KEY=${HOOKD_ENCRYPTION_KEY:-$(bin/hookd keys generate)}
bin/hookd migrate >/dev/null
TOKEN=$(bin/hookd token create --admin --name "kill")
start() {
	HOOKD_LOG_FORMAT=json bin/hookd serve --dev --addr "127.0.0.1:$1" >"$OUT/server-$1.log" 2>&1 &
	pids+=($!)
	for ((i = 0; i < 300; i++)); do
		curl -fsS -o /dev/null "http://127.0.0.1:$1/readyz" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "hookd on port $1 is not ready" >&2
	exit 1
}
start 18091
victim=${pids[0]}
start 18092

bin/hookd bench --url http://127.0.0.1:18092 --token "$TOKEN" --events "$EVENTS" --retry-until-accepted --json >"$OUT/bench.json" 2>"$OUT/bench.err" &
bench=$!
sleep "$FAULT_AFTER"
case $FAULT in
kill)
	kill -9 "$victim"
	fault_end=$(date +%s.%N)
	echo "kill -9 of the first process at $(date -u +%H:%M:%S.%N)"
	;;
pgcrash)
	began=$(date +%s.%N)
	bin/benchmarks_md -crash-postgres "$CRASH_PG"
	fault_end=$(date +%s.%N)
	printf 'PostgreSQL crash-restarted: down for %.2f s\n' "$(echo "$fault_end - $began" | bc)"
	;;
esac
wait "$bench" || true
jq -c '{delivered, lost, duplicates, bad_signatures, publish_retries, delivered_per_s, latency_ms}' "$OUT/bench.json"
last_ms=$(jq -r '.last_delivery_unix_ms // 0' "$OUT/bench.json")
if [[ $last_ms != 0 ]]; then
	printf 'the last delivery came %.1f s after the fault ended\n' "$(echo "$last_ms / 1000 - $fault_end" | bc -l)"
fi
for port in 18091 18092; do grep -h "took over\|database does not answer\|answers again\|held while" "$OUT/server-$port.log" | head -3 || true; done
