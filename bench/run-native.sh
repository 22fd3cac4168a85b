#!/usr/bin/env bash
# Native client next to the JVM clients: `atmos auth credential-process`, `atmos auth env` and `atmos daemon status`
# with the native client (lib/native/atmos, from client-native), the JVM client on JDK 25 + its AOT cache and on JDK 17
# + its CDS archive, and `aws configure export-credentials` (Debian's AWS CLI v2, cached SSO profile), all in ONE
# hyperfine run, against a warm daemon in a throwaway sandbox (set up as in run-startup.sh).
# Args: [runs] [warmup], default 20 3. Env: BENCH_SKIP_BUILD=1 (use the distribution already built), AWS_BIN, JDK17, JDK25.
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

[[ -x $dist/lib/native/atmos ]] || { echo "no native client in $dist (client-native could not build one here)" >&2; exit 2; }
IFS= read -r jsa_stamp < "$dist/lib/client.jsa.jdk" 2>/dev/null || jsa_stamp=
case $jsa_stamp in
  "$(cd -P "$jdk17" && pwd)|"*"|$(cd -P "$dist" && pwd)") ;;
  *) "$dist/libexec/train-client.sh" "$dist" "$jdk17" ;;
esac

echo "date: $(date -u +%FT%TZ); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);"\
  "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "aws: $("$aws" --version 2>&1); native client: $(cat "$dist/lib/native/atmos.route"), $(du -h "$dist/lib/native/atmos" | cut -f1)"
id=bench/Admin
a=$dist/bin/atmos
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$sb/native.json" \
  -n "credential-process: native" "env ATMOS_CLIENT=native $a auth credential-process --identity $id" \
  -n "credential-process: JDK 25 + AOT cache" "env ATMOS_CLIENT=jvm ATMOS_JAVA_HOME=$jdk25 $a auth credential-process --identity $id" \
  -n "credential-process: JDK 17 + CDS archive" "env ATMOS_CLIENT=jvm ATMOS_JAVA_HOME=$jdk17 $a auth credential-process --identity $id" \
  -n "aws configure export-credentials (v2, cached)" "$aws configure export-credentials --profile bench --format process" \
  -n "auth env: native" "env ATMOS_CLIENT=native $a auth env --identity $id" \
  -n "auth env: JDK 25 + AOT cache" "env ATMOS_CLIENT=jvm ATMOS_JAVA_HOME=$jdk25 $a auth env --identity $id" \
  -n "auth env: JDK 17 + CDS archive" "env ATMOS_CLIENT=jvm ATMOS_JAVA_HOME=$jdk17 $a auth env --identity $id" \
  -n "daemon status: native" "env ATMOS_CLIENT=native $a daemon status" \
  -n "daemon status: JDK 25 + AOT cache" "env ATMOS_CLIENT=jvm ATMOS_JAVA_HOME=$jdk25 $a daemon status" \
  -n "daemon status: JDK 17 + CDS archive" "env ATMOS_CLIENT=jvm ATMOS_JAVA_HOME=$jdk17 $a daemon status" \
  -n "native binary alone (no launcher): credential-process" "$dist/lib/native/atmos auth credential-process --identity $id"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$sb/native.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
aws = next(r for r in results if r["command"].startswith("aws"))
print("| command | runs | median ms (min–max) | mean ± σ ms | median vs aws |")
print("|---|---|---|---|---|")
for r in results:
    print(f"| {r['command']} | {len(r['times'])} | {r['median']*1000:.1f} ({r['min']*1000:.1f}–{r['max']*1000:.1f}) "
          f"| {r['mean']*1000:.1f} ± {r['stddev']*1000:.1f} | {r['median']/aws['median']:.2f}× |")
PY
