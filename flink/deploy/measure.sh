#!/usr/bin/env bash
# The Flink figures of docs/flink.md and the README, measured on the cluster the deployment test uses (one
# JobManager, one TaskManager with 4 slots, all on 127.0.0.1; see cluster.sh), with the example job at
# parallelism 1, unthrottled, printing nothing (--output none):
#   restore   throughput before a SIGKILL of the TaskManager and after each of two restores onto a fresh
#             TaskManager, per flavour (simd, scalar; `restore FLAVOUR [JAR]` measures another job jar);
#   backends  throughput on the heap and on RocksDB, interleaved heap, RocksDB, heap, RocksDB.
# Throughput is the Unroll operator's records per second, the median of 5 windows of 10 s after a 30 s
# warm-up (after a restore, the warm-up is printed in windows of 5 s), from Flink's own counters (REST):
# records over the task's own accounted time (busy + idle + back-pressured), so that the moments Flink
# publishes its counters at do not matter; with the operator's busy fraction (under 1: the source, not the
# layer, set the pace). Usage: flink/deploy/measure.sh [restore FLAVOUR [JAR] | backends]... (default:
# restore simd, restore scalar, backends: about 15 minutes). Run after mvn -B install -DskipTests; every
# process it starts is stopped by its PID.
set -euo pipefail

name="measure"
work="$(cd "$(dirname "$0")/../.." && pwd)/flink/target/flink-measure"
# shellcheck source=cluster.sh
. "$(dirname "$0")/cluster.sh"
echo 'metrics.fetcher.update-interval: 500' >> "$work/conf/config.yaml"

warm_up=30
window=10
windows=5

unroll_vertex() { rest "/jobs/$1" | grep -o '"id":"[0-9a-f]*","slotSharingGroupId":"[0-9a-f]*","name":"Unroll: [A-Z]' | sed 's/^"id":"\([0-9a-f]*\)".*/\1/'; }
sample() { # sample JOB: "attempt records busy-ms accounted-ms" of the Unroll operator's (only) subtask
  local s v
  v="$(unroll_vertex "$1")"
  rest "/jobs/$1/vertices/$v/subtasks/metrics?get=numRecordsIn" >/dev/null # makes the JobManager fetch the counters anew
  sleep 1
  s="$(rest "/jobs/$1/vertices/$v")"
  s="${s#*\"subtasks\":}"
  for key in attempt read-records accumulated-busy-time accumulated-idle-time accumulated-backpressured-time; do
    echo "$s" | grep -o "\"$key\":[0-9]*" | head -n 1 | cut -d: -f2
  done | tr '\n' ' ' | awk '{ print $1, $2, $3, $3 + $4 + $5 }'
}
has_counters() { [[ "$(sample "$1" | cut -d' ' -f2)" -gt 0 ]]; }
window() { # window JOB SECONDS: "records/s busy" over about SECONDS of the task's own time (same attempt), or "-" when it restarted
  local a b
  a="$(sample "$1")"
  sleep "$2"
  b="$(sample "$1")"
  # the same attempt, and Flink's counters moved on by 2 s at least (they are published every few seconds, later under load)
  echo "$a $b" | awk '{ if ($1 == $5 && $8 - $4 >= 2000) printf "%.0f %.2f\n", 1000 * ($6 - $2) / ($8 - $4), ($7 - $3) / ($8 - $4); else print "-" }'
}
steady() { # steady JOB LABEL: $windows windows of $window s; prints each, returns (stdout) their median records/s
  local i w rates=()
  for i in $(seq 1 "$windows"); do
    w="$(window "$1" "$window")"
    [[ "$w" != - ]] || w="$(window "$1" "$window")" # counters not published in time: once more
    [[ "$w" != - ]] || fail "job $1 restarted, or published no counters, while measured: $(sample "$1")"
    echo "$w" | awk -v l="$2" -v i="$i" '{ printf "  %-44s %9.0f records/s, operator busy %.2f\n", l " window " i, $1, $2 }' >&2
    rates+=("${w%% *}")
  done
  printf '%s\n' "${rates[@]}" | sort -n | sed -n "$(( (windows + 1) / 2 ))p"
}
job_running_with_counters() { job_is "$1" RUNNING && has_counters "$1"; }

start jobmanager jobmanager
wait_for 90 "JobManager REST endpoint" rest /overview
tm=0
new_taskmanager() {
  tm=$((tm + 1))
  start taskmanager "taskmanager-$tm"
  wait_for 90 "registered TaskManager $tm" grep -q "Successful registration at resource manager" "$work/log/taskmanager-$tm.log"
}

restore() { # restore FLAVOUR [JAR]
  local flavour="$1" j="${2:-$jar}" job before after k t
  say "restore, $flavour flavour ($(basename "$j")): $warm_up s warm-up, then the median of $windows windows of $window s"
  new_taskmanager
  job="$(submit -p 1 "$j" --events 2000000000 --rate 0 --output none --checkpoint-interval 2000 --flavour "$flavour")"
  wait_for 60 "running job" job_running_with_counters "$job"
  sleep "$warm_up"
  before="$(steady "$job" "before")"
  for k in 1 2; do
    wait_for 60 "another checkpoint" checkpoints_at_least "$job" $(( $(rest "/jobs/$job/checkpoints" | json completed) + 1 ))
    kill -9 "${pid_of[taskmanager-$tm]}"
    wait "${pid_of[taskmanager-$tm]}" 2>/dev/null || true
    unset "pid_of[taskmanager-$tm]"
    new_taskmanager
    wait_for 120 "restored job" job_running_with_counters "$job"
    # the warm-up after the restore, in windows of 5 s: when the layer reaches its speed of before
    for t in $(seq 5 5 "$warm_up"); do
      window "$job" 5 | awk -v t="$t" -v b="$before" -v k="$k" '$1 != "-" { printf "  %-44s %9.0f records/s (%.2f of before)\n", "restore " k ", " t " s after its first records", $1, $1 / b }'
    done
    after="$(steady "$job" "after restore $k onto a fresh TaskManager")"
    echo "$before $after" | awk -v k="$k" '{ printf "  %-44s %9.2f  (medians: %.0f before, %.0f after)\n", "ratio after/before, restore " k, $2 / $1, $1, $2 }'
  done
  flink cancel "$job" >/dev/null 2>&1 || true
  wait_for 60 "cancelled job" job_is "$job" CANCELED
  stop "taskmanager-$tm"
}

backends() {
  local backend job
  say "state backends: heap and RocksDB interleaved, $warm_up s warm-up, then the median of $windows windows of $window s"
  new_taskmanager
  for backend in hashmap rocksdb hashmap rocksdb; do
    job="$(submit -p 1 -Dstate.backend.type=$backend "$jar" --events 2000000000 --rate 0 --output none --checkpoint-interval 2000)"
    wait_for 60 "running job" job_running_with_counters "$job"
    sleep "$warm_up"
    steady "$job" "$backend" | awk -v b="$backend" '{ printf "  %-44s %9.0f records/s (median)\n", b, $1 }'
    flink cancel "$job" >/dev/null 2>&1 || true
    wait_for 60 "cancelled job" job_is "$job" CANCELED
  done
  stop "taskmanager-$tm"
}

say "$(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); java $java_major; Flink $flink_version"
if [[ $# -eq 0 ]]; then
  set -- restore simd restore scalar backends
fi
while [[ $# -gt 0 ]]; do
  case "$1" in
    restore)
      if [[ $# -ge 3 && -f "$3" ]]; then restore "$2" "$3"; shift 3; else restore "$2"; shift 2; fi ;;
    backends) backends; shift ;;
    *) fail "unknown measurement $1 (restore FLAVOUR [JAR], backends)" ;;
  esac
done
stop jobmanager
