#!/usr/bin/env bash
# The TornadoVM measurement on a GPU machine that has neither Java nor TornadoVM (an NVIDIA driver and
# its OpenCL ICD expected, nothing else), in two halves:
#
#   bench/gpu.sh pack   here: builds the examples with their TornadoVM glue, a JDK 25 runtime image
#                       (jlink, with jdk.internal.vm.ci) and a trimmed copy of the TornadoVM SDK in
#                       $UNROLL_SHARED/tornadovm, and packs them into .gpu/bundle.tar.gz (about 45 MB)
#   bench/gpu.sh run    there (or here, as a rehearsal on PoCL): unpacks the bundle, lists the OpenCL
#                       devices, picks the first GPU (or DEVICE=B:D), runs DeviceBench and DeviceCounts on it,
#                       and writes gpu-machine.txt, gpu-bench.md and gpu-counts.md to $OUT (or .gpu/out)
#   bench/gpu.sh check  there: the same device, DeviceChecks for every family (attention in chunks and as
#                       many streams, TRM, decoders), written to gpu-checks.log
#
# Each half there stays under 10 minutes (timeouts: run 6 + 2 1/2 minutes, check 8 minutes): kernel
# compilation is most of it.
# Env: UNROLL_SHARED, the shared reference folder holding tornadovm/setup.sh (default ../shared); pack
# exits 2 when the setup script is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
bundle=.gpu/bundle.tar.gz

pack() {
  local setup=${UNROLL_SHARED:-../shared}/tornadovm/setup.sh env_lines
  [[ -x $setup ]] || { echo "gpu.sh: $setup is missing: the TornadoVM SDK's setup script (set UNROLL_SHARED to the shared folder)" >&2; exit 2; }
  env_lines=$("$setup") || { echo "gpu.sh: $setup failed" >&2; exit 2; }
  eval "$env_lines"
  mvn -B -q -Ptornadovm clean install -DskipTests -pl annotations,runtime,processor,generated-examples,tornadovm -am
  stage="$(mktemp -d)"
  "$TORNADO_JDK/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.internal.vm.ci,jdk.incubator.vector \
    --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$stage/jdk"
  mkdir -p "$stage/sdk"
  cp -r "$TORNADOVM_HOME"/. "$stage/sdk/"
  chmod -R u+w "$stage/sdk"
  # what runs nothing of ours: examples, tests, benchmarks, Truffle
  rm -f "$stage"/sdk/share/java/graalJars/truffle-api-*.jar \
        "$stage"/sdk/share/java/tornado/tornado-{benchmarks,examples,unittests,fuzz}-*.jar "$stage"/sdk/share/java/tornado/lucene-core-*.jar
  mkdir -p "$stage/app"
  cp generated-examples/target/unroll-examples.jar tornadovm/target/unroll-tornadovm-0.1.0-SNAPSHOT.jar "$stage/app/"
  mkdir -p .gpu
  tar -C "$stage" -cf - jdk sdk app | gzip -1 > "$bundle"
  rm -rf "$stage"
  ls -l "$bundle"
}

run() {
  unpack
  timeout 360 "${java[@]}" ${device:+-Dunroll.tornado.device=$device} -cp "$cp" dev.unroll.tornadovm.DeviceBench --warmup 3 --reps 7 \
    2>&1 | tee "$out/gpu-bench.md" || true
  # the counts read TornadoVM's trace: the whole output is kept, so that a failure shows
  timeout 150 "${java[@]}" ${device:+-Dunroll.tornado.device=$device} -Dtornado.print.bytecodes=True -cp "$cp" dev.unroll.tornadovm.DeviceCounts \
    > "$out/gpu-counts.log" 2>&1 || echo "gpu.sh: DeviceCounts failed, see $out/gpu-counts.log" >&2
  sed -n '/^GPU model/,$p' "$out/gpu-counts.log" | tee "$out/gpu-counts.md"
}

check() {
  unpack
  timeout 480 "${java[@]}" ${device:+-Dunroll.tornado.device=$device} -cp "$cp" dev.unroll.tornadovm.DeviceChecks \
    2>&1 | tee "$out/gpu-checks.log" || true
}

# unpacks the bundle and picks the device: sets out, home, java, device and cp
unpack() {
  [[ -f $bundle ]] || { echo "no $bundle: run bench/gpu.sh pack first (and carry .gpu)" >&2; exit 2; }
  out="${OUT:-$root/.gpu/out}"
  mkdir -p "$out"
  home="$(mktemp -d)"
  tar -C "$home" -xzf "$bundle"
  sed "s#\${TORNADOVM_HOME}#$home/sdk#g" "$home/sdk/tornado-argfile.template" > "$home/tornado-argfile"
  java=("$home/jdk/bin/java" "@$home/tornado-argfile" -Dtornado.recover.bailout=False)
  { nvidia-smi -L || true; ls /etc/OpenCL/vendors || true; } 2>&1 | tee "$out/gpu-machine.txt"
  "${java[@]}" uk.ac.manchester.tornado.drivers.TornadoDeviceQuery verbose 2>&1 | tee -a "$out/gpu-machine.txt"
  device="${DEVICE:-}"
  if [[ -z "$device" ]]; then
    # the first device TornadoVM lists with GPU in its description
    device="$(grep -E 'Tornado device=[0-9]+:[0-9]+' "$out/gpu-machine.txt" | grep -i -m1 'gpu\|nvidia\|geforce\|tesla\|h100\|h200\|a100' \
      | sed -E 's/.*Tornado device=([0-9]+:[0-9]+).*/\1/' || true)"
  fi
  echo "device: ${device:-the default of TornadoVM}" | tee -a "$out/gpu-machine.txt"
  cp="$home/app/unroll-examples.jar:$home/app/unroll-tornadovm-0.1.0-SNAPSHOT.jar"
}

case "${1:-}" in
  pack) pack ;;
  run) run ;;
  check) check ;;
  *) echo "usage: bench/gpu.sh pack|run|check" >&2; exit 2 ;;
esac
