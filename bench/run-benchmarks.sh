#!/usr/bin/env bash
# Runs the JMH suite and renders its report into perf-results/.
#
#   bench/run-benchmarks.sh quick [extra JMH options]   # every benchmark once, short iterations (~3 min)
#   bench/run-benchmarks.sh full  [extra JMH options]   # the annotations' settings, ring 65536 (~35 min)
#   bench/run-benchmarks.sh apply [extra JMH options]   # full settings, apply paths only, default configuration, without and with a linger (~20 min)
#   bench/run-benchmarks.sh pingpong [extra JMH options] # full settings, the ping-pong only, default JVM and tuned (~5 min)
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/run-benchmarks.sh full   # on another JDK
#
# Build first: ./mvnw -q package -pl bench -am -DskipTests
# Writes perf-results/<date>-jdk<N>-<cores>cores-<profile>.json, .txt (JMH's own output), .md and .png.
set -euo pipefail

profile=${1:-quick}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/bench/target/benchmarks.jar"
java=${JAVA:-java}

case "$profile" in
  quick) options=(-f 1 -wi 1 -i 2 -w 1s -r 1s -p ringSize=65536) ;;
  # Ring size 65536 unless RING_SIZES says otherwise (RING_SIZES=1024,65536 doubles the run).
  full)  options=(-p "ringSize=${RING_SIZES:-65536}") ;;
  # The write paths to APPLIED (single writes, batches, one or many producers, ping-pong in the default JVM and
  # in one tuned for latency, PingPongApplyLatencyTunedJvm) in the default
  # configuration: one consumer thread, the sleeping wait strategy, the builder's default ring of 4096 slots
  # (RING_SIZES overrides it); every EpochRing row without a linger and with the default one of 5 µs (EpochRingBuilder.linger).
  # Benchmarks without a parameter ignore it.
  apply) options=(-p "ringSize=${RING_SIZES:-4096}" -p threadingMode=SINGLE_THREAD -p waitStrategy=sleeping -p lingerMicros=0,5
                  'OneToOneApplyThroughput|TwoToOneApplyThroughput|BatchPublishThroughput|PingPongApplyLatency') ;;
  pingpong) options=(-p threadingMode=SINGLE_THREAD -p waitStrategy=sleeping 'PingPongApplyLatency') ;;
  *) echo "usage: $0 quick|full|apply|pingpong [JMH options]" >&2; exit 2 ;;
esac
if [[ ! -f "$jar" ]]; then
  echo "no $jar: build it first with  ./mvnw -q package -pl bench -am -DskipTests" >&2
  exit 1
fi

version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version =/ {print $2}')
if (( version >= 24 )); then
  # JDK 24+ warns about sun.misc.Unsafe memory access (JMH itself, Chronicle) and native access; JDK 17 refuses
  # these flags, so they cannot live in @Fork. The launcher reads JDK_JAVA_OPTIONS, and so do JMH's forks.
  export JDK_JAVA_OPTIONS="${JDK_JAVA_OPTIONS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
name="$(date +%Y-%m-%d)-jdk${version}-$(nproc)cores-${profile}"
mkdir -p "$root/perf-results"
cd "$root"   # JMH writes jmh.lock into java.io.tmpdir; results go where we say

# RoundTripProfiler: the latency benchmarks record every round trip, and the report reads their percentiles
# rather than JMH's SampleTime samples, whose halving buffer over-weights rare values (see RoundTrips).
"$java" -jar "$jar" "${options[@]}" -prof gc -prof io.epochring.bench.RoundTripProfiler -rf json -rff "perf-results/$name.json" "$@" | tee "perf-results/$name.txt"
"$java" -cp "$jar" io.epochring.bench.report.PerfReport "perf-results/$name.json" perf-results
