#!/usr/bin/env bash
# The TRM network against PyTorch on the same machine in one run, interleaved PyTorch, Unroll,
# PyTorch: one network call at batch 1 on one core (pinned with taskset; PyTorch's process CPU time,
# Unroll's JMH worker thread CPU time), then one supervision step at batch 64 on two threads (wall
# time for both), with one core's FMA peak (FmaPeak) measured first so that each figure can be read
# as a fraction of it. Needs Debian's python3-torch and libopenblas0-pthread (bench/trm-pytorch.py
# says why); not part of mvn verify.
# Usage: bench/vs-pytorch-trm.sh [OUT]   (default bench/results/vs-pytorch-trm-<date>.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -q install -DskipTests
out=${1:-bench/results/vs-pytorch-trm-$(date -u +%F).txt}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jmh() { java --add-modules jdk.incubator.vector -jar "$jar" "$@" -prof dev.unroll.bench.jmh.ThreadCpuProfiler -rf json \
  2> >(grep -v '^WARNING: Using incubator' >&2) >/dev/null; }
# one line per JMH result: benchmark, params, score and its error, thread CPU per op
summary() {
  "$py" - "$1" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1])):
    p = r["primaryMetric"]
    cpu = r.get("secondaryMetrics", {}).get("·cpu.time/op")
    params = ",".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
    line = f'{r["benchmark"].split(".")[-2]}.{r["benchmark"].split(".")[-1]} [{params}] {p["score"]:.4g}±{p["scoreError"]:.2g} {p["scoreUnit"]}'
    if cpu:
        line += f'; thread CPU {cpu["score"]:.4g}±{cpu["scoreError"]:.2g} {cpu["scoreUnit"]}'
    flops = r.get("secondaryMetrics", {}).get("flops")
    if flops:
        line += f'; {flops["score"] / 1e9:.1f}±{flops["scoreError"] / 1e9:.1f} GFLOP/s'
    print("  unroll " + line)
EOF
}
{
  echo "# TRM: Unroll vs PyTorch, $(date -u '+%F %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $(java -version 2>&1 | head -1); $("$py" -c 'import torch; print("torch", torch.__version__)')"
  jmh 'FmaPeak' -rff "$tmp/fma.json"
  summary "$tmp/fma.json"
  echo "## one network call, batch 1, one core (taskset -c 1)"
  taskset -c 1 "$py" bench/trm-pytorch.py call --threads 1 --runs 30 | sed 's/^/  pytorch /'
  taskset -c 1 java --add-modules jdk.incubator.vector -jar "$jar" 'TrmBenchmark.network' -p impl=simd -p weights=F32,Q8 -f 1 \
    -prof dev.unroll.bench.jmh.ThreadCpuProfiler -rf json -rff "$tmp/call.json" 2> >(grep -v '^WARNING: Using incubator' >&2) >/dev/null
  summary "$tmp/call.json"
  taskset -c 1 "$py" bench/trm-pytorch.py call --threads 1 --runs 30 | sed 's/^/  pytorch /'
  echo "## one supervision step, batch 64, two threads (wall)"
  "$py" bench/trm-pytorch.py step --threads 2 --batch 64 --runs 5 | sed 's/^/  pytorch /'
  jmh 'TrmBenchmark.step' -p batch=64 -p weights=F32,Q8 -rff "$tmp/step.json"
  summary "$tmp/step.json"
  "$py" bench/trm-pytorch.py step --threads 2 --batch 64 --runs 5 | sed 's/^/  pytorch /'
  echo "# FLOPs: a network call 0.903 GFLOP per puzzle; a supervision step 18.96 GFLOP per puzzle"
} | tee "$out"
