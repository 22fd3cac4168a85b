#!/bin/sh
# Builds the atmos client (client-cli) as a native executable, when a native-image toolchain is usable here.
#   build-native.sh OUT_DIR IMAGE_CLASSPATH_FILE BUILDER_MODULEPATH_FILE JDK_HOME SKIP
# Route 1: a GraalVM `native-image` on PATH or in $JAVA_HOME/bin.
# Route 2: the builder's Java side from Maven Central (org.graalvm.nativeimage:svm, BUILDER_MODULEPATH_FILE) run on
#   JDK_HOME (Temurin 25), with the native pieces Maven Central lacks made here from src/c (see README there):
#   static JDK libraries as linker scripts pointing at JDK_HOME's shared libraries, the builder's progress-reporter JNI
#   helper, the C headers the builder's @CContext classes name, and the C-library symbols SubstrateVM expects.
# Never fails the build: without a toolchain (or on failure) there is no native client and bin/atmos runs the JVM one.
set -u
out=$1 image_cp_file=$2 builder_mp_file=$3 jdk=$4 skip=${5:-false}
here=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "[atmos native] $*"; }
main=dev.atmosd.cli.Atmos

if [ "$skip" = "true" ]; then rm -rf "$out/bin"; say "skipped (-Datmos.native.skip=true)"; exit 0; fi
image_cp=$(cat "$image_cp_file")
# A build takes minutes: none when nothing it reads changed (the class path's jars, this module's sources, the JDK).
inputs=$( { echo "$image_cp" "$jdk" "${JAVA_HOME:-}" "$(command -v native-image 2>/dev/null)"
  echo "$image_cp" | tr ':' '\n' | while IFS= read -r f; do [ -f "$f" ] && cksum < "$f"; done
  find "$here/src" -type f | LC_ALL=C sort | while IFS= read -r f; do cksum < "$f"; done; } | cksum)
if [ -x "$out/bin/atmos" ] && [ -r "$out/inputs.cksum" ] && [ "$(cat "$out/inputs.cksum")" = "$inputs" ]; then
  say "up to date: $out/bin/atmos"; exit 0
fi
rm -rf "$out/bin" "$out/inputs.cksum"
mkdir -p "$out/bin" "$out/work"
# What every route passes to the builder: the client only (no daemon classes on this class path), the reachability
# metadata the jars ship in META-INF/native-image plus the client's own, and no fallback image.
common="--no-fallback -march=compatibility -H:+ReportExceptionStackTraces -H:+UnlockExperimentalVMOptions -H:ConfigurationFileDirectories=$here/src/native-image -o $out/bin/atmos"

# A binary that links is not yet one that runs: it is kept only when it answers --version, so the distribution never
# holds a native client that fails (a missing symbol, a crash at exit) and bin/atmos falls back to the JVM one.
runs_here() {
  if smoke=$("$out/bin/atmos" --version 2>&1) && [ -n "$smoke" ]; then return 0; fi
  say "built, but it does not run here: $(printf '%s\n' "$smoke" | head -n 1); no native client (log: $out/work/build.log)"
  printf '%s\n' "$smoke" | head -n 40 >> "$out/work/build.log"
  rm -rf "$out/bin"; return 1
}

native_image=
if command -v native-image >/dev/null 2>&1; then native_image=$(command -v native-image)
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/native-image" ]; then native_image=$JAVA_HOME/bin/native-image
fi
if [ -n "$native_image" ]; then
  say "route: GraalVM native-image at $native_image"
  # shellcheck disable=SC2086
  if "$native_image" $common -cp "$image_cp" "$main" > "$out/work/build.log" 2>&1; then
    echo "graalvm||$(uname -m)" > "$out/bin/atmos.route"
    runs_here || exit 0
    echo "$inputs" > "$out/inputs.cksum"
    say "built $out/bin/atmos"; exit 0
  fi
  say "native-image failed (log: $out/work/build.log); no native client"; rm -rf "$out/bin"; exit 0
fi

if [ ! -s "$builder_mp_file" ]; then say "skipped: no native-image and no builder jars (profile native-maven-central inactive: no $jdk)"; rm -rf "$out/bin"; exit 0; fi
if [ ! -x "$jdk/bin/java" ]; then say "skipped: no native-image and no JDK 25 at $jdk"; rm -rf "$out/bin"; exit 0; fi
if ! command -v gcc >/dev/null 2>&1; then say "skipped: no gcc (apt-get install gcc libc6-dev zlib1g-dev)"; rm -rf "$out/bin"; exit 0; fi
say "route: svm from Maven Central on $jdk, C glue from $here/src/c"
if sh "$here/src/build/maven-central-route.sh" "$out" "$image_cp" "$(cat "$builder_mp_file")" "$jdk" "$main" "$common" \
    > "$out/work/build.log" 2>&1; then
  runs_here || exit 0
  echo "$inputs" > "$out/inputs.cksum"
  say "built $out/bin/atmos ($(du -h "$out/bin/atmos" | cut -f1)); log: $out/work/build.log"; exit 0
fi
say "build failed (log: $out/work/build.log); no native client"; tail -5 "$out/work/build.log"; rm -rf "$out/bin"; exit 0
