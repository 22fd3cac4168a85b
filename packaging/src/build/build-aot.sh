#!/bin/sh
# Trains the client's class-data archives at package time (the training itself: libexec/train-client.sh).
#   build-aot.sh DIST_DIR AOT_JDK_HOME SKIP [BUILD_JDK_HOME]
# AOT_JDK_HOME (a JDK >= 25) gets lib/client.aot, an AOT cache that also serves the installed copies of the
# distribution. BUILD_JDK_HOME, the JDK Maven runs on, gets lib/client.jsa when it is a different JDK below 25: a
# dynamic CDS archive, valid only in DIST_DIR itself (the installer trains one for its copy). Both share one
# throwaway daemon and emulator. Never fails the build: without a JDK there is simply no archive for it.
dist=$1
jdk=${2:-/usr/lib/jvm/temurin-25-jdk-amd64}
skip=$3
build_jdk=${4:-}
say() { echo "[atmos aot] $*"; }

rm -f "$dist/lib/client.aot" "$dist/lib/client.aot.jdk" "$dist/lib/client.jsa" "$dist/lib/client.jsa.jdk"
if [ "$skip" = "true" ]; then say "skipped (-Datmos.aot.skip=true)"; exit 0; fi

set --
if [ -x "$jdk/bin/java" ]; then
  set -- "$jdk"
else
  say "no JDK at $jdk: no client AOT cache (bin/atmos starts without it)"
fi
if [ -n "$build_jdk" ] && [ -x "$build_jdk/bin/java" ] \
    && [ "$(cd -P "$build_jdk" && pwd)" != "$(cd -P "$jdk" 2>/dev/null && pwd)" ]; then
  # shellcheck source=../libexec/atmos-java.sh
  . "$dist/libexec/atmos-java.sh"
  if atmos_jdk_info "$build_jdk" && [ "$ATMOS_JDK_MAJOR" -lt 25 ]; then set -- "$@" "$build_jdk"; fi
fi
[ $# -gt 0 ] || exit 0
sh "$dist/libexec/train-client.sh" "$dist" "$@"
exit 0
