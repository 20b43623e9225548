#!/usr/bin/env bash
# Greedy decoding of stories260K (the real model) and at the shapes of stories15M and stories110M
# (seeded random weights, same tokenizer size as the real ones), Unroll's
# generated models (F32, BF16, Q8) against llama2.c's run.c, interleaved A (run.c), B (Unroll), A
# in one invocation, and the ratios. Both sides do the same work: BOS at position 0, argmax each
# step, stop at BOS or after STEPS positions; both report tokens/s as run.c does ((pos - 1) / time
# after the first forward, wall clock). Single-thread rows are pinned to one core (taskset);
# Unroll's figure is the median of its warm runs in one JVM (its cold first run is printed too).
# The OpenMP row runs run.c on both cores, against Unroll's single thread.
#
# Usage: bench/vs-runc.sh RUN_C [STEPS]   (STEPS: positions for the 15M/110M shapes, default 256; stories260K runs 512)
#   RUN_C: llama2.c's run.c source (github.com/karpathy/llama2.c), built here with -Ofast -march=native
# Output: a table on stdout, and bench/results/vs-runc-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: $0 path/to/run.c [STEPS]" >&2; exit 2; }
src=$1 steps=${2:-256}
jar=bench/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -q install -DskipTests
work=${UNROLL_BENCH_WORK:-${TMPDIR:-/tmp}/unroll-vs-runc}
mkdir -p "$work"
gcc -Ofast -march=native -o "$work/run" "$src" -lm
gcc -Ofast -march=native -fopenmp -o "$work/runomp" "$src" -lm
out=bench/results/vs-runc-$(date -u +%F).txt
pin() { if command -v taskset >/dev/null; then taskset -c 1 "$@"; else "$@"; fi; }
runc() { # binary model tokenizer -> tok/s (pinned unless OMP_NUM_THREADS is set)
  local tok=$3
  set -- "$1" "$2"
  if [[ -z ${OMP_NUM_THREADS:-} ]]; then set -- pin "$@"; fi
  "$@" -z "$tok" -t 0 -n "$n" -i "" 2>&1 >/dev/null | sed -n 's/^achieved tok\/s: //p'; }
unroll() { # model format -> warm tok/s (the whole line goes to stderr)
  local line
  line=$(pin java --add-modules jdk.incubator.vector -Xmx4g -cp "$jar" dev.unroll.bench.llama.GreedyRun "$1" "$2" "$n" 4 2>/dev/null)
  echo "  $line" >&2
  sed -n 's/.*warm (median of [0-9]*) \([0-9.]*\) tok\/s wall.*/\1/p' <<<"$line"; }
{
  echo "# Unroll vs llama2.c run.c, greedy from BOS, stop at BOS or after the positions, $(date -u '+%F %H:%M UTC'), $(nproc) cores"
  echo "# run.c: gcc -Ofast -march=native ($(gcc -dumpfullversion)); Unroll: $(java -version 2>&1 | head -1)"
  for shape in 260K 15M 110M; do
    n=$steps
    if [[ $shape == 260K ]]; then
      n=512 # its whole context: run.c's timer counts milliseconds
      model=runtime/src/test/resources/data/models/stories260K/stories260K.bin tok=${model%/*}/tok512.bin
    else
      model="$work/stories$shape-seeded.bin" tok="$work/tok32000.bin"
      [[ -f $model ]] || java -cp "$jar" dev.unroll.bench.llama.SeededCheckpoint "$shape" "$work" >/dev/null
    fi
    for format in F32 BF16 Q8; do
      a1=$(runc "$work/run" "$model" "$tok")
      b=$(unroll "$model" "$format")
      a2=$(runc "$work/run" "$model" "$tok")
      awk -v s="stories$shape" -v f="$format" -v a1="$a1" -v b="$b" -v a2="$a2" 'BEGIN {
        a = (a1 + a2) / 2; printf "%-12s %-5s run.c %7.1f, %7.1f tok/s (drift %4.1f%%)  Unroll %7.1f tok/s  ratio %.2fx\n",
        s, f, a1, a2, 100 * (a2 > a1 ? a2 - a1 : a1 - a2) / a, b, b / a }'
    done
    omp=$(OMP_NUM_THREADS=2 runc "$work/runomp" "$model" "$tok")
    echo "stories$shape run.c OpenMP, 2 threads: $omp tok/s"
  done
} 2>&1 | tee "$out"
