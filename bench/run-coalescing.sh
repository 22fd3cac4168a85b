#!/usr/bin/env bash
# Coalescing benchmark: N clients at once with no session; device flows started and approval -> last credentials.
# Builds the distribution and this module into target-bench/ (side by side with others' builds), then runs.
# Args: [runs] [client counts], default 3 1,20,200. Env: BENCH_SKIP_BUILD=1, ATMOS_JAVA_HOME (JDK of atmos/atmosd).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "$(dirname "$0")/run-java.sh" dev.atmosd.bench.coalescing.CoalescingBenchmark "$@"
