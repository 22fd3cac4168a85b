#!/usr/bin/env bash
# Builds what the provisioning benchmark needs (in its own build dir) and runs it. Args: [runsSmall] [runsLarge].
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ATMOS_BUILD_DIR:-target-bench-prov}"
classpath_file="$PWD/bench/$build_dir/provisioning.classpath"
mvn -B -q ${MVN_OFFLINE:--o} -Datmos.build.dir="$build_dir" -pl bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime
exec java -cp "bench/$build_dir/classes:$(cat "$classpath_file")" \
  dev.atmosd.bench.provisioning.ProvisioningBenchmark "$@"
