#!/usr/bin/env bash
# Re-measures every figure in the README's Performance section into bench/results/*.json, then
# redraws docs/charts. Needs a quiet machine (nothing else running): about 25 minutes on 2 cores.
# Usage: bench/reproduce.sh [attention|trm|transformer|charts]...   (default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -q install -DskipTests
jmh() { java --add-modules jdk.incubator.vector -jar "$jar" "$@" -rf json 2> >(grep -v '^WARNING: Using incubator' >&2); }
modes=(RetNet Hawk Gla GlaVector DeltaNet GatedDeltaNetStatic GatedDeltaNetPerToken Rwkv Mlstm DeltaProduct DeltaProductReflections Rwkv7 Hgrn2 LogLinearGdn LogLinearGla)
d64=$(printf '%s_D64,' "${modes[@]}"); d64=${d64%,}
d256=$(printf 'Wide_%s,' "${modes[@]}"); d256=${d256%,}
run() {
  case $1 in
    attention)
      # width 64 / 4 heads: step in every flavour; width 256 / 8 heads: generated SIMD vs generic
      jmh 'AttentionBenchmark.step' -p layer="$d64" -p impl=simd,scalar,generic -rff bench/results/attention-step-d64.json
      jmh 'AttentionBenchmark.forward' -p layer="$d64" -p impl=simd,generic -wi 2 -i 2 -rff bench/results/attention-forward-d64.json
      jmh 'AttentionBenchmark.step' -p layer="$d256" -p impl=simd,generic -wi 2 -i 2 -rff bench/results/attention-step-d256.json
      jmh 'AttentionBenchmark.forward' -p layer="$d256" -p impl=simd,generic -wi 2 -i 2 -rff bench/results/attention-forward-d256.json ;;
    trm)
      jmh 'TrmBenchmark.network' -rff bench/results/trm.json
      jmh 'TrmBenchmark.step' -rff bench/results/trm-step.json ;;
    transformer)
      jmh 'transformer.StepBenchmark' -rff bench/results/transformer-step.json
      jmh 'transformer.GreedyBenchmark' -rff bench/results/transformer-greedy.json ;;
    charts)
      java -cp "$jar" dev.unroll.bench.charts.BenchCharts bench/results docs/charts ;;
    *) echo "unknown part $1 (attention, trm, transformer, charts)" >&2; exit 2 ;;
  esac
}
parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(attention trm transformer charts)
for p in "${parts[@]}"; do run "$p"; done
