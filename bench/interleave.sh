#!/usr/bin/env bash
# A/B comparison of two benchmark selections of one jar, interleaved in one session: selection A,
# then B, then A again, each with thread CPU time per op (ThreadCpuProfiler); then the B/A ratios,
# result by result in order (CompareRuns --by-position). Run on a quiet machine.
# Usage: bench/interleave.sh OUT-PREFIX 'JMH-ARGS of A' 'JMH-ARGS of B'
#   e.g. bench/interleave.sh bench/results/streams 'StreamsBenchmark.loop -p streams=1' 'StreamsBenchmark.batch -p streams=64'
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 OUT-PREFIX 'JMH-ARGS of A' 'JMH-ARGS of B'" >&2; exit 2; }
out=$1 a=$2 b=$3
jar=${UNROLL_BENCH_JAR:-bench/target/benchmarks.jar}
[[ -f $jar ]] || { echo "$jar is missing: build it with mvn -B -q install -DskipTests" >&2; exit 2; }
jmh() { # shellcheck disable=SC2086 # the selection is a list of JMH arguments
  java --add-modules jdk.incubator.vector -jar "$jar" $1 -prof dev.unroll.bench.jmh.ThreadCpuProfiler -rf json -rff "$2" \
    2> >(grep -v '^WARNING: Using incubator' >&2); }
jmh "$a" "$out-A1.json"
jmh "$b" "$out-B.json"
jmh "$a" "$out-A2.json"
java -cp "$jar" dev.unroll.bench.jmh.CompareRuns --by-position "$out-A1.json" "$out-B.json" "$out-A2.json" | tee "$out.txt"
