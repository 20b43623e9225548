#!/usr/bin/env bash
# Measures the generated kernels on TornadoVM's device against the JVM (DeviceBench: warm medians,
# kernel compilation reported apart) on the machine at hand: the OpenCL device of the TornadoVM SDK in
# $UNROLL_SHARED/tornadovm (PoCL on the CPU here). Builds the examples with their TornadoVM glue first.
# Usage: bench/tornadovm.sh [--warmup N] [--reps N] [attention] [streams] [trm] [transformer]
#        bench/tornadovm.sh counts     launches and bytes per call of every workload, and the GPU model (DeviceCounts)
# With no arguments: every workload timed, then the counts.
# Env: UNROLL_SHARED, the shared reference folder holding tornadovm/setup.sh (default ../shared); missing, exit 2
set -euo pipefail
cd "$(dirname "$0")/.."
setup=${UNROLL_SHARED:-../shared}/tornadovm/setup.sh # the shared reference folder beside the clone, or $UNROLL_SHARED
[[ -x $setup ]] || { echo "tornadovm.sh: $setup is missing: the TornadoVM SDK's setup script (set UNROLL_SHARED to the shared folder)" >&2; exit 2; }
env_lines=$("$setup") || { echo "tornadovm.sh: $setup failed" >&2; exit 2; }
eval "$env_lines"
mvn -B -q -Ptornadovm clean install -DskipTests -pl annotations,runtime,processor,generated-examples,tornadovm -am
cp="generated-examples/target/unroll-examples.jar:tornadovm/target/unroll-tornadovm-0.1.0-SNAPSHOT.jar"
java=("$TORNADO_JAVA" @"$TORNADO_ARGFILE" -Dtornado.recover.bailout=False ${DEVICE:+-Dunroll.tornado.device=$DEVICE} -cp "$cp")
if [[ "${1:-}" == counts ]]; then
  # launches and bytes per call, read from TornadoVM's own bytecode trace (a JVM of its own: the trace slows every execution)
  exec "${java[@]}" -Dtornado.print.bytecodes=True dev.unroll.tornadovm.DeviceCounts
fi
"${java[@]}" dev.unroll.tornadovm.DeviceBench "$@"
if [[ $# -eq 0 ]]; then
  "${java[@]}" -Dtornado.print.bytecodes=True dev.unroll.tornadovm.DeviceCounts | sed -n '/^GPU model/,$p'
fi
