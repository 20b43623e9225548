#!/usr/bin/env bash
# Decode speed and time to first token of a seeded checkpoint, Unroll against llama.cpp, one thread, in one run.
#   Decode: greedy from BOS, POSITIONS positions, the warm median of RUNS generations in one process (GreedyRun;
#     llama.cpp: bench/llamacpp/driver.c's decode), pinned to core 1; each llama.cpp row interleaved A (llama.cpp),
#     B (Unroll), A again; Unroll BF16 has no llama.cpp partner (B alone, between the F32 and Q8 rows); Unroll Q4
#     against llama.cpp's Q4_0 file (its llama_model_quantize keeps the classifier in a wider type).
#   First token: a cold process on the same GGUF file (Unroll: `unroll run transformer --model FILE --format F
#     --tokens 1` as the launcher runs it, its collector options and a class-data archive of the command's classes written by an
#     untimed run before (the launcher writes one at its first run after a build; CDS=0: none), no UNROLL_JVM_OPTS: JVM start,
#     the file read tensor by tensor, the flavour
#     its work picks, one token, exit; BF16 from the F32 file; llama.cpp: the driver decoding 1 position, its file
#     mmap'd), timed from outside as the whole process's wall clock, interleaved A B A; the files are in the page
#     cache (read once before), not cold on disk.
# Each figure is printed with /proc/loadavg's 1-minute figure taken after it; tokens/s taken when it exceeds 1.5 are
# marked "loaded" (other work shared the 2 cores). llama.cpp's files are made as bench/vs-llamacpp.sh makes them
# (bench/llamacpp/models.sh; run vs-llamacpp.sh once to install the prebuilt and build the driver).
#
# Usage: bench/decode-speed.sh [SHAPE]   (15M, 110M or 1.1B, default 1.1B)
# Env: UNROLL_BENCH_WORK (default /tmp/unroll-vs-llamacpp), POSITIONS (default 32), RUNS (default 3),
#      COLD_RUNS (default 1: A B A per format), DECODE (default 1; 0: the first-token rows only), XMX (Unroll's -Xmx, default 8g),
#      CDS (default 1; 0: the first-token rows without a class-data archive),
#      UNROLL_JVM_OPTS (default -XX:+UseTransparentHugePages)
# Output: the table on stdout and in bench/results/speed-<shape>-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shape=${1:-1.1B}
work=${UNROLL_BENCH_WORK:-${TMPDIR:-/tmp}/unroll-vs-llamacpp}
positions=${POSITIONS:-32} runs=${RUNS:-3} cold_runs=${COLD_RUNS:-1} xmx=${XMX:-8g}
jvm_opts=${UNROLL_JVM_OPTS--XX:+UseTransparentHugePages}
jar=$root/bench/target/benchmarks.jar
[[ -f $jar ]] || { echo "decode-speed.sh: $jar is missing: build it with mvn -B -q install -DskipTests" >&2; exit 2; }
source "$root/bench/llamacpp/models.sh"
[[ -x $llamacpp_driver ]] || { echo "decode-speed.sh: $llamacpp_driver is missing: run bench/vs-llamacpp.sh once" >&2; exit 2; }
model=$(seeded_model "$shape")
read -r f32 q8 q4 <<<"$(seeded_ggufs "$shape")"
cat "$model" "$f32" "$q8" "$q4" >/dev/null # into the page cache

load() { cut -d' ' -f1 /proc/loadavg; }
rate() { # tok/s load -> "12.3 (load 1.2)" or "12.3 (load 1.7, loaded)"
  awk -v r="$1" -v l="$2" 'BEGIN { printf "%8.2f (load %4.2f%s)", r, l, (l > 1.5 ? ", loaded" : "") }'; }
llama_decode() { # gguf -> "tok/s load"
  local r; r=$(pin "$llamacpp_driver" decode "$1" "$llamacpp_bins" "$positions" 1 "$runs" 2>/dev/null | sed -n 's/^decode \([0-9.]*\)$/\1/p')
  echo "${r:-0} $(load)"; }
unroll_decode() { # format -> "tok/s load"
  local line r
  line=$(pin java --add-modules jdk.incubator.vector -Xmx"$xmx" $jvm_opts -Dunroll.threads=1 -cp "$jar" dev.unroll.bench.llama.GreedyRun \
    "$model" "$1" "$positions" "$runs" 2>/dev/null)
  echo "    $line" >&2
  r=$(sed -n 's/.*warm (median of [0-9]*) \([0-9.]*\) tok\/s wall.*/\1/p' <<<"$line")
  echo "${r:-0} $(load)"; }
wall() { # command... -> wall ms of the whole process
  local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || echo "    failed: $*" >&2; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
llama_first() { echo "$(wall pin "$llamacpp_driver" decode "$1" "$llamacpp_bins" 1 1 1) $(load)"; }
cds_dir=$(mktemp -d)
trap 'rm -rf "$cds_dir"' EXIT
unroll_first() { # format gguf -> "ms load": with the launcher's class-data archive, written by an untimed first run (CDS=0: none)
  local archive=$cds_dir/$1.jsa
  if [[ ${CDS:-1} == 0 ]]; then
    echo "$(wall first_token_cmd "$jar" "$1" "$2") $(load)"
    return
  fi
  [[ -f $archive ]] || first_token_cmd "$jar" "$1" "$2" -XX:ArchiveClassesAtExit="$archive" >/dev/null 2>&1 || true
  echo "$(wall first_token_cmd "$jar" "$1" "$2" -XX:SharedArchiveFile="$archive") $(load)"; }

out=$root/bench/results/speed-$shape$([[ ${DECODE:-1} == 0 ]] && echo -first-token || true)-$(date -u +%F).txt
{
  echo "# decode speed, $shape shape (seeded, $(du -m "$model" | cut -f1) MB F32 file), $(date -u '+%F %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# CPU: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(java -version 2>&1 | head -1); Unroll -Xmx$xmx ${jvm_opts}"
  echo "# one thread pinned to core 1; greedy from BOS, $positions positions, warm median of $runs in one process; A B A interleaved"
  [[ ${DECODE:-1} == 0 ]] && echo "# decode rows skipped (DECODE=0)"
  for pair in "F32 $f32" "BF16 -" "Q8 $q8" "Q4 $q4"; do
    [[ ${DECODE:-1} == 0 ]] && break
    set -- $pair
    if [[ $2 == - ]]; then
      read -r b bl <<<"$(unroll_decode "$1")"
      printf '%-24s %-44s Unroll %s\n' "decode $1 tok/s" "llama.cpp: (no BF16 run)" "$(rate "$b" "$bl")"
      continue
    fi
    read -r a1 l1 <<<"$(llama_decode "$2")"; read -r b bl <<<"$(unroll_decode "$1")"; read -r a2 l2 <<<"$(llama_decode "$2")"
    printf '%-24s llama.cpp %s, %s  Unroll %s  Unroll/llama.cpp %.2fx\n' "decode $1 tok/s" "$(rate "$a1" "$l1")" "$(rate "$a2" "$l2")" \
      "$(rate "$b" "$bl")" "$(awk -v a="$a1" -v c="$a2" -v b="$b" 'BEGIN { m = (a + c) / 2; print (m > 0 ? b / m : 0) }')"
  done
  echo "# time to first token: a cold process's wall clock (start, load, one token, exit) on the same GGUF file, ms; A B A interleaved, $cold_runs round(s); Unroll $([[ ${CDS:-1} == 0 ]] && echo "without" || echo "with") a class-data archive"
  for pair in "F32 $f32" "BF16 $f32" "Q8 $q8" "Q4 $q4"; do
    set -- $pair
    for ((r = 0; r < cold_runs; r++)); do
      read -r a1 l1 <<<"$(llama_first "$2")"; read -r b bl <<<"$(unroll_first "$1" "$2")"; read -r a2 l2 <<<"$(llama_first "$2")"
      printf '%-24s llama.cpp %s %6d ms (load %4.2f), %6d ms (load %4.2f)  Unroll %6d ms (load %4.2f)  Unroll/llama.cpp %.2fx\n' \
        "first token $1" "$(basename "$2")" "$a1" "$l1" "$a2" "$l2" "$b" "$bl" "$(awk -v a="$a1" -v c="$a2" -v b="$b" 'BEGIN { print (a + c > 0 ? 2 * b / (a + c) : 0) }')"
    done
  done
} 2>&1 | tee "$out"
