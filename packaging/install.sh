#!/bin/sh
# Installs the built distribution (packaging/target/atmos) for the current user; see
# packaging/src/libexec/install-service.sh --help. Build first: mvn -B -DskipTests package
set -eu
here=$(cd -P "$(dirname "$0")" && pwd)
dist=$here/target/atmos
if [ ! -x "$dist/libexec/install-service.sh" ]; then
  echo "packaging/install.sh: $dist is not built yet; run: mvn -B -DskipTests package" >&2
  exit 2
fi
exec "$dist/libexec/install-service.sh" "$@"
