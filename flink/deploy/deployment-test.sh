#!/usr/bin/env bash
# Deployment test of the example job jar on a real Flink session cluster, as docs/flink.md describes it:
# a JobManager and TaskManagers as separate JVMs on 127.0.0.1, their class path assembled from Flink's
# module jars on Maven Central (flink/deploy/pom.xml), their configuration the config.yaml block of
# docs/flink.md. It checks, against every sensor's readings run alone through the layer:
#   1. a failure-free run at parallelism 4 (flink run -d, which must exit 0);
#   2. a run at parallelism 2 whose TaskManager is killed with SIGKILL after a checkpoint; a replacement
#      started without the Vector API must fail the job's tasks loudly (the job's flavour is SIMD); a
#      replacement with it recovers the job from the checkpoint;
#   3. a run at parallelism 2 stopped with a savepoint, resumed at parallelism 3 on RocksDB.
# Outputs and final states must equal the lone runs bit for bit (lines a print sink repeats after a
# restore must be identical); every task logs the flavour it runs; every listening socket of the
# cluster is on loopback. Run after `mvn -B verify` (it needs flink/target/unroll-flink-job.jar);
# about two minutes. Every process it starts is stopped by its PID; its files stay in
# flink/target/deployment-test (logs, configuration, checkpoints) for inspection.
set -euo pipefail

name="deployment test"
work="$(cd "$(dirname "$0")/../.." && pwd)/flink/target/deployment-test"
# shellcheck source=cluster.sh
. "$(dirname "$0")/cluster.sh"

mark() { for f in "$work"/log/taskmanager-*.out; do echo "$f $(stat -c %s "$f")"; done > "$work/mark"; }
since_mark() { # the TaskManagers' stdout written since mark, into one file
  local out="$work/$1" f size
  : > "$out"
  for f in "$work"/log/taskmanager-*.out; do
    size="$(sed -n "s#^$f ##p" "$work/mark")"
    tail -c +$(( ${size:-0} + 1 )) "$f" >> "$out"
  done
  echo "$out"
}
check() { # check NAME EVENTS SENSORS: the printed outputs against the lone runs
  local file
  file="$(since_mark "$1.out")"
  if ! java --add-modules jdk.incubator.vector -cp "$jar" dev.unroll.flink.example.SensorFeaturesCheck \
      --events "$2" --sensors "$3" --flavour simd "$file" 2>"$work/log/$1-check.err" | tee "$work/$1.check"; then
    fail "$1: the outputs differ from the lone runs (see above, and $work/log/$1-check.err)"
  fi
}

# ---------------------------------------------------------------- the cluster
say "Flink $flink_version: JobManager (REST 127.0.0.1:$rest_port) and TaskManager 1"
start jobmanager jobmanager
wait_for 90 "JobManager REST endpoint" rest /overview
start taskmanager taskmanager-1
wait_for 90 "registered TaskManager" taskmanagers_are 1

sensors=500
events=60000

# ---------------------------------------------------------------- 1. failure-free, parallelism 4
say "1. failure-free run, parallelism 4"
mark
job="$(submit -p 4 "$jar" --events $events --sensors $sensors --output check --checkpoint-interval 1000)"
[[ -n "$job" ]] || fail "flink run -d printed no job id"
wait_for 120 "finished job $job" job_is "$job" FINISHED
[[ "$(rest "/jobs/$job" | json parallelism)" == 4 ]] || fail "flink run -p 4 did not run the job at parallelism 4"
check run-1 $events $sensors

# ---------------------------------------------------------------- 2. SIGKILL of the TaskManager after a checkpoint
say "2. parallelism 2, the TaskManager killed with SIGKILL after a checkpoint"
mark
job="$(submit -p 2 "$jar" --events $events --sensors $sensors --rate 5000 --output check --checkpoint-interval 1000)"
wait_for 60 "running job $job" job_is "$job" RUNNING
wait_for 60 "second checkpoint of job $job" checkpoints_at_least "$job" 2
kill -9 "${pid_of[taskmanager-1]}"
wait "${pid_of[taskmanager-1]}" 2>/dev/null || true
unset "pid_of[taskmanager-1]"
say "   killed after $(rest "/jobs/$job/checkpoints" | json completed) checkpoints; a replacement without the Vector API must refuse the job's SIMD flavour"
start taskmanager taskmanager-2 without-vector-api
wait_for 90 "task failure naming the missing Vector API" \
  grep -q "the job's SIMD flavour cannot run here: jdk.incubator.vector is not present" "$work/log/taskmanager-2.log"
stop taskmanager-2
say "   a replacement with the Vector API"
start taskmanager taskmanager-3
wait_for 180 "finished job $job" job_is "$job" FINISHED
[[ "$(rest "/jobs/$job/checkpoints" | json restored)" -ge 1 ]] || fail "job $job finished without restoring a checkpoint"
check run-2 $events $sensors

# ---------------------------------------------------------------- 3. savepoint, resumed at another parallelism on RocksDB
say "3. parallelism 2 stopped with a savepoint, resumed at parallelism 3 on RocksDB"
mark
job="$(submit -p 2 "$jar" --events $events --sensors $sensors --rate 5000 --output check --checkpoint-interval 1000)"
wait_for 60 "running job $job" job_is "$job" RUNNING
wait_for 60 "checkpoint of job $job" checkpoints_at_least "$job" 1
stopped="$(flink stop --type canonical --savepointPath "file://$work/savepoints" "$job" 2>&1)" || { echo "$stopped" >&2; fail "flink stop failed"; }
savepoint="$(echo "$stopped" | sed -n 's/^Savepoint completed\. Path: //p')"
[[ -n "$savepoint" ]] || { echo "$stopped" >&2; fail "flink stop printed no savepoint path"; }
wait_for 30 "stopped job $job" job_is "$job" FINISHED
before="$(grep -c ' out ' "$(since_mark run-3-before-savepoint.out)" || true)"
[[ "$before" -gt 0 && "$before" -lt "$events" ]] || fail "the savepoint was not taken mid-run ($before of $events outputs before it)"
say "   savepoint after $before of $events outputs"
job="$(submit -p 3 -s "$savepoint" -Dstate.backend.type=rocksdb "$jar" --events $events --sensors $sensors --rate 5000 --output check \
  --checkpoint-interval 1000)"
wait_for 120 "finished job $job" job_is "$job" FINISHED
[[ "$(rest "/jobs/$job" | json parallelism)" == 3 ]] || fail "the resumed job did not run at parallelism 3"
check run-3 $events $sensors

# ---------------------------------------------------------------- what every run must also show
grep -q "on TaskManager 127.0.0.1 runs generated SensorFeaturesLayer (SIMD" "$work"/log/taskmanager-*.log \
  || fail "no task logged the flavour it runs"
! grep -h "exceeded the 80 characters length limit" "$work"/log/*.log || fail "an operator name is over Flink's metric-name limit"
grep -q "EmbeddedRocksDBStateBackend\|RocksDB" "$work"/log/taskmanager-3.log || fail "run 3 did not use RocksDB"

sockets=0
loopback_only() { # every listening TCP socket of these PIDs is on 127.0.0.0/8 or ::1
  local pid inodes bad=0 file local inode
  for pid in "$@"; do
    inodes="$(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | sed 's/socket:\[\(.*\)\]/\1/' | sort -u)"
    while read -r file local inode; do
      grep -qx "$inode" <<< "$inodes" || continue
      sockets=$((sockets + 1))
      case "$file:$local" in # addresses in hex, IPv4 bytes little-endian: 127.x.x.x ends in 7F
        /proc/net/tcp:??????7F:*|/proc/net/tcp6:00000000000000000000000001000000:*|/proc/net/tcp6:0000000000000000FFFF0000??????7F:*) ;;
        *) echo "process $pid listens on $local ($file)" >&2; bad=1 ;;
      esac
    done < <(awk 'FNR > 1 && $4 == "0A" { print FILENAME, $2, $10 }' /proc/net/tcp /proc/net/tcp6)
  done
  return $bad
}
loopback_only "${pid_of[@]}" || fail "a Flink process listens beyond loopback"
[[ $sockets -ge 4 ]] || fail "found only $sockets listening sockets of the JobManager and the TaskManager"
say "all $sockets listening sockets of the JobManager and the TaskManager are on loopback"
stop taskmanager-3
stop jobmanager
say "passed: $(cat "$work"/run-*.check | grep -c '^OK') runs equal to every sensor run alone"
