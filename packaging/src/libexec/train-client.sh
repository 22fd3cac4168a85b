#!/bin/sh
# Trains the client's class-data archive for each JDK named, in the distribution it is run for:
#   train-client.sh DIST_DIR JDK_HOME [JDK_HOME...]
# JDK >= 25: lib/client.aot, an AOT cache (JEP 483/514); lib/client.aot.jdk records "<JDK home>|<JAVA_VERSION>".
# JDK 17-24: lib/client.jsa, a dynamic CDS archive (JEP 350); lib/client.jsa.jdk records
#   "<JDK home>|<JAVA_VERSION>|<distribution dir>" (paths canonical), as such an archive only works from the
#   directory it was made in: bin/atmos uses it only there. So the packaging runs this, and the installer again
#   after copying the distribution to its destination.
# The training is ONE client JVM, through bin/atmos, running the commands users run most (credential-process first)
# against a throwaway daemon and the distribution's emulator, so the archive holds the Netty/gRPC/protobuf classes
# of real calls. Everything runs in a temp dir: the user's HOME, XDG dirs and daemon socket are never touched.
# One JDK per archive kind (the first named); the daemon and emulator start once and serve them all.
# It never fails its caller: it says what it wrote, or why not, on "[atmos aot]" lines, and exits 0.
dist=$1
shift
say() { echo "[atmos aot] $*"; }

if [ ! -x "$dist/bin/atmos" ] || [ ! -r "$dist/libexec/atmos-java.sh" ]; then
  say "$dist is not an atmos distribution: no client archive"; exit 0
fi
# shellcheck source=atmos-java.sh
. "$dist/libexec/atmos-java.sh"
atmos_canon "$dist"
dist=$ATMOS_CANON

# What to train: one JDK per kind, its canonical home and JAVA_VERSION.
aot_jdk='' aot_version='' jsa_jdk='' jsa_version='' first=''
for jdk in "$@"; do
  if ! atmos_jdk_info "$jdk" || [ "$ATMOS_JDK_MAJOR" -lt 17 ]; then
    say "no JDK >= 17 at $jdk: no client archive for it"; continue
  fi
  atmos_canon "$jdk"
  case $ATMOS_CANON in "$aot_jdk" | "$jsa_jdk") continue ;; esac
  if [ "$ATMOS_JDK_MAJOR" -ge 25 ]; then
    if [ -z "$aot_jdk" ]; then
      aot_jdk=$ATMOS_CANON aot_version=$ATMOS_JDK_FULL first=${first:-$ATMOS_CANON}
      continue
    fi
  elif [ -z "$jsa_jdk" ]; then
    jsa_jdk=$ATMOS_CANON jsa_version=$ATMOS_JDK_FULL first=${first:-$ATMOS_CANON}
    continue
  fi
  say "JDK $ATMOS_JDK_FULL at $ATMOS_CANON: skipped (one archive of a kind, for the JDK named first)"
done
[ -n "$first" ] || exit 0

# The JVM option that writes the archive travels in ATMOS_CLIENT_JAVA_OPTS, which bin/atmos splits at blanks: the
# archive is written in the temp dir, which must have none, and copied into the distribution, which may.
base=${TMPDIR:-/tmp}
case $base in *[[:space:]]*) base=/tmp ;; esac
tmp=$(mktemp -d "$base/atmos-train.XXXXXX") || { say "cannot make a temp dir: no client archive"; exit 0; }
daemon_pid=
emulator_pid=
train_pid=
# shellcheck disable=SC2317 # (a trap)
cleanup() {
  for pid in $train_pid $daemon_pid $emulator_pid; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -f "$dist/lib/client.aot.$$" "$dist/lib/client.jsa.$$" "$dist/lib/client.aot.jdk.$$" "$dist/lib/client.jsa.jdk.$$"
  [ -n "${ATMOS_AOT_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
# Background children of a script ignore SIGINT: without these traps Ctrl-C would leave the daemon running.
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

# An isolated world: every process below starts with an environment of its own (env -i), so no user config, cache,
# socket, AWS_* variable or JVM option gets in. The distribution's own emulator stands in for IAM Identity Center,
# so the training covers the hot path (credential-process with cached credentials) for real. The daemon, the
# emulator and the sign-in run on the first JDK named (any JDK >= 17 serves them).
mkdir -p "$tmp/home" "$tmp/run"
chmod 700 "$tmp/run"
socket=$tmp/run/d.sock
# It replaces the shell it runs in: run it in one of its own, ( ) or &. So a background one's $! is the JVM itself
# (env and the launchers exec), which cleanup can stop; a function run with & would leave its JVM behind.
isolated() {
  exec env -i PATH="$PATH" HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" \
    XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/run" ATMOSD_SOCKET="$socket" ATMOSD_NO_AUTOSTART=1 CI=1 \
    ATMOS_CLI_CONFIG_PATH="$tmp/atmos.yaml" ATMOS_JAVA_HOME="$first" "$@" </dev/null
}
cd "$tmp" || exit 0
# The archives this run replaces go first, so that no step below uses a stale one.
[ -z "$aot_jdk" ] || rm -f "$dist/lib/client.aot.jdk" "$dist/lib/client.aot"
[ -z "$jsa_jdk" ] || rm -f "$dist/lib/client.jsa.jdk" "$dist/lib/client.jsa"

isolated "$dist/bin/atmos-emulator" --port 0 --port-file "$tmp/emulator.port" --auto-approve --poll-interval 100ms \
  --accounts 1 --roles-per-account 3 >"$tmp/emulator.out" 2>&1 &
emulator_pid=$!
isolated "$dist/bin/atmosd" --socket "$socket" --log-file "$tmp/atmosd.log" >"$tmp/atmosd.out" 2>&1 &
daemon_pid=$!
i=0
while { [ ! -S "$socket" ] || [ ! -s "$tmp/emulator.port" ]; } && [ $i -lt 300 ] \
    && kill -0 "$daemon_pid" 2>/dev/null; do
  sleep 0.1; i=$((i + 1))
done
if [ -s "$tmp/emulator.port" ]; then
  IFS= read -r emulator < "$tmp/emulator.port" || true
  case $emulator in http*) ;; *) emulator=http://127.0.0.1:$emulator ;; esac
  cat > "$tmp/atmos.yaml" <<YAML
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
if [ -S "$socket" ]; then
  deadline=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$daemon_pid" 2>/dev/null; do
    if (isolated "$dist/bin/atmos" daemon status) >/dev/null 2>&1; then ready=yes; break; fi
    sleep 0.2
  done
fi
# Signed in and credentials cached, as on a developer's machine between terraform runs.
if [ "$ready" != yes ] || [ ! -s "$tmp/atmos.yaml" ] \
    || ! (isolated "$dist/bin/atmos" auth login) >"$tmp/login.out" 2>&1 \
    || ! (isolated "$dist/bin/atmos" auth credential-process) >/dev/null 2>>"$tmp/login.out"; then
  say "the throwaway daemon or emulator did not come up; training on the client's start-up and error paths only"
  tail -n 3 "$tmp/login.out" 2>/dev/null | sed 's/^/[atmos aot]   /'
fi

# train KIND JDK VERSION: one JVM runs the commands that matter, the hot one first and twice (its profile counts
# most), and writes the archive at exit (AotTrainingRun ends with System.exit). It goes into the distribution under
# a temp name and is then renamed, so a client starting meanwhile never maps a half-written file.
train() {
  out=$dist/lib/client.$1
  case $1 in
    aot) opt="-XX:AOTCacheOutput=$tmp/client.aot" what="AOT cache" ;;
    *) opt="-XX:ArchiveClassesAtExit=$tmp/client.jsa" what="class-data archive" ;;
  esac
  start=$(date +%s)
  isolated ATMOS_JAVA_HOME="$2" ATMOS_CLIENT_MAIN=dev.atmosd.cli.AotTrainingRun ATMOS_CLIENT_JAVA_OPTS="$opt" \
    "$dist/bin/atmos" "auth credential-process" "auth credential-process --identity training/admin" \
    "auth env --identity training/admin" "auth status" "auth list" "auth list --format json" "daemon status" \
    >"$tmp/train-$1.out" 2>&1 &
  train_pid=$!
  wait "$train_pid"
  rc=$?
  train_pid=
  if [ -s "$tmp/client.$1" ] && cp "$tmp/client.$1" "$out.$$" && mv -f "$out.$$" "$out"; then
    case $1 in
      aot) printf '%s|%s\n' "$2" "$3" > "$out.jdk.$$" ;;
      *) printf '%s|%s|%s\n' "$2" "$3" "$dist" > "$out.jdk.$$" ;;
    esac
    mv -f "$out.jdk.$$" "$out.jdk"
    summary=$(grep 'training commands succeeded' "$tmp/train-$1.out" | sed 's/^\[atmos aot\] *//')
    # Kept only when the client's own classes do come from it: JDK 17, for one, maps an archive made in a directory
    # whose path holds a blank, but then loads every class of the class path from the jars.
    if (isolated ATMOS_JAVA_HOME="$2" ATMOS_CLIENT_JAVA_OPTS=-Xlog:class+load=info "$dist/bin/atmos" --version) 2>&1 \
        | grep -q 'dev\.atmosd\.cli\.Atmos source: shared objects file'; then
      say "wrote lib/client.$1, the client's $what for JDK $3 ($(($(wc -c < "$out") / 1048576)) MiB," \
        "$(( $(date +%s) - start )) s${summary:+; $summary})"
    else
      rm -f "$out.jdk" "$out"
      case $dist in *[[:space:]]*) why=", as its path holds a blank" ;; *) why= ;; esac
      say "JDK $3 does not load the client's classes from the $what trained here$why: left out"
    fi
    # Only failures are worth showing (AotTrainingRun prints their first lines, never credentials).
    [ "$rc" -eq 0 ] || grep '^\[atmos aot\]' "$tmp/train-$1.out" | grep -v ' -> exit 0$'
  else
    rm -f "$out.$$"
    say "no $what was written for JDK $3 (training exit $rc):"
    sed 's/^/[atmos aot]   /' "$tmp/train-$1.out" | head -n 20
  fi
}

[ -z "$aot_jdk" ] || train aot "$aot_jdk" "$aot_version"
[ -z "$jsa_jdk" ] || train jsa "$jsa_jdk" "$jsa_version"
exit 0
