#!/usr/bin/env bash
# Memory of decoding a llama2.c checkpoint, per weight format, in one run: the smallest heap (-Xmx)
# that loads it and decodes 16 tokens, and that run's peak resident memory (/usr/bin/time's %M), for the checkpoint
# read whole (Llama2c.load, -Dunroll.loadWhole=true: every tensor in F32 before the model packs them)
# against read tensor by tensor (Llama2c.open: each matrix read, packed and dropped), and llama.cpp on
# the same model's GGUF files when bench/vs-llamacpp.sh has made them (its work folder).
#
# Usage: bench/memory.sh [SHAPE]   (SHAPE: 15M or 110M, default 110M; the seeded checkpoint of that shape)
# Env: UNROLL_BENCH_WORK (default /tmp/unroll-vs-llamacpp), HEAPS (the -Xmx values tried, in MiB)
# Output: the table on stdout and in bench/results/memory-<shape>-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shape=${1:-110M}
work=${UNROLL_BENCH_WORK:-${TMPDIR:-/tmp}/unroll-vs-llamacpp}
heaps=${HEAPS:-160 200 256 320 400 512 640 800 1024 1280 1600 2048}
jar=$root/bench/target/benchmarks.jar
[[ -x /usr/bin/time ]] || { echo "memory.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[[ -f $jar ]] || { echo "memory.sh: $jar is missing: build it with mvn -B -q install -DskipTests" >&2; exit 2; }
mkdir -p "$work"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
model=$work/stories$shape-seeded.bin
[[ -f $model ]] || java -cp "$jar" dev.unroll.bench.llama.SeededCheckpoint "$shape" "$work" >/dev/null

unroll() { # format whole(true|false) xmx-MiB -> "peak-KiB ok|failed"
  local kib rc=0
  /usr/bin/time -o "$tmp/rss" -f '%M' java --add-modules jdk.incubator.vector -Xmx"$3"m -Dunroll.loadWhole="$2" -Dunroll.warmupSeconds=0 \
      -cp "$jar" dev.unroll.bench.llama.GreedyRun "$model" "$1" 16 1 >/dev/null 2>"$tmp/err" || rc=$?
  kib=$(tail -1 "$tmp/rss" | tr -cd '0-9')
  kib=${kib:-0}
  if [[ $rc != 0 ]] || grep -qE 'OutOfMemoryError|Exception' "$tmp/err" || ! [[ $kib =~ ^[0-9]+$ ]]; then
    echo "$kib failed"
  else
    echo "$kib ok"
  fi
}
smallest() { # format whole -> "the smallest -Xmx in MiB that decodes, and the peak RSS in MiB of that run", or "> last -"
  local h r
  for h in $heaps; do
    r=$(unroll "$1" "$2" "$h")
    if [[ $r == *ok ]]; then echo "$h $(( ${r%% *} / 1024 ))"; return; fi
  done
  echo "> ${heaps##* } -"
}

out=$root/bench/results/memory-$shape-$(date -u +%F).txt
{
  echo "# decode memory, $shape shape ($(du -m "$model" | cut -f1) MB file), $(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg); Java: $(java -version 2>&1 | head -1)"
  echo "# the smallest -Xmx of ($heaps MiB) that loads the model and decodes 16 tokens, and that run's peak RSS (/usr/bin/time %M)"
  printf '%-38s %14s %14s\n' "reader" "smallest -Xmx" "peak RSS MiB"
  for format in F32 BF16 Q8; do
    for whole in true false; do
      label="Unroll $format, $([[ $whole == true ]] && echo 'read whole (load)' || echo 'tensor by tensor (open)')"
      read -r heap rss <<<"$(smallest "$format" "$whole")"
      printf '%-38s %14s %14s\n' "$label" "$heap" "$rss"
    done
  done
  driver=$work/driver
  bins=$work/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64
  for gguf in "$work/stories$shape-f32.gguf" "$work/stories$shape-q8_0.gguf"; do
    if [[ -x $driver && -f $gguf ]]; then
      /usr/bin/time -o "$tmp/rss" -f '%M' "$driver" decode "$gguf" "$bins" 16 1 1 >/dev/null 2>&1 || true
      kib=$(tail -1 "$tmp/rss" | tr -cd '0-9')
      printf '%-38s %14s %14s\n' "llama.cpp $(basename "$gguf")" "-" "$(( ${kib:-0} / 1024 ))"
    fi
  done
} | tee "$out"
