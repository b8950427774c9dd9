#!/usr/bin/env bash
# The README's commands, on a fresh Debian machine with a JDK 17 and on CI:
#
#   ./build.sh test       installs the Debian packages the tests use when missing (test-packages.txt),
#                         then runs every test through the Maven wrapper: ./mvnw -B verify
#   ./build.sh demo       builds what the demo needs and runs it (mesh-examples)
#   ./build.sh packages   only installs the missing packages
#
# Arguments after the command go to Maven, such as `./build.sh test -pl mesh-core -am`.
# Installing needs root and apt-get; anywhere else the missing packages are named and nothing runs.
set -euo pipefail
cd "$(dirname "$0")"

# The packages of test-packages.txt whose command is not here.
missing_packages() {
  local package probe
  while read -r package probe; do
    case "$package" in ''|'#'*) continue ;; esac
    if [[ "$probe" == /* ]]; then
      [ -x "$probe" ] || echo "$package"
    else
      command -v "$probe" >/dev/null || echo "$package"
    fi
  done < test-packages.txt
}

install_packages() {
  local missing
  missing=$(missing_packages | xargs)
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "The tests need these Debian packages, which are missing: $missing" >&2
    echo "Install them (as root: apt-get install -y $missing) and run this again." >&2
    exit 1
  fi
  echo "installing: $missing"
  # Tests start their own nginx, etcd and haproxy: no package may start a system service meanwhile.
  local policy=/usr/sbin/policy-rc.d saved=""
  if [ -e "$policy" ]; then
    saved=$(mktemp)
    cp -p "$policy" "$saved"
  fi
  trap 'restore_policy "$saved"' EXIT
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  restore_policy "$saved"
  trap - EXIT
  missing=$(missing_packages | xargs)
  if [ -n "$missing" ]; then
    echo "still missing after apt-get install: $missing (see test-packages.txt)" >&2
    exit 1
  fi
}

restore_policy() {
  if [ -n "$1" ]; then
    mv "$1" /usr/sbin/policy-rc.d
  else
    rm -f /usr/sbin/policy-rc.d
  fi
}

check_jdk() {
  if ! command -v javac >/dev/null && [ -z "${JAVA_HOME:-}" ]; then
    echo "A JDK 17 or newer is needed (Debian: apt-get install openjdk-17-jdk-headless)." >&2
    exit 1
  fi
}

command=${1:-}
[ $# -eq 0 ] || shift
case "$command" in
  test)
    check_jdk
    install_packages
    exec ./mvnw -B verify "$@"
    ;;
  demo)
    check_jdk
    # The demo needs no outside tool; javadoc and source jars are not needed to run it.
    exec ./mvnw -B -q -pl mesh-examples -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
      package exec:java "$@"
    ;;
  packages)
    install_packages
    ;;
  *)
    echo "usage: ./build.sh test | demo | packages [maven arguments]" >&2
    exit 2
    ;;
esac
