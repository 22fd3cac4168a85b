#!/bin/sh
# Builds lib/client.aot, the client's AOT cache (JDK >= 25, JEP 483/514), at package time.
#   build-aot.sh DIST_DIR JDK_HOME SKIP
# The training run is one JVM running the commands users run most (credential-process first) over gRPC against a
# throwaway daemon on a temp socket and the distribution's emulator, so the cache holds the Netty/gRPC/protobuf
# classes and the profiles of real calls, not only picocli's. The cache is only valid for the
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
emulator_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; fi
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null; wait "$emulator_pid" 2>/dev/null; fi
  [ -n "${ATMOS_AOT_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# An isolated world: no user config, no user cache, no real AWS. The distribution's own emulator stands in for
# IAM Identity Center, so the training covers the hot path (credential-process with cached credentials) for real.
export HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
export ATMOSD_SOCKET="$tmp/d.sock" ATMOSD_NO_AUTOSTART=1 ATMOS_JAVA_HOME="$jdk" CI=1
export ATMOS_CLI_CONFIG_PATH="$tmp/atmos.yaml"
unset AWS_PROFILE ATMOS_IDENTITY BROWSER
mkdir -p "$HOME"
cd "$tmp" || exit 0

"$dist/bin/atmos-emulator" --port 0 --port-file "$tmp/emulator.port" --auto-approve --poll-interval 100ms \
  --accounts 1 --roles-per-account 3 >"$tmp/emulator.out" 2>&1 &
emulator_pid=$!
"$dist/bin/atmosd" --socket "$ATMOSD_SOCKET" --log-file "$tmp/atmosd.log" >"$tmp/atmosd.out" 2>&1 &
daemon_pid=$!
i=0
while { [ ! -S "$ATMOSD_SOCKET" ] || [ ! -s "$tmp/emulator.port" ]; } && [ $i -lt 300 ] \
    && kill -0 "$daemon_pid" 2>/dev/null; do
  sleep 0.1; i=$((i + 1))
done
if [ -s "$tmp/emulator.port" ]; then
  IFS= read -r emulator < "$tmp/emulator.port" || true
  case $emulator in http*) ;; *) emulator=http://127.0.0.1:$emulator ;; esac
  cat > "$ATMOS_CLI_CONFIG_PATH" <<YAML
auth:
  providers:
    training:
      kind: aws/iam-identity-center
      start_url: https://d-aottraining.awsapps.com/start
      region: us-east-1
      spec:
        endpoint_url: $emulator
  identities:
    training/admin:
      kind: aws/permission-set
      default: true
      via: { provider: training }
      principal: { name: AdministratorAccess, account: { id: "100000000001" } }
YAML
fi
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
# Signed in and credentials cached, as on a developer's machine between terraform runs.
if [ "$ready" = yes ] && [ -s "$ATMOS_CLI_CONFIG_PATH" ] \
    && "$dist/bin/atmos" auth login >"$tmp/login.out" 2>&1 \
    && "$dist/bin/atmos" auth credential-process >/dev/null 2>>"$tmp/login.out"; then
  say "training against a throwaway daemon and emulator (JDK $version)"
else
  say "the throwaway daemon or emulator did not come up; training on the client's start-up and error paths only"
  tail -n 3 "$tmp/login.out" 2>/dev/null | sed 's/^/[atmos aot]   /'
fi

# One JVM runs the commands that matter, the hot one first and twice (its profile counts most).
start=$(date +%s)
ATMOS_CLIENT_MAIN=dev.atmosd.cli.AotTrainingRun ATMOS_CLIENT_JAVA_OPTS="-XX:AOTCacheOutput=$dist/lib/client.aot" \
  "$dist/bin/atmos" "auth credential-process" "auth credential-process --identity training/admin" \
  "auth env --identity training/admin" "auth status" "auth list" "auth list --format json" "daemon status" \
  >"$tmp/train.out" 2>&1
rc=$?
if [ -s "$dist/lib/client.aot" ]; then
  printf '%s|%s\n' "$jdk" "$version" > "$dist/lib/client.aot.jdk"
  say "wrote lib/client.aot ($(($(wc -c < "$dist/lib/client.aot") / 1048576)) MiB, training exit $rc, $(( $(date +%s) - start )) s)"
  grep '^\[atmos aot\]' "$tmp/train.out"
else
  rm -f "$dist/lib/client.aot"
  say "no AOT cache was written (training exit $rc):"
  sed 's/^/[atmos aot]   /' "$tmp/train.out" | head -n 20
fi
exit 0
