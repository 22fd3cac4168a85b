#!/bin/sh
# Builds lib/client.aot, the client's AOT cache (JDK >= 25, JEP 483/514), at package time.
#   build-aot.sh DIST_DIR JDK_HOME SKIP
# The training run is one real client call over gRPC against a throwaway daemon on a temp socket, so the cache
# holds the Netty/gRPC/protobuf classes a real call loads, not only picocli's. The cache is only valid for the
# JDK build that made it: lib/client.aot.jdk records "<canonical JDK home>|<JAVA_VERSION>" and bin/atmos uses the
# cache only when it runs that very JDK. Never fails the build: without a JDK 25 there is simply no cache.
dist=$1
jdk=$2
skip=$3
say() { echo "[atmos aot] $*"; }

rm -f "$dist/lib/client.aot" "$dist/lib/client.aot.jdk"
if [ "$skip" = "true" ]; then say "skipped (-Datmos.aot.skip=true)"; exit 0; fi
if [ ! -x "$jdk/bin/java" ]; then say "no JDK at $jdk: no client AOT cache (bin/atmos starts without it)"; exit 0; fi

. "$dist/libexec/atmos-java.sh"
info=$(atmos_jdk_version "$jdk") || { say "cannot read the version of $jdk: no AOT cache"; exit 0; }
set -- $info
major=$2
version=$3
if [ "$major" -lt 25 ]; then say "$jdk is JDK $version, AOT caches need >= 25: no AOT cache"; exit 0; fi
jdk=$(cd -P "$jdk" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atmos-aot.XXXXXX")
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# An isolated world: no user config, no user cache, no real AWS.
export HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
export ATMOSD_SOCKET="$tmp/d.sock" ATMOSD_NO_AUTOSTART=1 ATMOS_JAVA_HOME="$jdk"
unset ATMOS_CLI_CONFIG_PATH AWS_PROFILE
mkdir -p "$HOME"
cd "$tmp" || exit 0

"$dist/bin/atmosd" --socket "$ATMOSD_SOCKET" --log-file "$tmp/atmosd.log" >"$tmp/atmosd.out" 2>&1 &
daemon_pid=$!
i=0
while [ ! -S "$ATMOSD_SOCKET" ] && [ $i -lt 200 ] && kill -0 "$daemon_pid" 2>/dev/null; do
  sleep 0.1; i=$((i + 1))
done
# The socket exists a moment before the daemon answers: wait for a real answer, so the training run takes the
# whole call path (an unanswered call would train on the error path instead).
ready=no
if [ -S "$ATMOSD_SOCKET" ]; then
  deadline=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$daemon_pid" 2>/dev/null; do
    if "$dist/bin/atmos" daemon status >/dev/null 2>&1; then ready=yes; break; fi
    sleep 0.2
  done
fi
if [ "$ready" = yes ]; then
  say "training against a throwaway daemon (JDK $version)"
else
  say "the throwaway daemon did not come up; training on the client's start-up and connect path only"
fi

start=$(date +%s)
ATMOS_CLIENT_JAVA_OPTS="-XX:AOTCacheOutput=$dist/lib/client.aot" \
  "$dist/bin/atmos" auth status >"$tmp/train.out" 2>&1
rc=$?
if [ -s "$dist/lib/client.aot" ]; then
  printf '%s|%s\n' "$jdk" "$version" > "$dist/lib/client.aot.jdk"
  say "wrote lib/client.aot ($(($(wc -c < "$dist/lib/client.aot") / 1048576)) MiB, training exit $rc, $(( $(date +%s) - start )) s)"
  if [ "$rc" -ne 0 ]; then sed 's/^/[atmos aot]   /' "$tmp/train.out" | tail -n 5; fi
else
  rm -f "$dist/lib/client.aot"
  say "no AOT cache was written (training exit $rc):"
  sed 's/^/[atmos aot]   /' "$tmp/train.out" | head -n 20
fi
exit 0
