# A Flink session cluster on 127.0.0.1, as docs/flink.md describes it, for the deployment test and the
# measurements (sourced by deployment-test.sh and measure.sh, which set $name and $work first): its class
# path from Flink's module jars on Maven Central (flink/deploy/pom.xml), its configuration docs/flink.md's
# config.yaml block plus this run's ports and folders, its processes started as Flink's scripts start
# them (memory from BashJavaUtils, JVM options from config.yaml) and stopped by PID when the script ends.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="$repo/flink/target/unroll-flink-job.jar"
docs="$repo/docs/flink.md"

fail() { echo "$name FAILED: $*" >&2; exit 1; }
say() { echo "[$name $(date +%T)] $*"; }

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
