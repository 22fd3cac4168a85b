#!/usr/bin/env bash
# Client start-up: `atmos auth credential-process` end to end against a warm daemon (JDK 25 with and without the
# packaged AOT cache, JDK 17 with and without the packaged CDS archive) next to `aws configure export-credentials`
# (Debian's AWS CLI v2) for an SSO profile whose token and role credentials are cached, all in ONE hyperfine run.
# Everything runs in a throwaway sandbox: the emulator, the daemon, XDG dirs, HOME (~/.aws) and the socket.
# Args: [runs] [warmup], default 20 3. Env: BENCH_SKIP_BUILD=1 (use the distribution already built),
# AWS_BIN (default /usr/bin/aws), JDK17, JDK25, BENCH_BASELINE_DIST (another built distribution, e.g. an older
# commit's, measured as one more row of the same run: "before" next to "after").
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
warmup=${2:-3}
build_dir=${ATMOS_BUILD_DIR:-target-bench}
dist=$repo/packaging/$build_dir/atmos
aws=${AWS_BIN:-/usr/bin/aws}
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ -z ${BENCH_SKIP_BUILD:-} || ! -x $dist/bin/atmos ]]; then
  (cd "$repo" && mvn -B -q ${MVN_OFFLINE:--o} -Datmos.build.dir="$build_dir" -pl packaging -am package -DskipTests)
fi
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
"$aws" --version 2>&1 | grep -q '^aws-cli/2' || { echo "$aws is not the AWS CLI v2 (apt-get install -y awscli)" >&2; exit 2; }

sb=$(mktemp -d /tmp/abs.XXXXXX)
emu_pid= daemon_pid=
cleanup() {
  set +e
  [[ -n $daemon_pid ]] && { "$dist/bin/atmos" daemon stop >/dev/null 2>&1; kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; }
  [[ -n $emu_pid ]] && { kill "$emu_pid" 2>/dev/null; wait "$emu_pid" 2>/dev/null; }
  [[ -n ${BENCH_KEEP:-} ]] || rm -rf "$sb"
}
trap cleanup EXIT
mkdir -p "$sb"/{cache,state,config,run,work,home/.aws/sso/cache,home/.aws/cli/cache}
chmod 700 "$sb/run"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN ATMOS_IDENTITY BROWSER ATMOS_JAVA_HOME \
  ATMOS_CLIENT_JAVA_OPTS AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN
export HOME=$sb/home XDG_CACHE_HOME=$sb/cache XDG_STATE_HOME=$sb/state XDG_CONFIG_HOME=$sb/config \
  XDG_RUNTIME_DIR=$sb/run ATMOSD_SOCKET=$sb/run/d.sock ATMOS_CLI_CONFIG_PATH=$sb/work/atmos.yaml \
  ATMOSD_NO_AUTOSTART=1 CI=1 AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=$sb/home/.aws/config \
  AWS_SHARED_CREDENTIALS_FILE=$sb/home/.aws/credentials
cd "$sb/work"

"$dist/bin/atmos-emulator" --port 0 --port-file "$sb/emu.port" --auto-approve --accounts 1 --roles-per-account 3 \
  >"$sb/emu.out" 2>"$sb/emu.err" &
emu_pid=$!
for _ in $(seq 1 600); do [[ -s $sb/emu.port ]] && break; sleep 0.1; done
endpoint=http://127.0.0.1:$(cat "$sb/emu.port")
start_url=https://d-bench00001.awsapps.com/start
cat >"$sb/work/atmos.yaml" <<YAML
auth:
  providers:
    bench-sso:
      kind: aws/iam-identity-center
      start_url: $start_url
      region: us-east-1
      spec:
        endpoint_url: $endpoint
  identities:
    bench/Admin:
      kind: aws/permission-set
      via: { provider: bench-sso }
      principal: { name: AdministratorAccess, account: { id: "100000000001" } }
YAML
"$dist/bin/atmosd" --socket "$ATMOSD_SOCKET" --log-file "$sb/state/atmosd.log" >"$sb/atmosd.out" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 900); do [[ -S $ATMOSD_SOCKET ]] && break; sleep 0.1; done
"$dist/bin/atmos" auth login >/dev/null 2>"$sb/login.err" || { cat "$sb/login.err" >&2; exit 1; }
creds=$("$dist/bin/atmos" auth credential-process --identity bench/Admin)

# The AWS CLI's side: an SSO profile whose token (~/.aws/sso/cache) and role credentials (~/.aws/cli/cache) are
# both cached, i.e. its warm path with no network call. AWS CLI 2.9.x predates AWS_ENDPOINT_URL_SSO, so it could
# not reach the emulator anyway: a dead HTTPS proxy makes any network attempt fail instead of going to AWS.
cat >"$HOME/.aws/config" <<INI
[profile bench]
sso_start_url = $start_url
sso_region = us-east-1
sso_account_id = 100000000001
sso_role_name = AdministratorAccess
region = us-east-1
INI
session_file=$(ls "$XDG_CACHE_HOME"/atmos/aws-sso/sessions/*.json | head -n 1)
CREDS=$creds SESSION=$session_file START_URL=$start_url python3 - <<'PY'
import hashlib, json, os
home = os.environ["HOME"]
session = json.load(open(os.environ["SESSION"]))
start_url = os.environ["START_URL"]
token = {k: session[k] for k in ("startUrl", "region", "accessToken", "expiresAt")}
with open(f"{home}/.aws/sso/cache/{hashlib.sha1(start_url.encode()).hexdigest()}.json", "w") as f:
    json.dump(token, f)
creds = json.loads(os.environ["CREDS"])
key = json.dumps({"accountId": "100000000001", "roleName": "AdministratorAccess", "startUrl": start_url},
                 sort_keys=True, separators=(",", ":"))
with open(f"{home}/.aws/cli/cache/{hashlib.sha1(key.encode()).hexdigest()}.json", "w") as f:
    json.dump({"ProviderType": "sso", "Credentials": {k: creds[k] for k in
               ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")}}, f)
PY
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9
aws_out=$("$aws" configure export-credentials --profile bench --format process 2>&1) || true
[[ $aws_out == *AccessKeyId* ]] || { echo "aws configure export-credentials failed: $aws_out" >&2; exit 1; }

# The distribution's JDK 17 CDS archive is trained at package time for the JDK Maven runs on; for another, train it.
IFS= read -r jsa_stamp < "$dist/lib/client.jsa.jdk" 2>/dev/null || jsa_stamp=
case $jsa_stamp in
  "$(cd -P "$jdk17" && pwd)|"*"|$(cd -P "$dist" && pwd)") ;;
  *) "$dist/libexec/train-client.sh" "$dist" "$jdk17" ;;
esac
# The distribution without its archives (hard links; the launcher then starts java without -XX:AOTCache or
# -XX:SharedArchiveFile: JDK 17 has only the JDK's default CDS archive).
cp -al "$dist" "$sb/dist-noaot"
rm -f "$sb/dist-noaot/lib/client.aot" "$sb/dist-noaot/lib/client.aot.jdk" "$sb/dist-noaot/lib/client.jsa" \
  "$sb/dist-noaot/lib/client.jsa.jdk"

echo "date: $(date -u +%FT%TZ); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);"\
  "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "aws: $("$aws" --version 2>&1)"
echo "JDK 17: $("$jdk17/bin/java" -version 2>&1 | head -n 1); JDK 25: $("$jdk25/bin/java" -version 2>&1 | head -n 1)"
echo "daemon: $("$dist/bin/atmos" daemon status 2>&1 | head -n 3 | tr '\n' ' ')"
id=bench/Admin
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$sb/startup.json" \
  -n "atmos, JDK 25 + AOT cache" "env ATMOS_JAVA_HOME=$jdk25 $dist/bin/atmos auth credential-process --identity $id" \
  -n "atmos, JDK 25, no AOT cache" "env ATMOS_JAVA_HOME=$jdk25 $sb/dist-noaot/bin/atmos auth credential-process --identity $id" \
  -n "atmos, JDK 17 + CDS archive" "env ATMOS_JAVA_HOME=$jdk17 $dist/bin/atmos auth credential-process --identity $id" \
  -n "atmos, JDK 17 (CDS default archive)" "env ATMOS_JAVA_HOME=$jdk17 $sb/dist-noaot/bin/atmos auth credential-process --identity $id" \
  -n "aws configure export-credentials (v2, cached)" "$aws configure export-credentials --profile bench --format process" \
  ${BENCH_BASELINE_DIST:+-n "baseline: $BENCH_BASELINE_DIST, JDK 25 + its AOT cache"} \
  ${BENCH_BASELINE_DIST:+"env ATMOS_JAVA_HOME=$jdk25 $BENCH_BASELINE_DIST/bin/atmos auth credential-process --identity $id"}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$sb/startup.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
aws = next(r for r in results if r["command"].startswith("aws"))
print("| command | runs | median ms (min–max) | mean ± σ ms | median vs aws |")
print("|---|---|---|---|---|")
for r in results:
    print(f"| {r['command']} | {len(r['times'])} | {r['median']*1000:.0f} ({r['min']*1000:.0f}–{r['max']*1000:.0f}) "
          f"| {r['mean']*1000:.0f} ± {r['stddev']*1000:.0f} | {r['median']/aws['median']:.2f}× |")
PY

# Where the time goes (BENCH_TRACE=1): per variant, 5 runs with -Xlog:class+load (uptime-decorated); the median run's
# timeline: when main() starts, when the first gRPC/Netty/protobuf class loads, the last class loaded, and how many
# classes came from the CDS/AOT archive versus from jars. Plus the JVM floor (java -version) for each JDK.
if [[ -n ${BENCH_TRACE:-} ]]; then
  trace() {
    local name=$1 jdk=$2 launcher=$3
    for i in 1 2 3 4 5; do
      local t0 t1
      t0=$(date +%s%N)
      ATMOS_JAVA_HOME=$jdk ATMOS_CLIENT_JAVA_OPTS="-Xlog:class+load:file=$sb/trace-$i.log:uptime" \
        "$launcher" auth credential-process --identity $id >/dev/null
      t1=$(date +%s%N)
      echo "$(( (t1 - t0) / 1000000 )) $sb/trace-$i.log"
    done | sort -n | sed -n 3p | { read -r wall file; python3 - "$name" "$wall" "$file" <<'PY'
import re, sys
name, wall, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
first, last, shared, jars, other = {}, 0.0, 0, 0, 0
stages = [("main() (dev.atmosd.cli.Atmos)", "dev.atmosd.cli.Atmos "), ("picocli", "picocli."),
          ("first io.grpc", "io.grpc."), ("first io.netty", "io.netty."), ("first protobuf", "com.google.protobuf."),
          ("first dev.atmosd.v1 (stubs)", "dev.atmosd.v1.")]
for line in open(path):
    m = re.match(r"\[(\d+\.\d+)s\](?:\[[^]]*\])* (\S+) source: (.*)", line)
    if not m:
        continue
    t, cls, src = float(m.group(1)) * 1000, m.group(2) + " ", m.group(3)
    last = t
    if "shared objects file" in src:
        shared += 1
    elif ".jar" in src:
        jars += 1
    else:
        other += 1
    for label, prefix in stages:
        if label not in first and cls.startswith(prefix):
            first[label] = t
print(f"| {name} | {wall} | " + " | ".join(f"{first.get(l, float('nan')):.0f}" for l, _ in stages)
      + f" | {last:.0f} | {shared} | {jars} | {other} |")
PY
    }; }
  echo
  echo "| variant (median of 5 traced runs) | wall ms | main() ms | picocli | first io.grpc | first io.netty | first protobuf | first stub | last class loaded ms | classes from CDS/AOT archive | from jars | other (generated, jrt) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  trace "JDK 25 + AOT cache" "$jdk25" "$dist/bin/atmos"
  trace "JDK 25, no AOT cache" "$jdk25" "$sb/dist-noaot/bin/atmos"
  trace "JDK 17 + CDS archive" "$jdk17" "$dist/bin/atmos"
  trace "JDK 17 (CDS default archive)" "$jdk17" "$sb/dist-noaot/bin/atmos"
  for j in "$jdk25" "$jdk17"; do
    t0=$(date +%s%N); "$j/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version >/dev/null 2>&1; t1=$(date +%s%N)
    echo "JVM floor, $j java -version: $(( (t1 - t0) / 1000000 )) ms"
  done
fi
# The atmos variants of the two BENCH_STRACE tables below: "name|JDK|launcher".
variants=("JDK 25 + AOT cache|$jdk25|$dist/bin/atmos" "JDK 25, no AOT cache|$jdk25|$sb/dist-noaot/bin/atmos"
  "JDK 17 + CDS archive|$jdk17|$dist/bin/atmos" "JDK 17 (CDS default archive)|$jdk17|$sb/dist-noaot/bin/atmos")
# A syscall timeline of one call per variant (BENCH_STRACE=1): launcher start, exec of java, connect() to the
# daemon's socket, the JSON written to stdout, exit. strace filters with seccomp-bpf, so only these calls stop.
if [[ -n ${BENCH_STRACE:-} ]]; then
  echo
  echo "| variant (median of 5 straced runs, by wall) | launcher sh → exec java, ms | exec java → connect() to daemon | connect → JSON on stdout | stdout → exit_group | total (under strace) |"
  echo "|---|---|---|---|---|---|"
  for v in "${variants[@]}"; do
    IFS='|' read -r name jdk launcher <<<"$v"
    for i in 1 2 3 4 5; do
      ATMOS_JAVA_HOME=$jdk strace -f --seccomp-bpf -ttt -e trace=execve,connect,write,exit_group -o "$sb/st-$i.txt" \
        "$launcher" auth credential-process --identity $id >/dev/null
      python3 - "$sb/st-$i.txt" "$ATMOSD_SOCKET" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
t = lambda l: float(l.split()[1])
start = t(lines[0])
java = next(t(l) for l in lines if "execve(" in l and "/bin/java" in l)
conn = next((t(l) for l in lines if "connect(" in l and sys.argv[2] in l), float("nan"))
out = next((t(l) for l in lines if re.search(r"\bwrite\(1, \"\{", l)), float("nan"))
end = max(t(l) for l in lines if "exit_group" in l or "+++ exited" in l)
print(f"{end - start:.3f} {java - start:.3f} {conn - java:.3f} {out - conn:.3f} {end - out:.3f}")
PY
    done | sort -n | sed -n 3p | { read -r total a b c d; printf '| %s | %.0f | %.0f | %.0f | %.0f | %.0f |\n' "$name" \
      "$(echo "$a*1000" | bc)" "$(echo "$b*1000" | bc)" "$(echo "$c*1000" | bc)" "$(echo "$d*1000" | bc)" "$(echo "$total*1000" | bc)"; }
  done
fi
# Without strace: spawn → first byte of the JSON on stdout → process exit, 9 runs per variant (BENCH_STRACE=1).
if [[ -n ${BENCH_STRACE:-} ]]; then
  echo
  echo "| variant (9 runs, no strace) | spawn → JSON on stdout, ms: median (min–max) | JSON → process exit, ms | total |"
  echo "|---|---|---|---|"
  for v in "${variants[@]}"; do
    IFS='|' read -r name jdk launcher <<<"$v"
    ATMOS_JAVA_HOME=$jdk python3 - "$name" "$launcher" "$id" <<'PY'
import statistics, subprocess, sys, time
name, launcher, ident = sys.argv[1:4]
a, b, c = [], [], []
for _ in range(9):
    t0 = time.monotonic()
    p = subprocess.Popen([launcher, "auth", "credential-process", "--identity", ident], stdout=subprocess.PIPE)
    p.stdout.read(1)
    t1 = time.monotonic()
    p.stdout.read()
    p.wait()
    t2 = time.monotonic()
    a.append((t1 - t0) * 1000); b.append((t2 - t1) * 1000); c.append((t2 - t0) * 1000)
f = lambda xs: f"{statistics.median(xs):.0f} ({min(xs):.0f}–{max(xs):.0f})"
print(f"| {name} | {f(a)} | {f(b)} | {f(c)} |")
PY
  done
fi
[[ -n ${BENCH_HOOK:-} ]] && eval "$BENCH_HOOK"
[[ -n ${BENCH_KEEP:-} ]] && cp "$sb/startup.json" "$repo/bench/$build_dir/startup.json" || true
