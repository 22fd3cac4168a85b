#!/usr/bin/env bash
# Config load, cold (a fresh loader: read, parse, merge, validate) next to warm (the loaded config re-used while a
# stat shows its files unchanged), on the largest valid config of it/src/test/resources/atmos-corpus, in one JVM.
# Args: [rounds] [cold loads per round] [warm loads per round], default 7 400 20000.
# Env: BENCH_SKIP_BUILD=1, BENCH_JAVA (default JDK 17), BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "$(dirname "$0")/run-java.sh" dev.atmosd.bench.config.ConfigLoadBenchmark "$@"
