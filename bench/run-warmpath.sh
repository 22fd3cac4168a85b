#!/usr/bin/env bash
# Warm path (GetCredentials over the socket, GET on the container endpoint, vs SSO GetRoleCredentials without a
# daemon) at 1/16/128 callers, and the daemon's footprint (RSS, heap) idle, after provisioning, under that load.
# Args: [rounds] [warm-up s] [measure s] [levels] [accounts], default 3 3 6 1,16,128 334.
# Env: BENCH_SKIP_BUILD=1, ATMOS_JAVA_HOME (the daemon's JDK), ATMOSD_JAVA_OPTS (extra daemon JVM flags).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "$(dirname "$0")/run-java.sh" dev.atmosd.bench.warmpath.WarmPathBenchmark "$@"
