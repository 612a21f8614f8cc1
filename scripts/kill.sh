#!/usr/bin/env bash
# Measures how hookd recovers from a process killed mid-burst: two
# `hookd serve` processes on one fresh database (PostgreSQL at
# KILL_PG_URL, default the local server), `hookd bench` publishing EVENTS
# events in publishEvents batches through the second process (both work the
# queue), and `kill -9` of the first one KILL_AFTER into the run. The bench
# reports what it always does: delivered, lost, duplicates and the latency
# of the slowest delivery, the time its event waited for the survivor.
#
#   KILL_PG_URL   PostgreSQL superuser URL (default postgres://postgres@127.0.0.1:5432/postgres)
#   EVENTS        events to publish (default 20000)
#   KILL_AFTER    seconds from the first publish to the kill (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

PG=${KILL_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
EVENTS=${EVENTS:-20000}
KILL_AFTER=${KILL_AFTER:-2}
OUT=${KILL_OUT:-.data/kill}
mkdir -p "$OUT"
GO=${GO:-go}
"$GO" build -o bin/hookd ./cmd/hookd

DB="hookd_kill_$(date -u +%Y%m%d_%H%M%S)"
psql "$PG" -X -qAt -c "CREATE DATABASE \"$DB\""
export HOOKD_DATABASE_URL=${PG%/*}/$DB?sslmode=disable
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	psql "$PG" -X -qAt -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null || true
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

bin/hookd bench --url http://127.0.0.1:18092 --token "$TOKEN" --events "$EVENTS" --json >"$OUT/bench.json" 2>"$OUT/bench.err" &
bench=$!
sleep "$KILL_AFTER"
kill -9 "$victim"
killed=$(date +%s.%N)
echo "kill -9 of the first process at $(date -u +%H:%M:%S.%N)"
wait "$bench" || true
done_at=$(date +%s.%N)
jq -c '{delivered, lost, duplicates, bad_signatures, delivered_per_s, latency_ms}' "$OUT/bench.json"
printf 'the bench ended %.1f s after the kill\n' "$(echo "$done_at - $killed" | bc)"
grep -h "took over" "$OUT"/server-18092.log | head -3 || true
