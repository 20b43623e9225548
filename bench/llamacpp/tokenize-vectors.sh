#!/usr/bin/env bash
# llama.cpp's own token ids for the texts of runtime/src/test/resources/data/gguf-bpe/texts.json, each
# tokenized by a GGUF vocabulary written from a byte-level BPE tokenizer.json (GgufWriter vocab), for
# the runtime's GgufBpeTest: one <name>.json per row of the table below, in that folder, recording the
# GGUF file's keys and sha256 (the test writes the same bytes and checks the hash) and the ids.
#
#   llama.cpp: the node-llama-cpp prebuilt and bench/llamacpp/driver.c's `tokenize` command, built as
#     bench/vs-llamacpp.sh builds them (run that script once first, or point UNROLL_BENCH_WORK at its work
#     folder; the driver is built in a temporary folder); llama_tokenize with add_special and parse_special, as llama.cpp's command line tokenizes a prompt.
#   tiny-*: the repository's tiny-bytelevel tokenizer.json; the others: the hub tokenizers of
#     runtime/src/test/resources/data/tokenizers/README.md, from the folder given (<DIR>/<name>/tokenizer.json).
#
# Usage: bench/llamacpp/tokenize-vectors.sh HUB_TOKENIZERS_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
hub=${1:?usage: bench/llamacpp/tokenize-vectors.sh HUB_TOKENIZERS_DIR}
work=${UNROLL_BENCH_WORK:-${TMPDIR:-/tmp}/unroll-vs-llamacpp}
bins=$work/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64
src=$work/llama.cpp
[[ -d $bins && -f $src/include/llama.h ]] || { echo "no llama.cpp under $work: run bench/vs-llamacpp.sh once first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
driver=$tmp/driver # built afresh: the work folder's driver may be another checkout's
gcc -O2 -o "$driver" "$root/bench/llamacpp/driver.c" -I"$src/include" -I"$src/ggml/include" -L"$bins" \
    -l:"$(cd "$bins" && ls libllama.v*.so | head -1)" -l:"$(cd "$bins" && ls libggml.v*.so | head -1)" -l:libggml-base.so -Wl,-rpath,"$bins"
cp=${UNROLL_CP:-$root/bench/target/benchmarks.jar}
[[ -n ${UNROLL_CP:-} || -f $cp ]] || (cd "$root" && mvn -B -q install -DskipTests)
data=$root/runtime/src/test/resources/data/gguf-bpe
tiny=$root/runtime/src/test/resources/data/tokenizers/tiny-bytelevel/tokenizer.json
# name  tokenizer.json  tokenizer.ggml.pre  BOS  EOS  add_bos_token
rows="tiny-llama-bpe $tiny llama-bpe 286 287 true
tiny-qwen2 $tiny qwen2 286 287 false
tiny-smollm $tiny smollm 286 287 false
tiny-gpt-2 $tiny gpt-2 -1 287 false
llama3 $hub/llama3/tokenizer.json llama-bpe 128000 128001 true
qwen2_5 $hub/qwen2_5/tokenizer.json qwen2 151643 151645 false
gpt2 $hub/gpt2/tokenizer.json gpt-2 50256 50256 false
gpt2-smollm $hub/gpt2/tokenizer.json smollm 50256 50256 false"
count=$(jq length "$data/texts.json")
while read -r name tok pre bos eos addbos; do
  gguf=$tmp/$name.gguf
  java -cp "$cp" dev.unroll.bench.llama.GgufWriter vocab "$tok" "$pre" "$bos" "$eos" "$addbos" "$gguf" >/dev/null
  : >"$tmp/ids"
  for ((i = 0; i < count; i++)); do
    jq -j ".[$i]" "$data/texts.json" >"$tmp/text"
    "$driver" tokenize "$gguf" "$bins" "$tmp/text" >>"$tmp/ids"
  done
  jq -n --arg tok "${tok#"$root"/}" --arg pre "$pre" --argjson bos "$bos" --argjson eos "$eos" --argjson addbos "$addbos" \
    --arg sha "$(sha256sum "$gguf" | cut -d' ' -f1)" --slurpfile texts "$data/texts.json" --slurpfile ids "$tmp/ids" \
    '{tokenizer: ($tok | sub(".*/(?<n>[^/]+)/tokenizer.json$"; "\(.n)/tokenizer.json")), pre: $pre, bos: $bos, eos: $eos, add_bos: $addbos,
      gguf_sha256: $sha, vectors: [range($texts[0] | length) as $i | {text: $texts[0][$i], ids: $ids[$i]}]}' >"$data/$name.json"
  echo "$name: $(jq '.vectors | length' "$data/$name.json") texts"
done <<<"$rows"
