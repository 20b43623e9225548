# Sourced by bench/memory.sh and bench/decode-speed.sh: llama.cpp's driver and the GGUF files of a seeded
# checkpoint, made as bench/vs-llamacpp.sh makes them (that script installs the prebuilt and builds the
# driver; run it once first). Needs: $work (the work folder), $jar (benchmarks.jar).
#   llamacpp_bins, llamacpp_driver   the prebuilt's backends folder and the driver
#   seeded_model SHAPE               the seeded checkpoint's path, written when missing
#   seeded_ggufs SHAPE               "F32.gguf Q8_0.gguf Q4_0.gguf", written when missing (GgufWriter, then the
#                                    driver's quantize: llama.cpp's llama_model_quantize); nothing when
#                                    the driver is missing
#   pin COMMAND...                   runs it on core 1 (taskset), or as it is without taskset
#   launcher_gc                      the unroll launcher's collector options, read from ./unroll
#   first_token_cmd JAR FORMAT GGUF [JVM options...]
#                                    one token from the command line on the file, pinned, as the launcher runs it
#                                    (its collector options; -Xmx$xmx, default 8g)
llamacpp_bins=$work/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64
llamacpp_driver=$work/driver
seeded_model() {
  local model=$work/stories$1-seeded.bin
  [[ -f $model ]] || java -cp "$jar" dev.unroll.bench.llama.SeededCheckpoint "$1" "$work" >/dev/null
  echo "$model"
}
seeded_ggufs() {
  local model f32=$work/stories$1-f32.gguf q8=$work/stories$1-q8_0.gguf q4=$work/stories$1-q4_0.gguf
  [[ -x $llamacpp_driver && -d $llamacpp_bins ]] || return 0
  model=$(seeded_model "$1")
  # the writer reads the checkpoint whole (1.1B: 4.1 GB of F32)
  [[ -f $f32 ]] || java -Xmx8g -cp "$jar" dev.unroll.bench.llama.GgufWriter "$model" "$work/tok32000.bin" "$f32" >/dev/null
  [[ -f $q8 ]] || "$llamacpp_driver" quantize "$f32" "$q8" >/dev/null 2>&1
  # pure: every matrix in Q4_0 (a mostly-Q4_0 file keeps its embedding in Q6_K, which Unroll does not read)
  [[ -f $q4 ]] || "$llamacpp_driver" quantize "$f32" "$q4" q4_0-pure >/dev/null 2>&1
  echo "$f32 $q8 $q4"
}
pin() { if command -v taskset >/dev/null; then taskset -c 1 "$@"; else "$@"; fi; }
launcher_gc=$(sed -n 's/^gc="\(.*\)"$/\1/p' "$root/unroll")
[[ -n $launcher_gc ]] || { echo "models.sh: no collector options (a line gc=\"...\") in $root/unroll" >&2; exit 2; }
first_token_cmd() {
  local jar=$1 format=$2 file=$3
  shift 3
  pin java --add-modules jdk.incubator.vector -Xmx"${xmx:-8g}" $launcher_gc "$@" -Dunroll.threads=1 -cp "$jar" \
    dev.unroll.cli.Unroll run transformer --model "$file" --format "$format" --tokens 1
}
