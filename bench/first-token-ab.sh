#!/usr/bin/env bash
# Time to first token of two builds, interleaved in one run: a cold process of the command line on a GGUF
# file (`unroll run transformer --model FILE --format F --tokens 1`, the launcher's collector options and a
# class-data archive of each jar's own, written by an untimed run first; CDS=0: none; CDS_A=0 or CDS_B=0:
# none for that side, e.g. the same jar as A and B to measure the archive itself), pinned to one core,
# A B A B ... A, wall clock of the whole process. For a change to startup or loading: build A, copy
# bench/target/benchmarks.jar aside, build B.
#
# Usage: bench/first-token-ab.sh A.jar B.jar [FILE.gguf] [FORMAT] [ROUNDS]
#   defaults: the 110M shape's Q8_0 file of bench/llamacpp/models.sh (UNROLL_BENCH_WORK, default
#   /tmp/unroll-vs-llamacpp; run bench/vs-llamacpp.sh once), Q8, 3 rounds
# Output: one line per process (ms, load), then the medians and B/A; also in bench/results/first-token-ab-<date>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
a=$1 b=$2
work=${UNROLL_BENCH_WORK:-${TMPDIR:-/tmp}/unroll-vs-llamacpp}
file=${3:-$work/stories110M-q8_0.gguf} format=${4:-Q8} rounds=${5:-3}
for f in "$a" "$b" "$file"; do [[ -f $f ]] || { echo "first-token-ab.sh: $f is missing" >&2; exit 2; }; done
source "$root/bench/llamacpp/models.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmd() { # jar [JVM options...]
  local jar=$1; shift
  first_token_cmd "$jar" "$format" "$file" "$@" >/dev/null 2>&1; }
cds_a=${CDS_A:-${CDS:-1}} cds_b=${CDS_B:-${CDS:-1}}
opts() { # A|B -> the archive options
  local on=$cds_a; [[ $1 == B ]] && on=$cds_b
  [[ $on == 0 ]] || echo "-XX:SharedArchiveFile=$tmp/$1.jsa"; }
wall() { local t0; t0=$(date +%s%N); "$@" || echo "failed: $*" >&2; echo $(( ($(date +%s%N) - t0) / 1000000 )); }
cat "$file" >/dev/null
[[ $cds_a == 0 ]] || cmd "$a" -XX:ArchiveClassesAtExit="$tmp/A.jsa" || true
[[ $cds_b == 0 ]] || cmd "$b" -XX:ArchiveClassesAtExit="$tmp/B.jsa" || true
out=$root/bench/results/first-token-ab-$(date -u +%F).txt
{
  echo "# first token, cold process, $(basename "$file") $format, A=$a B=$b, $(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $(java -version 2>&1 | head -1); one core (taskset -c 1); class-data archive: A $([[ $cds_a == 0 ]] && echo none || echo "its own"), B $([[ $cds_b == 0 ]] && echo none || echo "its own")"
  as=() bs=()
  for ((r = 0; r < rounds; r++)); do
    t=$(wall cmd "$a" $(opts A)); as+=("$t"); echo "A $t ms (load $(cut -d' ' -f1 /proc/loadavg))"
    t=$(wall cmd "$b" $(opts B)); bs+=("$t"); echo "B $t ms (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  t=$(wall cmd "$a" $(opts A)); as+=("$t"); echo "A $t ms (load $(cut -d' ' -f1 /proc/loadavg))"
  median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
  ma=$(median "${as[@]}") mb=$(median "${bs[@]}")
  echo "median A $ma ms ($(tr ' ' ',' <<<"${as[*]}")), B $mb ms ($(tr ' ' ',' <<<"${bs[*]}")), B/A $(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", b / a }')"
} | tee -a "$out"
