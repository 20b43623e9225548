#!/usr/bin/env bash
# Fast from the first token? Whole cold processes (ColdStart: JVM start to model ready, the first
# 128 greedy tokens, the steady rate, when the rate first comes within 25 % of it), RUNS processes
# per configuration, the median of each figure printed. Configurations, in one interleaved loop:
#   simd        the SIMD kernels, default JIT settings (JDK 17)
#   scalar      the scalar kernels (what `unroll run` picks for one-shot runs)
#   simd-scaled the SIMD kernels with -XX:CompileThresholdScaling=0.05 (C2 twenty times sooner)
#   simd-c2     the SIMD kernels with -XX:-TieredCompilation (no C1 tier between interpreter and C2)
#   simd-25     the SIMD kernels on JDK 25
#   simd-25-aot JDK 25 with an ahead-of-time cache (JEP 483/515: classes loaded and linked, method
#               profiles), written by one training run first
# Usage: bench/cold-start.sh [MODEL.bin] [FORMAT] [RUNS]   (default: stories260K, F32, 5)
# Not for 1.1B: ColdStart reads the checkpoint whole (4.1 GB of F32 beside the packed model, over the default heap)
# and 30 processes of 4 x 128 tokens at ~7 tok/s take most of an hour; bench/decode-speed.sh 1.1B times the first
# token of a cold process (start, tensor-by-tensor load, one token) against llama.cpp's.
# Output: a table on stdout and bench/results/cold-start-<model>-<format>-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-runtime/src/test/resources/data/models/stories260K/stories260K.bin}
format=${2:-F32} runs=${3:-5}
jar=bench/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -q install -DskipTests
java25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)/bin/java}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=bench/results/cold-start-$(basename "$model" .bin)-$format-$(date -u +%F).txt
configs=(simd scalar simd-scaled simd-c2)
if [[ -x $java25 ]]; then
  configs+=(simd-25 simd-25-aot)
  # the training run records the cache (JDK 25: -XX:AOTCacheOutput)
  "$java25" --add-modules jdk.incubator.vector -XX:AOTCacheOutput="$work/cold.aot" -cp "$jar" dev.unroll.bench.llama.ColdStart \
    "$model" "$format" 2 >/dev/null 2>&1
fi
launch() {
  local cfg=$1 java=java opts=()
  case $cfg in
    scalar) opts=(-Dunroll.flavour=scalar) ;;
    simd-scaled) opts=(-XX:CompileThresholdScaling=0.05) ;;
    simd-c2) opts=(-XX:-TieredCompilation) ;;
    simd-25) java=$java25 ;;
    simd-25-aot) java=$java25 opts=(-XX:AOTCache="$work/cold.aot") ;;
  esac
  "$java" --add-modules jdk.incubator.vector "${opts[@]}" -cp "$jar" dev.unroll.bench.llama.ColdStart "$model" "$format" 3 2>/dev/null
}
for ((r = 0; r < runs; r++)); do
  for cfg in "${configs[@]}"; do
    launch "$cfg" | sed "s/^/$cfg /" >>"$work/lines"
  done
done
{
  echo "# cold processes, $(basename "$model") $format, median of $runs each, $(date -u '+%F %H:%M UTC'), $(nproc) cores"
  printf '%-12s %10s %14s %12s %22s\n' config "ready ms" "first 128 t/s" "steady t/s" "steady from JVM, ms"
  for cfg in "${configs[@]}"; do
    grep "^$cfg " "$work/lines" | sed -E 's/.*ready ([0-9]+) ms.*first 128 tokens ([0-9]+) tok\/s; steady ([0-9]+) tok\/s; within 25% of steady ([0-9NaN.]+) ms.*/\1 \2 \3 \4/' \
      >"$work/$cfg"
    med() { cut -d' ' -f"$1" "$work/$cfg" | sort -g | sed -n "$(( ($(wc -l <"$work/$cfg") + 1) / 2 ))p"; }
    printf '%-12s %10s %14s %12s %22s\n' "$cfg" "$(med 1)" "$(med 2)" "$(med 3)" "$(med 4)"
  done
} | tee "$out"
