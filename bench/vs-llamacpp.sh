#!/usr/bin/env bash
# Unroll against llama.cpp (and llama2.c's run.c when its source is given) on this machine, in one
# run: greedy decoding and a 256-token prompt at the shapes of stories260K (the real model),
# stories15M and stories110M (seeded random weights, the real tokenizer size), F32 and 8-bit, one
# and two threads. Each row is interleaved A (llama.cpp), B (Unroll), A again, so drift shows.
#
#   llama.cpp: the prebuilt the npm registry ships in node-llama-cpp (@node-llama-cpp/linux-x64,
#     installed with npm --ignore-scripts; it carries llama.cpp's shared libraries with one CPU
#     backend per x86 generation, the best one loading at run time), driven through its C API by
#     bench/llamacpp/driver.c, built here against the headers node-llama-cpp bundles. Models are
#     the same llama2.c checkpoints written as GGUF by GgufWriter (F32), Q8_0 made by llama.cpp's
#     own llama_model_quantize. KV cache: llama.cpp's default (F16).
#   Unroll: the generated models (GreedyRun, PromptRun), SIMD flavour; Q8 is Unroll's 8-bit format
#     (per-row blocks of 32 with an F32 scale, like Q8_0's blocks with an F16 scale).
#   Decoding: BOS at position 0, argmax each step, stop at BOS or after the positions; tokens/s as
#     run.c counts them ((pos - 1) / time after the first forward); warm medians in one process.
#   Prompt: 256 tokens from position 0 in one call, logits of the last only (llama-bench's pp256).
#   One thread: pinned to core 1 with taskset. Two threads: unpinned, -t 2 / OMP_NUM_THREADS=2 /
#     -Dunroll.threads=2.
#
# Usage: bench/vs-llamacpp.sh [RUN_C]   (RUN_C: llama2.c's run.c, built with -Ofast -march=native)
# Env: UNROLL_BENCH_WORK (default /tmp/unroll-vs-llamacpp), POSITIONS (default 256), RUNS (default 5),
#      SHAPES (default "260K 15M 110M"), LLAMACPP_VERSION (node-llama-cpp version, default 3.22.1),
#      UNROLL_JVM_OPTS (Unroll's JVM options, default -XX:+UseTransparentHugePages).
# Output: the table on stdout and in bench/results/vs-llamacpp-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runc_src=${1:-}
work=${UNROLL_BENCH_WORK:-${TMPDIR:-/tmp}/unroll-vs-llamacpp}
positions=${POSITIONS:-256}
runs=${RUNS:-5}
shapes=${SHAPES:-260K 15M 110M}
version=${LLAMACPP_VERSION:-3.22.1}
# transparent huge pages for the weights: on a virtual machine a 4 KiB page's TLB miss costs a nested walk
jvm_opts=${UNROLL_JVM_OPTS--XX:+UseTransparentHugePages}
jar=$root/bench/target/benchmarks.jar
mkdir -p "$work"
[[ -f $jar ]] || mvn -B -q install -DskipTests

# --- llama.cpp: binaries (npm), headers (the source bundle in node-llama-cpp), the driver
bins=$work/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64
if [[ ! -d $bins ]]; then
  (cd "$work" && npm install --ignore-scripts --no-save --no-package-lock --no-audit --no-fund "@node-llama-cpp/linux-x64@$version" >/dev/null)
fi
src=$work/llama.cpp
if [[ ! -f $src/include/llama.h ]]; then
  (cd "$work" && npm pack --silent "node-llama-cpp@$version" >/dev/null && tar xzf "node-llama-cpp-$version.tgz" package/llama/gitRelease.bundle \
    && rm -rf "$src" && git clone -q package/llama/gitRelease.bundle "$src" 2>/dev/null)
fi
driver=$work/driver
if [[ ! -x $driver || $root/bench/llamacpp/driver.c -nt $driver ]]; then
  gcc -O2 -o "$driver" "$root/bench/llamacpp/driver.c" -I"$src/include" -I"$src/ggml/include" -L"$bins" \
    -l:"$(cd "$bins" && ls libllama.v*.so | head -1)" -l:"$(cd "$bins" && ls libggml.v*.so | head -1)" -l:libggml-base.so -Wl,-rpath,"$bins"
fi
if [[ -n $runc_src ]]; then
  gcc -Ofast -march=native -o "$work/run" "$runc_src" -lm
  gcc -Ofast -march=native -fopenmp -o "$work/runomp" "$runc_src" -lm
fi

pin() { if command -v taskset >/dev/null; then taskset -c 1 "$@"; else "$@"; fi; }
field() { sed -n "s/^$1 \([0-9.]*\)$/\1/p"; }
llama() { # decode|prompt gguf threads -> tok/s
  local p=$positions; [[ $1 == prompt ]] && p=256
  if [[ $3 == 1 ]]; then pin "$driver" "$1" "$2" "$bins" "$p" 1 "$runs"; else "$driver" "$1" "$2" "$bins" "$p" "$3" "$runs"; fi 2>/dev/null | field "$1"; }
unroll() { # decode|prompt model format threads -> tok/s
  local cls=GreedyRun p=$positions line
  [[ $1 == prompt ]] && cls=PromptRun p=256
  local cmd=(java --add-modules jdk.incubator.vector -Xmx6g $jvm_opts -Dunroll.threads="$4" -cp "$jar" "dev.unroll.bench.llama.$cls" "$2" "$3" "$p" "$runs")
  if [[ $4 == 1 ]]; then line=$(pin "${cmd[@]}" 2>/dev/null); else line=$("${cmd[@]}" 2>/dev/null); fi
  echo "    $line" >&2
  sed -n 's/.*warm (median of [0-9]*) \([0-9.]*\) tok\/s wall.*/\1/p' <<<"$line"; }
runc() { # binary model tokenizer -> tok/s
  local bin=$1 model=$2 tok=$3
  if [[ $bin == */run ]]; then pin "$bin" "$model" -z "$tok" -t 0 -n "$positions" -i "" 2>&1 >/dev/null | sed -n 's/^achieved tok\/s: //p'
  else OMP_NUM_THREADS=2 "$bin" "$model" -z "$tok" -t 0 -n "$positions" -i "" 2>&1 >/dev/null | sed -n 's/^achieved tok\/s: //p'; fi; }
row() { # label a1 b a2 -> one line with the ratio B / mean(A)
  awk -v l="$1" -v a1="$2" -v b="$3" -v a2="$4" 'BEGIN { a = (a1 + a2) / 2; d = a > 0 ? 100 * (a2 > a1 ? a2 - a1 : a1 - a2) / a : 0;
    printf "%-44s llama.cpp %9.1f, %9.1f (drift %4.1f%%)  Unroll %9.1f  Unroll/llama.cpp %.2fx\n", l, a1, a2, d, b, (a > 0 ? b / a : 0) }'; }

out=$root/bench/results/vs-llamacpp-$(date -u +%F).txt
{
  echo "# Unroll vs llama.cpp $version (node-llama-cpp prebuilt), $(date -u '+%F %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# CPU: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); Unroll: $(java -version 2>&1 | head -1); decode: $positions positions; tok/s; Unroll's JVM options: ${jvm_opts:-none}"
  for shape in $shapes; do
    if [[ $shape == 260K ]]; then
      model=$root/runtime/src/test/resources/data/models/stories260K/stories260K.bin tok=${model%/*}/tok512.bin
    else
      model=$work/stories$shape-seeded.bin tok=$work/tok32000.bin
      [[ -f $model ]] || java -cp "$jar" dev.unroll.bench.llama.SeededCheckpoint "$shape" "$work" >/dev/null
    fi
    f32=$work/stories$shape-f32.gguf q8=$work/stories$shape-q8_0.gguf
    [[ -f $f32 ]] || java -cp "$jar" dev.unroll.bench.llama.GgufWriter "$model" "$tok" "$f32" >/dev/null
    [[ -f $q8 ]] || "$driver" quantize "$f32" "$q8" >/dev/null 2>&1
    echo "## stories$shape"
    if [[ -n $runc_src ]]; then
      echo "stories$shape run.c -Ofast, 1 thread: $(runc "$work/run" "$model" "$tok") tok/s; OpenMP, 2 threads: $(runc "$work/runomp" "$model" "$tok") tok/s"
    fi
    for threads in 1 2; do
      for pair in "F32 $f32 F32" "Q8 $q8 Q8"; do
        set -- $pair
        a1=$(llama decode "$2" "$threads"); b=$(unroll decode "$model" "$3" "$threads"); a2=$(llama decode "$2" "$threads")
        row "stories$shape decode $1 ($threads thread$([[ $threads == 2 ]] && echo s))" "$a1" "$b" "$a2"
      done
    done
    for pair in "F32 $f32 F32" "Q8 $q8 Q8"; do
      set -- $pair
      a1=$(llama prompt "$2" 1); b=$(unroll prompt "$model" "$3" 1); a2=$(llama prompt "$2" 1)
      row "stories$shape pp256 $1 (1 thread)" "$a1" "$b" "$a2"
    done
  done
} 2>&1 | tee "$out"
