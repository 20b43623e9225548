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

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$repo/flink/target/deployment-test"
jar="$repo/flink/target/unroll-flink-job.jar"
docs="$repo/docs/flink.md"

fail() { echo "deployment test FAILED: $*" >&2; exit 1; }
say() { echo "[deployment test $(date +%T)] $*"; }

# ---------------------------------------------------------------- what it needs
command -v java >/dev/null || fail "java is not on the PATH (JDK 17 or later)"
command -v mvn >/dev/null || fail "mvn is not on the PATH (it assembles the cluster's class path from Maven Central)"
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${java_major:-0}" -ge 17 ]] || fail "java is version ${java_major:-unknown}: Flink 2.3 and Unroll need 17 or later"
java --add-modules jdk.incubator.vector -version >/dev/null 2>&1 || fail "this JDK has no jdk.incubator.vector module"
[[ -f "$jar" ]] || fail "$jar is missing: build it first (mvn -B verify, or mvn -B -q install -DskipTests)"
[[ -f "$docs" ]] || fail "$docs is missing"
[[ -d /proc/net ]] || fail "/proc/net is missing: the loopback check reads the sockets there (Linux)"

rm -rf "$work"
mkdir -p "$work/conf" "$work/log" "$work/tmp"

# ---------------------------------------------------------------- processes (stopped by PID, always)
pids=()
declare -A pid_of
stop() { # stop NAME: SIGTERM, up to 15 s, then SIGKILL
  local pid="${pid_of[$1]:-}"
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  unset "pid_of[$1]"
}
cleanup() {
  local rc=$?
  for name in "${!pid_of[@]}"; do stop "$name"; done
  if [[ $rc -ne 0 ]]; then
    echo "logs: $work/log" >&2
    for f in "$work"/log/*.log; do
      [[ -f "$f" ]] || continue
      echo "---- last errors of $(basename "$f")" >&2
      grep -E "ERROR|Exception" "$f" | tail -n 5 >&2 || true
    done
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the cluster's class path
say "assembling Flink's class path from Maven Central (flink/deploy/pom.xml)"
mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/lib" \
  || fail "could not assemble Flink's jars with Maven"
flink_version="$(ls "$work/lib" | sed -n 's/^flink-runtime-\(.*\)\.jar$/\1/p')"
[[ -n "$flink_version" ]] || fail "flink-runtime is not among the assembled jars"
cp="$work/lib/*"

# ---------------------------------------------------------------- configuration: docs/flink.md's block, plus this run's ports and folders
free_port() { # a TCP port nobody listens on (checked in /proc/net/tcp*)
  local p hex
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    hex="$(printf ':%04X ' "$p")"
    if ! grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null; then echo "$p"; return; fi
  done
  fail "no free TCP port found"
}
rest_port="$(free_port)"
rpc_port="$(free_port)"
sed -n '/<!-- deployment-test: config.yaml -->/,/^```$/p' "$docs" | sed '1,2d;$d' > "$work/conf/config.yaml"
grep -q '^taskmanager.numberOfTaskSlots:' "$work/conf/config.yaml" || fail "docs/flink.md has no config.yaml block marked for this test"
cat >> "$work/conf/config.yaml" <<EOF
# this run's ports and folders
rest.port: $rest_port
jobmanager.rpc.port: $rpc_port
io.tmp.dirs: $work/tmp
execution.checkpointing.dir: file://$work/checkpoints
execution.checkpointing.savepoint-dir: file://$work/savepoints
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 1000
restart-strategy.fixed-delay.delay: 1 s
EOF
cat > "$work/conf/log4j.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = File
appender.file.name = File
appender.file.type = File
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
EOF
conf_value() { sed -n "s/^$1: //p" "$work/conf/config.yaml" | tail -n 1; }

# ---------------------------------------------------------------- starting Flink's processes as its scripts do
start() { # start jobmanager|taskmanager NAME [without-vector-api]: memory from BashJavaUtils, JVM options from config.yaml
  local role="$1" name="$2" role_opts cmd main params jvm dynamic
  role_opts="$(conf_value "env.java.opts.$role")"
  if [[ "${3:-}" == without-vector-api ]]; then
    role_opts="${role_opts//--add-modules=jdk.incubator.vector/}"
  fi
  if [[ "$role" == jobmanager ]]; then
    cmd=GET_JM_RESOURCE_PARAMS main=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
  else
    cmd=GET_TM_RESOURCE_PARAMS main=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
  fi
  params="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$cmd" --configDir "$work/conf" 2>&1 | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
  [[ "$(echo "$params" | wc -l)" -eq 2 ]] || fail "BashJavaUtils gave no memory settings for the $role"
  jvm="$(echo "$params" | head -n 1)"
  dynamic="$(echo "$params" | tail -n 1)"
  # shellcheck disable=SC2086 # option lists are word-split, as Flink's scripts do
  java $jvm $(conf_value env.java.opts.all) $role_opts \
    -Dlog.file="$work/log/$name.log" -Dlog4j.configurationFile="file:$work/conf/log4j.properties" \
    -cp "$cp" "$main" --configDir "$work/conf" $dynamic > "$work/log/$name.out" 2>&1 &
  pid_of[$name]=$!
  pids+=($!)
}
flink() { # the command line client
  # shellcheck disable=SC2046
  FLINK_CONF_DIR="$work/conf" java $(conf_value env.java.opts.all) $(conf_value env.java.opts.client) \
    -Dlog.file="$work/log/client.log" -Dlog4j.configurationFile="file:$work/conf/log4j.properties" \
    -cp "$cp" org.apache.flink.client.cli.CliFrontend "$@"
}
rest() { # GET a REST path (HTTP/1.0 over bash's /dev/tcp: no curl needed)
  local body
  exec 9<>"/dev/tcp/127.0.0.1/$rest_port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&9
  body="$(cat <&9)"
  exec 9<&-
  echo "${body#*$'\r\n\r\n'}"
}
json() { grep -o "\"$1\":[^,}]*" | head -n 1 | sed 's/^[^:]*://; s/"//g'; } # the first value of a key
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: until the command succeeds
  local seconds="$1" what="$2" deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [[ $SECONDS -lt $deadline ]] || fail "no $what after ${seconds} s"
    sleep 0.5
  done
}
taskmanagers_are() { [[ "$(rest /overview | json taskmanagers)" == "$1" ]]; }
job_is() { [[ "$(rest "/jobs/$1" | json state)" == "$2" ]]; }
checkpoints_at_least() { [[ "$(rest "/jobs/$1/checkpoints" | json completed)" -ge "$2" ]]; }
submit() { # submit [flink run options] -- [job options]: prints the job id
  local out
  out="$(flink run -d "$@" 2>&1)" || { echo "$out" >&2; fail "flink run -d $* exited with an error"; }
  echo "$out" | sed -n 's/^Job has been submitted with JobID \([0-9a-f]*\)$/\1/p'
}
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
