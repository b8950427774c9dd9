#!/usr/bin/env bash
# Measures Meshwork against the physical limit and its peers, and regenerates docs/benchmarks.md.
#
#   mesh-bench/run.sh            full run (about 20 min on 2 cores): JSON results, docs/benchmarks.md, docs/bench-*.png
#   mesh-bench/run.sh --quick    < 60 s once built: checks only that every client completes its calls; exits 1 if not
#   mesh-bench/run.sh --report   regenerates docs/benchmarks.md from mesh-bench/results/benchmarks.json
#   mesh-bench/run.sh --profile  full run with JFR recordings of the Meshwork client JVMs
#   mesh-bench/run.sh --only comparison,scenarios,heap,micro   some parts only; results under target/, docs untouched
#   mesh-bench/run.sh --scale [--sizes 100,1000,5000 --whole-sizes 100,1000 ...]   fleet simulation on a
#                                3-member etcd (about 20 min): mesh-bench/results/scale.json, see docs/scale.md
#
# Builds mesh-bench (and the modules it needs) when a source is newer than its jar, and installs
# HAProxy (the sidecar stand-in) with apt-get when it is missing and this user may.
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick|--profile) args+=("$1") ;;
    --report) args+=(--report-only mesh-bench/results/benchmarks.json) ;;
    --only) args+=(--only "$2"); shift ;;
    --scale) args+=(--scale) ;;
    --sizes|--whole-sizes|--instances|--calls|--per-connection|--per-worker|--out) args+=("$1" "$2"); shift ;;
    *) echo "usage: mesh-bench/run.sh [--quick | --report | --profile | --only comparison,scenarios,heap,micro | --scale]" >&2
       exit 2 ;;
  esac
  shift
done

if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then
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

exec java -Xmx1g -cp "$jar" io.meshwork.bench.harness.BenchMain --repo . "${args[@]}"
