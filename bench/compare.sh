#!/usr/bin/env bash
# A/B comparison of two builds of the benchmarks jar, interleaved in one session: the same JMH
# selection on A, then B, then A again, each with thread CPU time per op (ThreadCpuProfiler); then
# the B/A ratios (CompareRuns). Run on a quiet machine.
# Usage: bench/compare.sh A.jar B.jar OUT-PREFIX JMH-ARGS...
#   e.g. bench/compare.sh /tmp/before.jar bench/target/benchmarks.jar bench/results/loops 'transformer.StepBenchmark.cached' -p prefix=128
set -euo pipefail
[[ $# -ge 4 ]] || { echo "usage: $0 A.jar B.jar OUT-PREFIX JMH-ARGS..." >&2; exit 2; }
a=$1 b=$2 out=$3; shift 3
jmh() { java --add-modules jdk.incubator.vector -jar "$1" "${@:3}" -prof dev.unroll.bench.jmh.ThreadCpuProfiler -rf json -rff "$2" \
  2> >(grep -v '^WARNING: Using incubator' >&2); }
jmh "$a" "$out-A1.json" "$@"
jmh "$b" "$out-B.json" "$@"
jmh "$a" "$out-A2.json" "$@"
java -cp "$b" dev.unroll.bench.jmh.CompareRuns "$out-A1.json" "$out-B.json" "$out-A2.json" | tee "$out.txt"
