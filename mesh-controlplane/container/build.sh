#!/usr/bin/env bash
# Builds the container image of the control plane, meshwork/controlplane:<version>, with podman:
#
#   ./mvnw -B -pl mesh-controlplane -am -DskipTests package    # the jars, and target/container/classpath.txt
#   mesh-controlplane/container/build.sh [--jdk DIR] [--tag NAME:TAG] [--context-only]
#
# No base image is pulled: the runtime is made here by jlink from the JDK (--jdk, else JAVA_HOME, else the
# javac on the PATH), with the modules jdeps finds in the jars plus jdk.crypto.ec (the EC keys and TLS of
# the CA and mTLS), and the shared libraries ldd lists for it and for Netty's native libraries are copied
# beside it. The image is for this machine's platform, as the runtime is. Work files and caches (the jdeps
# answer, the runtime) live in mesh-controlplane/target/container; so does containers.conf, the podman
# settings that work on machines like CI's (runc, cgroupfs, no default ulimits): run the image with
# CONTAINERS_CONF=mesh-controlplane/target/container/containers.conf there.
#
# --context-only assembles the build context and prints its path without building (docker build -f
# <context>/Containerfile <context> builds the same image). The last line printed is the image and its size.
set -euo pipefail

module=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$module")
work="$module/target/container"
jdk=${JAVA_HOME:-}
tag=""
context_only=false

fail() {
  echo "container/build.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) [ $# -ge 2 ] || fail "--jdk: no value (expected: --jdk <JDK directory>)"; jdk=$2; shift 2 ;;
    --tag) [ $# -ge 2 ] || fail "--tag: no value (expected: --tag <name:tag>)"; tag=$2; shift 2 ;;
    --context-only) context_only=true; shift ;;
    *) fail "$1: unknown option (expected: --jdk DIR, --tag NAME:TAG, --context-only)" ;;
  esac
done

if [ -z "$jdk" ]; then
  javac=$(command -v javac) || fail "no JDK: give --jdk <dir> or JAVA_HOME (Debian: apt-get install openjdk-17-jdk-headless)"
  jdk=$(dirname "$(dirname "$(readlink -f "$javac")")")
fi
for tool in jlink jdeps jar; do
  [ -x "$jdk/bin/$tool" ] || fail "$jdk/bin/$tool is missing (expected: --jdk naming a full JDK, not a JRE)"
done
[ -f "$jdk/release" ] || fail "$jdk/release is missing (expected: --jdk naming a JDK's home directory)"
if ! $context_only; then
  command -v podman >/dev/null || fail "podman is missing (Debian: apt-get install -y --no-install-recommends podman runc)"
fi

# The jars: the control plane's own and its runtime dependencies, as Maven resolved them.
classpath_file="$work/classpath.txt"
[ -f "$classpath_file" ] || fail "$classpath_file is missing: run ./mvnw -B -pl mesh-controlplane -am -DskipTests package first"
shopt -s nullglob
own=("$module"/target/mesh-controlplane-*.jar)
shopt -u nullglob
jars=()
for jar in "${own[@]}"; do
  case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) jars+=("$jar") ;; esac
done
[ ${#jars[@]} -eq 1 ] || fail "expected one target/mesh-controlplane-<version>.jar, found: ${jars[*]:-none} (run ./mvnw clean package)"
version=$(basename "${jars[0]}" .jar)
version=${version#mesh-controlplane-}
tag=${tag:-localhost/meshwork/controlplane:$version}

# Native code of other platforms is left out: this image runs on this machine's.
case "$(uname -m)" in
  x86_64) platform=linux-x86_64 ;;
  aarch64) platform=linux-aarch_64 ;;
  *) platform=linux-$(uname -m) ;;
esac
native_jars=()
# One line without a newline at its end: read answers 1 at the end of the file, having read it.
IFS=: read -r -a dependencies < "$classpath_file" || [ ${#dependencies[@]} -gt 0 ]
for jar in "${dependencies[@]}"; do
  [ -n "$jar" ] || continue
  [ -f "$jar" ] && [[ "$jar" == *.jar ]] || fail "$jar (from $classpath_file) is not a jar file: run the package phase again"
  case "$(basename "$jar")" in
    *-linux-*.jar|*-osx-*.jar|*-windows-*.jar)
      [[ "$(basename "$jar")" == *"-$platform.jar" ]] || continue
      native_jars+=("$jar")
      ;;
  esac
  jars+=("$jar")
done
duplicates=$(for jar in "${jars[@]}"; do basename "$jar"; done | sort | uniq -d)
[ -z "$duplicates" ] || fail "two jars of one file name: $duplicates"

mkdir -p "$work/cache"
java_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release")
feature=${java_version%%.*}
script_digest=$(sha256sum "$0" | cut -d' ' -f1)

# The modules the jars use, as jdeps finds them (cached by the jars' content).
jars_digest=$( (echo "$jdk $java_version"; sha256sum "${jars[@]}" | cut -d' ' -f1) | sha256sum | cut -d' ' -f1)
modules_file="$work/cache/modules-$jars_digest"
if [ ! -s "$modules_file" ]; then
  echo "jdeps: the modules of ${#jars[@]} jars"
  modules=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$feature" "${jars[@]}" | tail -n 1)
  [[ "$modules" == java.base* ]] || fail "jdeps printed no module list: $modules"
  # jdk.crypto.ec: the SunEC provider (EC keys, ECDHE and ECDSA in TLS), found through the security
  # providers' configuration, never by a class reference jdeps could see.
  echo "$modules,jdk.crypto.ec" > "$modules_file"
fi
modules=$(cat "$modules_file")

# The root file system: the runtime, its shared libraries and the few files of /etc (cached by the JDK,
# the modules, the native jars and this script).
rootfs_digest=$( (echo "$jdk $java_version $modules $script_digest"; [ ${#native_jars[@]} -eq 0 ] \
  || sha256sum "${native_jars[@]}" | cut -d' ' -f1) | sha256sum | cut -d' ' -f1)
rootfs="$work/cache/rootfs-$rootfs_digest"
if [ ! -d "$rootfs" ]; then
  rm -rf "$work"/cache/rootfs-* "$work/cache/staging"
  staging="$work/cache/staging"
  mkdir -p "$staging/opt" "$staging/etc"
  echo "jlink: $modules"
  # AWT, Java2D, fonts and sound come with java.desktop (java.beans is in it) but are never loaded by a
  # server: leaving their native libraries out leaves out X11, freetype and ALSA too.
  compress=2 # zip; JDK 21 names it zip-6 and deprecates the number
  [ "$feature" -lt 21 ] || compress=zip-6
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress="$compress" \
    --exclude-files='regex:.*/lib/(libawt.*|libfontmanager|libjawt|libjavajpeg|liblcms|libmlib_image|libsplashscreen|libjsound)\.so' \
    --output "$staging/opt/java"
  natives="$work/cache/natives"
  rm -rf "$natives" && mkdir -p "$natives"
  for jar in "${native_jars[@]}"; do
    (cd "$natives" && "$jdk/bin/jar" xf "$jar" META-INF/native)
  done
  # Every shared library the runtime and the native code link, at the path ldd found it, and the loader.
  mapfile -t libraries < <(find "$staging/opt/java" "$natives" -type f \( -name '*.so' -o -path '*/bin/java' \) \
    -exec ldd {} \; 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
  [ ${#libraries[@]} -gt 0 ] || fail "ldd listed no shared library"
  for library in "${libraries[@]}"; do
    case "$library" in "$work"/*) continue ;; esac # the runtime's own, found by their RUNPATH
    mkdir -p "$staging$(dirname "$library")"
    cp -L "$library" "$staging$library"
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' \
    > "$staging/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$staging/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$staging/etc/nsswitch.conf"
  mkdir -p "$staging/tmp" "$staging/var/lib" && chmod 1777 "$staging/tmp"
  mv "$staging" "$rootfs"
fi

# The build context: the root file system, the jars (third-party ones apart from Meshwork's own), an
# empty owner-only data directory, and the Containerfile.
context="$work/context"
rm -rf "$context"
mkdir -p "$context/lib" "$context/app" "$context/data/meshwork"
chmod 700 "$context/data/meshwork"
cp -a "$rootfs" "$context/rootfs"
for jar in "${jars[@]}"; do
  case "$jar" in
    "$root"/*) cp -p "$jar" "$context/app/" ;;
    *) cp -p "$jar" "$context/lib/" ;;
  esac
done
cp "$module/container/Containerfile" "$context/Containerfile"
printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n' \
  > "$work/containers.conf"
if $context_only; then
  echo "context: $context"
  exit 0
fi

export CONTAINERS_CONF="$work/containers.conf"
podman build --format docker --layers --build-arg "VERSION=$version" -t "$tag" -f "$context/Containerfile" "$context"
size=$(podman image inspect --format '{{.Size}}' "$tag")
echo "image: $tag ($((size / 1000000)) MB)"
