#!/usr/bin/env bash
# Memory of decoding a llama2.c checkpoint, per weight format, in one run: the smallest heap (-Xmx)
# that loads it and decodes 16 tokens, and that run's peak resident memory (/usr/bin/time's %M), for the checkpoint
# read whole (Llama2c.load, -Dunroll.loadWhole=true: every tensor in F32 before the model packs them)
# against read tensor by tensor (Llama2c.open: each matrix read, packed and dropped), and llama.cpp on
# the same model's GGUF files (F32, Q8_0 and Q4_0 by llama.cpp's own quantizer), made here as bench/vs-llamacpp.sh
# makes them (bench/llamacpp/models.sh) when its driver is built; Unroll's Q8 and Q4 also run those Q8_0 and Q4_0 files
# (unroll run transformer --model FILE.gguf: read on demand, the blocks packed as they are, the tied table's codes
# serving the lookups).
#
# Usage: bench/memory.sh [SHAPE]   (SHAPE: 15M, 110M or 1.1B, default 110M; the seeded checkpoint of that shape)
# Env: UNROLL_BENCH_WORK (default /tmp/unroll-vs-llamacpp), HEAPS (the -Xmx values tried, in MiB; by default
#      per shape), WHOLE (1: also the "read whole" rows at 1.1B, skipped there by default: every tensor in F32
#      at once is 4.1 GB before packing, and each failed heap would read it again), FORMATS (the checkpoint's
#      formats, default "F32 BF16 Q8 Q4"; empty: the GGUF rows only), JAVA_GC (collector options for Unroll's JVMs,
#      e.g. "-XX:+UseSerialGC -XX:MaxNewSize=32m", the launcher's; default: the JVM's default, G1), OUT (the results file; default
#      bench/results/memory-<shape>[-<collector>]-<date>.txt)
# Output: the table on stdout and in bench/results/memory-<shape>-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shape=${1:-110M}
work=${UNROLL_BENCH_WORK:-${TMPDIR:-/tmp}/unroll-vs-llamacpp}
case $shape in
  1.1B) default_heaps="700 750 800 850 900 950 1000 1050 1100 1150 1200 1250 1300 1350 1400 1450 1500 1550 1600 1650 1700 1750 1800 1900
    2048 2300 2400 2500 2600 2700 2800 2900 3200 3600 4096 4150 4200 4300 4400 4500 4600 4800 5120 6144" whole_rows=${WHOLE:-0} ;;
  *) default_heaps="96 112 128 144 160 176 192 208 224 240 256 288 320 352 384 416 448 480 512 544 576 608 640 704 768 832 896 1024
    1280 1600 2048" whole_rows=${WHOLE:-1} ;;
esac
heaps=${HEAPS:-$default_heaps}
jar=$root/bench/target/benchmarks.jar
[[ -x /usr/bin/time ]] || { echo "memory.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[[ -f $jar ]] || { echo "memory.sh: $jar is missing: build it with mvn -B -q install -DskipTests" >&2; exit 2; }
mkdir -p "$work"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$root/bench/llamacpp/models.sh"
model=$(seeded_model "$shape")
ggufs=$(seeded_ggufs "$shape")

# the weights as stored at run time, MiB (the header's dims; panels padded to 64 rows ignored): matrices in the
# format (Q8: a byte and a quarter-byte scale share per weight), the tied classifier's table in F32 panels for F32,
# else an F32 embedding table beside it, norms in F32; the issue's target: peak RSS <= 1.2 x that + 150 MB
read -r d f L h hk V _ <<<"$(od -An -t d4 -w28 -N 28 "$model")"
stored() { # format [gguf] -> MiB (gguf: a file's blocks, whose tied table serves the lookups: no F32 table)
  awk -v fmt="$1" -v gguf="${2:-}" -v d="$d" -v f="$f" -v L="$L" -v kv=$(( hk * d / h )) -v V="$V" 'BEGIN {
    m = L * (2 * d * d + 2 * kv * d + 3 * f * d) + V * d; per = fmt == "F32" ? 4 : fmt == "BF16" ? 2 : fmt == "Q4" ? 0.5 + 4 / 32 : 1 + 4 / 32
    b = m * per + 4 * ((fmt == "F32" || gguf != "" ? 0 : V * d) + (2 * L + 1) * d); printf "%d", b / 1048576 }'; }
target() { awk -v w="$1" -v r="$2" 'BEGIN { l = 1.2 * w + 150e6 / 1048576; printf "%d %s", l, ((r != "-" && r <= l) ? "met" : "not met") }'; }

unroll() { # format whole(true|false) xmx-MiB -> "peak-KiB ok|failed"
  local kib rc=0
  /usr/bin/time -o "$tmp/rss" -f '%M' java --add-modules jdk.incubator.vector -Xmx"$3"m ${JAVA_GC:-} -Dunroll.loadWhole="$2" -Dunroll.warmupSeconds=0 \
      -cp "$jar" dev.unroll.bench.llama.GreedyRun "$model" "$1" 16 1 >/dev/null 2>"$tmp/err" || rc=$?
  kib=$(tail -1 "$tmp/rss" | tr -cd '0-9')
  kib=${kib:-0}
  if [[ $rc != 0 ]] || grep -qE 'OutOfMemoryError|Exception' "$tmp/err" || ! [[ $kib =~ ^[0-9]+$ ]]; then
    echo "$kib failed"
  else
    echo "$kib ok"
  fi
}
unroll_gguf() { # file xmx-MiB -> "peak-KiB ok|failed": the command line on a GGUF file, its block format's model
  local kib rc=0
  /usr/bin/time -o "$tmp/rss" -f '%M' java --add-modules jdk.incubator.vector -Xmx"$2"m ${JAVA_GC:-} -cp "$jar" dev.unroll.cli.Unroll run transformer \
      --model "$1" --tokens 16 >"$tmp/out" 2>"$tmp/err" || rc=$?
  kib=$(tail -1 "$tmp/rss" | tr -cd '0-9')
  kib=${kib:-0}
  if [[ $rc != 0 ]] || grep -qE 'OutOfMemoryError|Exception' "$tmp/err" || ! grep -q 'the file.s blocks as they are' "$tmp/out"; then
    echo "$kib failed"
  else
    echo "$kib ok"
  fi
}
smallest_gguf() { # file -> as smallest
  local h r
  for h in $heaps; do
    r=$(unroll_gguf "$1" "$h")
    if [[ $r == *ok ]]; then echo "$h $(( ${r%% *} / 1024 ))"; return; fi
  done
  echo "> ${heaps##* } -"
}
smallest() { # format whole -> "the smallest -Xmx in MiB that decodes, and the peak RSS in MiB of that run", or "> last -"
  local h r
  for h in $heaps; do
    r=$(unroll "$1" "$2" "$h")
    if [[ $r == *ok ]]; then echo "$h $(( ${r%% *} / 1024 ))"; return; fi
  done
  echo "> ${heaps##* } -"
}

out=${OUT:-$root/bench/results/memory-$shape${JAVA_GC:+-$(tr -cd 'A-Za-z0-9' <<<"${JAVA_GC#-XX:+Use}")}-$(date -u +%F).txt}
{
  echo "# decode memory, $shape shape ($(du -m "$model" | cut -f1) MB file), $(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg); Java: $(java -version 2>&1 | head -1); collector: ${JAVA_GC:-default (G1)}"
  echo "# the smallest -Xmx of ($heaps MiB) that loads the model and decodes 16 tokens, and that run's peak RSS (/usr/bin/time %M)"
  echo "# weights MiB: as stored at run time; target: 1.2 x weights + 150 MB; load: /proc/loadavg's 1-minute figure after the row"
  printf '%-38s %14s %14s %12s %12s %8s %6s\n' "reader" "smallest -Xmx" "peak RSS MiB" "weights MiB" "target MiB" "" "load"
  wholes="true false"
  if [[ $whole_rows != 1 ]]; then
    wholes=false
    echo "# read whole (Llama2c.load) skipped at $shape: every tensor in F32 at once before packing, read again for each heap tried (WHOLE=1 runs it)"
  fi
  for format in ${FORMATS-F32 BF16 Q8 Q4}; do
    for whole in $wholes; do
      label="Unroll $format, $([[ $whole == true ]] && echo 'read whole (load)' || echo 'tensor by tensor (open)')"
      read -r heap rss <<<"$(smallest "$format" "$whole")"
      w=$(stored "$format")
      read -r limit met <<<"$(target "$w" "$rss")"
      [[ $whole == true ]] && met=""
      printf '%-38s %14s %14s %12s %12s %8s %6s\n' "$label" "$heap" "$rss" "$w" "$limit" "$met" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
  read -r _ q8_gguf q4_gguf <<<"$ggufs"
  for pair in "Q8 ${q8_gguf:-}" "Q4 ${q4_gguf:-}"; do
    set -- $pair
    [[ -n ${2:-} && -f ${2:-} ]] || continue
    read -r heap rss <<<"$(smallest_gguf "$2")"
    w=$(stored "$1" gguf)
    read -r limit met <<<"$(target "$w" "$rss")"
    printf '%-38s %14s %14s %12s %12s %8s %6s\n' "Unroll $1, GGUF $(basename "$2" .gguf | sed "s/.*-//") (on demand)" "$heap" "$rss" "$w" "$limit" "$met" "$(cut -d' ' -f1 /proc/loadavg)"
  done
  for gguf in $ggufs; do
    if [[ -f $gguf ]]; then
      /usr/bin/time -o "$tmp/rss" -f '%M' "$llamacpp_driver" decode "$gguf" "$llamacpp_bins" 16 1 1 >/dev/null 2>&1 || true
      kib=$(tail -1 "$tmp/rss" | tr -cd '0-9')
      printf '%-38s %14s %14s %12s %12s %8s %6s\n' "llama.cpp $(basename "$gguf")" "-" "$(( ${kib:-0} / 1024 ))" \
        "$(( $(stat -c %s "$gguf") / 1048576 ))" "" "" "$(cut -d' ' -f1 /proc/loadavg)"
    fi
  done
} | tee "$out"
