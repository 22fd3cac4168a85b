#!/usr/bin/env bash
# The sandbox demo: atmos + atmosd against the bundled IAM Identity Center emulator. Touches nothing of yours:
# its own cache/state/config dirs, socket, AWS config and atmos.yaml in a temp dir, removed at the end.
#
#   mvn -B -DskipTests package && scripts/demo.sh
#
# Env: ATMOS_DIST (default packaging/target/atmos), DEMO_KEEP=1 keeps the sandbox dir, DEMO_REFRESH_WAIT (s, 120).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dist=${ATMOS_DIST:-$repo/packaging/target/atmos}
if [[ ! -x $dist/bin/atmos ]]; then
  echo "demo: no distribution at $dist; build it first: mvn -B -DskipTests package" >&2
  exit 2
fi
atmos=$dist/bin/atmos

if [[ -t 1 && -z ${NO_COLOR:-} ]]; then bold=$'\e[1m'; dim=$'\e[2m'; green=$'\e[32m'; off=$'\e[0m'; else bold= dim= green= off=; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$off"; }
note() { printf '%s    %s%s\n' "$dim" "$*" "$off"; }
show() { printf '%s$ %s%s\n' "$green" "$*" "$off"; "$@"; }

# ------------------------------------------------------------------------------------------ the sandbox
# A short path: the daemon's socket must fit AF_UNIX's ~104 bytes.
sandbox=$(mktemp -d "${TMPDIR:-/tmp}/atmos-demo.XXXXXX")
emulator_pid=
cleanup() {
  local status=$?
  set +e
  if [[ -S ${ATMOSD_SOCKET:-/nonexistent} ]]; then
    echo
    note "stopping the demo's atmosd"
    "$atmos" daemon stop >/dev/null 2>&1
  fi
  if [[ -n $emulator_pid ]]; then
    note "stopping the emulator (pid $emulator_pid)"
    kill "$emulator_pid" 2>/dev/null
    wait "$emulator_pid" 2>/dev/null
  fi
  if [[ -n ${DEMO_KEEP:-} ]]; then
    note "sandbox kept: $sandbox"
  else
    rm -rf "$sandbox"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$sandbox"/{cache,state,config,run,work,bin,aws}
chmod 700 "$sandbox/run"
export XDG_CACHE_HOME=$sandbox/cache XDG_STATE_HOME=$sandbox/state XDG_CONFIG_HOME=$sandbox/config
export XDG_RUNTIME_DIR=$sandbox/run ATMOSD_SOCKET=$sandbox/run/atmosd.sock
export AWS_CONFIG_FILE=$sandbox/aws/config AWS_SHARED_CREDENTIALS_FILE=$sandbox/aws/credentials
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN ATMOS_IDENTITY ATMOS_CLI_CONFIG_PATH
unset AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN
export ATMOS_CLI_CONFIG_PATH=$sandbox/work/atmos.yaml
cd "$sandbox/work"

step "Sandbox in $sandbox"
note "XDG_CACHE_HOME, XDG_STATE_HOME, XDG_CONFIG_HOME and ATMOSD_SOCKET point inside it; your own sessions are untouched"

# ------------------------------------------------------------------------------------------ the emulator
step "Starting the bundled IAM Identity Center emulator (sso-oidc, sso portal, sts)"
note "access tokens live 30 s, so you can watch atmosd renew one silently"
"$dist/bin/atmos-emulator" --port 0 --port-file "$sandbox/emulator.port" --access-token-lifetime 30s \
  --accounts 3 --roles-per-account 2 >"$sandbox/emulator.out" 2>"$sandbox/emulator.err" &
emulator_pid=$!
endpoint=
for _ in $(seq 1 300); do
  endpoint=$(grep -Eo 'https?://[^ ]+' "$sandbox/emulator.out" 2>/dev/null | head -n 1 || true)
  [[ -n $endpoint ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $endpoint ]]; then
  echo "demo: the emulator did not print its endpoint:" >&2
  cat "$sandbox/emulator.out" "$sandbox/emulator.err" >&2
  exit 1
fi
endpoint=${endpoint%/}
note "emulator at $endpoint (pid $emulator_pid)"

# ------------------------------------------------------------------------------------------ config
step "atmos.yaml: one provider on the emulator, identities discovered automatically"
cat >"$sandbox/work/atmos.yaml" <<EOF
auth:
  providers:
    demo-sso:
      kind: aws/iam-identity-center
      start_url: https://d-demo000001.awsapps.com/start
      region: us-east-1
      auto_provision_identities: true
      spec:
        endpoint_url: $endpoint
EOF
sed 's/^/    /' "$sandbox/work/atmos.yaml"

# The "browser": approves the device code the way a user clicking "Allow" would.
cat >"$sandbox/bin/browser" <<'EOF'
#!/bin/sh
echo "    (browser) opening $1 and clicking Allow" >&2
exec curl -fsS -o /dev/null "$1"
EOF
chmod +x "$sandbox/bin/browser"
export BROWSER=$sandbox/bin/browser
note "BROWSER=$BROWSER (curl against the emulator's approval page)"

# ------------------------------------------------------------------------------------------ sign in
step "Sign in: atmosd starts on demand, runs the device flow, the browser approves, identities are provisioned"
show "$atmos" auth login

step "Session status"
show "$atmos" auth status

# ------------------------------------------------------------------------------------------ silent refresh
refresh_count() {
  "$atmos" auth status --format json 2>/dev/null | grep -Eo '"refresh_count" *: *[0-9]+' | grep -Eo '[0-9]+$' | head -n 1
}
before=$(refresh_count || true)
before=${before:-0}
wait_max=${DEMO_REFRESH_WAIT:-120}
step "Waiting for atmosd to renew the 30 s access token by itself (refresh_count is $before now)"
after=$before
for ((i = 0; i < wait_max; i += 2)); do
  sleep 2
  after=$(refresh_count || true)
  after=${after:-$before}
  printf '\r    %3d s: refresh_count=%s' "$((i + 2))" "$after"
  if ((after > before)); then break; fi
done
echo
if ((after > before)); then
  note "renewed silently: refresh_count $before -> $after (no browser, no client asked)"
  show "$atmos" auth status
else
  echo "demo: no silent refresh within ${wait_max}s (refresh_count stayed $before)" >&2
  exit 1
fi

# ------------------------------------------------------------------------------------------ identities
step "Identities (discovered from the portal)"
show "$atmos" auth list

identity=$("$atmos" auth list --format json | python3 -c '
import json, sys
doc = json.load(sys.stdin)
names = list(doc.get("identities", {}))  # Go shape: a map keyed by identity name
print(sorted(names)[0] if names else "")' 2>/dev/null || true)
if [[ -z $identity ]]; then
  identity=$("$atmos" auth list --format json | grep -Eo '^    "[^"]+/[^"]+" *:' | head -n 1 | sed -E 's/^ *"(.*)" *:/\1/')
fi
if [[ -z $identity ]]; then
  echo "demo: no identity was provisioned" >&2
  exit 1
fi
note "using identity $identity"

step "credential_process output for an AWS SDK (secrets shortened here)"
printf '%s$ %s%s\n' "$green" "$atmos auth credential-process --identity $identity" "$off"
"$atmos" auth credential-process --identity "$identity" \
  | sed -E 's/("(SecretAccessKey|SessionToken)" *: *")([^"]{6})[^"]*"/\1\3…"/g'
echo

step "Who is that identity to AWS? (STS GetCallerIdentity on the emulator)"
show "$atmos" auth whoami --identity "$identity"

if command -v aws >/dev/null 2>&1; then
  step "A real tool: the AWS CLI run by atmos auth exec, credentials from atmosd's container endpoint"
  show "$atmos" auth exec --identity "$identity" -- aws sts get-caller-identity --endpoint-url "$endpoint" --region us-east-1
else
  step "atmos auth exec (no aws CLI installed: running env instead)"
  show "$atmos" auth exec --identity "$identity" -- sh -c 'env | grep -E "^AWS_(CONTAINER_CREDENTIALS_FULL_URI|REGION|PROFILE)=" | sort'
fi

step "The daemon"
show "$atmos" daemon status
echo
echo "${bold}Demo complete.${off} The daemon and the emulator are stopped and the sandbox removed on exit."
