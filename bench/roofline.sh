#!/usr/bin/env bash
# The README's roofline table from one command: one core's ceilings (BandwidthProbe, FmaPeak) and
# the workloads (attention steps at width 64 and 256 in each weight format, stories260K greedy
# decoding, the stories15M/110M-shaped decoders in each format, the TRM network call in each format
# on one thread, the TRM supervision step at batch 64 in each format on two threads), measured in one invocation,
# then RooflineReport's table: bytes and FLOPs per token, achieved rate, the ceiling that binds, the
# fraction reached. About 8 minutes on a quiet 2-core machine.
# Usage: bench/roofline.sh   Output: bench/results/roofline-<date>.{json,md}
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -q install -DskipTests
out=bench/results/roofline-$(date -u +%F)
jmh() { java --add-modules jdk.incubator.vector -jar "$jar" "$@" 2> >(grep -v '^WARNING: Using incubator' >&2); }
# one thread everywhere but the TRM step (its own run, on the runtime's two threads)
jmh 'BandwidthProbe|FmaPeak|AttentionBenchmark.step|GreedyBenchmark|DecodeBenchmark|TrmBenchmark.network' \
  -p impl=simd -p layer=Gla_D64,Wide_Gla,WideBf16_Gla,WideQ8_Gla -p weights=F32,BF16,Q8 -rf json -rff "$out-1.json" >/dev/null
jmh 'TrmBenchmark.step' -p batch=64 -p weights=F32,BF16,Q8 -rf json -rff "$out-2.json" >/dev/null
{
  echo "Measured $(date -u '+%F %H:%M UTC') by bench/roofline.sh, $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo
  java -cp "$jar" dev.unroll.bench.roofline.RooflineReport "$out-1.json" "$out-2.json"
} | tee "$out.md"
