#!/usr/bin/env bash
# Shared by the run-*.sh scripts: builds the packaged distribution and bench/ into target-bench/ (unless
# BENCH_SKIP_BUILD=1), then runs the given main class on the bench classpath with JDK 17 (BENCH_JAVA to change).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ATMOS_BUILD_DIR:-target-bench}"
classpath_file="$PWD/bench/$build_dir/bench.classpath"
if [[ -z ${BENCH_SKIP_BUILD:-} || ! -f $classpath_file ]]; then
  mvn -B -q ${MVN_OFFLINE:--o} -Datmos.build.dir="$build_dir" -pl packaging -am package -DskipTests
  # In one reactor with -am, so the daemon/CLI/emulator classes on the classpath are the ones just built.
  mvn -B -q ${MVN_OFFLINE:--o} -Datmos.build.dir="$build_dir" -pl bench -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime
fi
java=${BENCH_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
main=$1
shift
exec "$java" -Xmx1g ${BENCH_JAVA_OPTS:-} -Datmos.dist="$PWD/packaging/$build_dir/atmos" \
  -cp "bench/$build_dir/classes:$(cat "$classpath_file")" "$main" "$@"
