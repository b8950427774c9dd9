#!/usr/bin/env bash
# Measures Meshwork against the physical limit and its peers, and regenerates docs/benchmarks.md.
#
#   mesh-bench/run.sh            full run (about 20 min on 2 cores): JSON results, docs/benchmarks.md, docs/bench-*.png
#   mesh-bench/run.sh --quick    < 60 s once built: checks only that every client completes its calls; exits 1 if not
#   mesh-bench/run.sh --report   regenerates docs/benchmarks.md from mesh-bench/results/benchmarks.json
#   mesh-bench/run.sh --profile  full run with JFR recordings of the Meshwork client JVMs
#   mesh-bench/run.sh --only comparison,scenarios,heap,paired,micro   some parts only; results under target/, docs untouched
#   mesh-bench/run.sh --scale [--sizes 100,1000,5000 --whole-sizes 100,1000 ...]   fleet simulation on a
#                                3-member etcd (about 20 min): mesh-bench/results/scale.json, see docs/scale.md
#   mesh-bench/run.sh --soak [minutes] [--publish]   soak outside CI (10 min unless told): 80% of the measured
#                                maximum over mTLS with certificate rotations and server restarts; exits 1 on any
#                                error, leak or heap growth. 10 min or more (or --publish) updates
#                                mesh-bench/results/soak.json and docs/reliability.md; see docs/reliability.md
#
# Builds mesh-bench (and the modules it needs) when a source is newer than its jar, and installs
# HAProxy (the sidecar stand-in) with apt-get when it is missing and this user may.
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
jvm=(-Xmx1g)
soak=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick|--profile) args+=("$1") ;;
    --report) args+=(--report-only mesh-bench/results/benchmarks.json) ;;
    --only) args+=(--only "$2"); shift ;;
    --scale) args+=(--scale) ;;
    --soak)
      args+=(--soak); soak=1
      if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]]; then args+=(--minutes "$2"); shift; fi
      # Paranoid leak detection from the JVM's start; the soak also proves it counts (a dropped buffer).
      jvm+=(-XX:+UseG1GC -Dio.netty.leakDetection.level=paranoid) ;;
    --publish) args+=(--publish) ;;
    --sizes|--whole-sizes|--instances|--calls|--per-connection|--per-worker|--out) args+=("$1" "$2"); shift ;;
    *) echo "usage: mesh-bench/run.sh [--quick | --report | --profile | --only comparison,scenarios,heap,paired,micro | --scale | --soak [minutes] [--publish]]" >&2
       exit 2 ;;
  esac
  shift
done

# The soak calls Meshwork servers only: no sidecar.
if [ -z "$soak" ] && ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing haproxy (the sidecar stand-in)"
    # Keep the package from starting a system-wide haproxy: the benchmark starts its own.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
    rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  else
    echo "haproxy is missing and cannot be installed here (Debian package haproxy): the sidecar path, and so the run, will fail" >&2
  fi
fi

jar=mesh-bench/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml mesh-core mesh-netty mesh-etcd mesh-bench -newer "$jar" \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -not -path '*/target/*' \
      -print -quit)" ]; then
  echo "building mesh-bench"
  ./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl mesh-bench -am package
fi

exec java "${jvm[@]}" -cp "$jar" io.meshwork.bench.harness.BenchMain --repo . "${args[@]}"
