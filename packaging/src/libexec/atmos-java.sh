# shellcheck shell=sh
# Sourced by bin/atmos, bin/atmosd and bin/atmos-emulator: finds the distribution and a JDK >= 17.
#
# After sourcing, call atmos_find_java; it sets
#   ATMOS_HOME          the distribution root (the directory holding bin/ and lib/)
#   ATMOS_JAVA          path of the chosen java executable
#   ATMOS_JAVA_HOME_SEL the chosen JDK's home
#   ATMOS_JAVA_MAJOR    its feature release (17, 21, 25, ...)
#   ATMOS_JAVA_VERSION  its full JAVA_VERSION (e.g. 25.0.3)
# or prints one line naming the JDK it needs and where it looked, and exits 2.
#
# Where it looks: $ATMOS_JAVA_HOME (an explicit choice: used when it is a JDK >= 17), else the NEWEST JDK >= 17
# among $JAVA_HOME, the `java` on PATH, and the JDKs under $ATMOS_JDK_DIRS (colon-separated; default
# /usr/lib/jvm:/Library/Java/JavaVirtualMachines). A JDK's version comes from its `release` file; a JDK without one
# is asked (`java -version`), which costs a JVM start, so it is only done when no release file exists.

ATMOS_MIN_JAVA=17
# The daemon's JVM: a small heap is plenty (a few sessions, some hundred identities); C1 only and serial GC keep
# its footprint small, and a heap that starts at 16 MB and gives memory back after a burst keeps it there
# (idle RSS 95 instead of 122 MiB, bench/BENCHMARKS.md "Footprint"). bin/atmosd uses these, and bin/atmos hands
# them to the daemon it autostarts.
ATMOSD_DEFAULT_JAVA_OPTS="-Xms16m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m -XX:TieredStopAtLevel=1"
# glibc gives each thread that allocates its own malloc arena; two are plenty for the daemon's native memory.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX

# atmos_resolve_path FILE: FILE with every symlink followed (POSIX sh; no readlink -f on older macOS).
atmos_resolve_path() {
  _p=$1
  _n=0
  while [ -h "$_p" ] && [ "$_n" -lt 40 ]; do
    _l=$(readlink "$_p")
    case $_l in
      /*) _p=$_l ;;
      *) _p=$(dirname "$_p")/$_l ;;
    esac
    _n=$((_n + 1))
  done
  _d=$(cd -P "$(dirname "$_p")" 2>/dev/null && pwd) || _d=$(dirname "$_p")
  printf '%s/%s\n' "$_d" "$(basename "$_p")"
}

# atmos_home SCRIPT: the distribution root of a script living in <root>/bin/.
atmos_home() {
  _s=$(atmos_resolve_path "$1")
  (cd -P "$(dirname "$_s")/.." && pwd)
}

# atmos_jdk_version HOME: prints "<sortable> <major> <full>" for a JDK home, or nothing when it is not one.
atmos_jdk_version() {
  _home=$1
  [ -x "$_home/bin/java" ] || return 1
  _v=
  if [ -r "$_home/release" ]; then
    while IFS= read -r _line || [ -n "$_line" ]; do
      case $_line in
        JAVA_VERSION=*) _v=${_line#JAVA_VERSION=}; _v=${_v#\"}; _v=${_v%\"} ;;
      esac
    done < "$_home/release"
  fi
  if [ -z "$_v" ]; then
    _v=$("$_home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  [ -n "$_v" ] || return 1
  _rest=${_v#1.}
  case $_v in 1.*) ;; *) _rest=$_v ;; esac
  _major=${_rest%%[!0-9]*}
  _rest=${_rest#"$_major"}; _rest=${_rest#[._]}
  _minor=${_rest%%[!0-9]*}
  _rest=${_rest#"$_minor"}; _rest=${_rest#[._]}
  _patch=${_rest%%[!0-9]*}
  [ -n "$_major" ] || return 1
  printf '%d %d %s\n' "$(( _major * 1000000 + ${_minor:-0} * 1000 + ${_patch:-0} ))" "$_major" "$_v"
}

atmos_find_java() {
  _best_key=0
  _best_home=
  _best_major=
  _best_full=
  _looked=

  if [ -n "${ATMOS_JAVA_HOME:-}" ]; then
    if _info=$(atmos_jdk_version "$ATMOS_JAVA_HOME") && [ "$(echo "$_info" | cut -d' ' -f2)" -ge "$ATMOS_MIN_JAVA" ]; then
      ATMOS_JAVA_HOME_SEL=$ATMOS_JAVA_HOME
      ATMOS_JAVA=$ATMOS_JAVA_HOME/bin/java
      ATMOS_JAVA_MAJOR=$(echo "$_info" | cut -d' ' -f2)
      ATMOS_JAVA_VERSION=$(echo "$_info" | cut -d' ' -f3)
      atmos_version_opts
      return 0
    fi
    echo "${ATMOS_PROG:-atmos}: ATMOS_JAVA_HOME=$ATMOS_JAVA_HOME is not a JDK >= $ATMOS_MIN_JAVA (no bin/java, or too old); unset it or point it at one" >&2
    exit 2
  fi

  _consider() {
    _c=$1
    [ -n "$_c" ] || return 0
    _i=$(atmos_jdk_version "$_c") || return 0
    set -- $_i
    if [ "$2" -ge "$ATMOS_MIN_JAVA" ] && [ "$1" -gt "$_best_key" ]; then
      _best_key=$1; _best_major=$2; _best_full=$3; _best_home=$_c
    fi
  }

  if [ -n "${JAVA_HOME:-}" ]; then
    _looked="JAVA_HOME=$JAVA_HOME"
    _consider "$JAVA_HOME"
  else
    _looked="JAVA_HOME (unset)"
  fi

  _onpath=$(command -v java 2>/dev/null || true)
  if [ -n "$_onpath" ]; then
    _real=$(atmos_resolve_path "$_onpath")
    _consider "$(dirname "$(dirname "$_real")")"
    _looked="$_looked, java on PATH ($_real)"
  else
    _looked="$_looked, PATH (no java)"
  fi

  _oldifs=$IFS
  IFS=:
  for _root in ${ATMOS_JDK_DIRS:-/usr/lib/jvm:/Library/Java/JavaVirtualMachines}; do
    IFS=$_oldifs
    case $_root in
      */JavaVirtualMachines) _looked="$_looked, $_root/*/Contents/Home" ;;
      *) _looked="$_looked, $_root/*" ;;
    esac
    for _jdk in "$_root"/*; do
      [ -d "$_jdk" ] || continue
      if [ -d "$_jdk/Contents/Home" ]; then
        _consider "$_jdk/Contents/Home"
      else
        _consider "$_jdk"
      fi
    done
  done
  IFS=$_oldifs

  if [ -z "$_best_home" ]; then
    echo "${ATMOS_PROG:-atmos}: needs a JDK >= $ATMOS_MIN_JAVA (17 works; 25 starts fastest); looked in $_looked; install one or set ATMOS_JAVA_HOME" >&2
    exit 2
  fi
  ATMOS_JAVA_HOME_SEL=$_best_home
  ATMOS_JAVA=$_best_home/bin/java
  ATMOS_JAVA_MAJOR=$_best_major
  ATMOS_JAVA_VERSION=$_best_full
  atmos_version_opts
  return 0
}

# JVM options that depend on the chosen JDK: JDK >= 23 warns on stderr when a library (protobuf, Netty) uses
# sun.misc.Unsafe memory access (JEP 471/498); allowing it explicitly keeps the CLI's stderr clean.
atmos_version_opts() {
  ATMOS_JAVA_VERSION_OPTS=
  if [ "$ATMOS_JAVA_MAJOR" -ge 23 ]; then
    ATMOS_JAVA_VERSION_OPTS="--sun-misc-unsafe-memory-access=allow"
  fi
  ATMOSD_DEFAULT_JAVA_OPTS="$ATMOSD_DEFAULT_JAVA_OPTS${ATMOS_JAVA_VERSION_OPTS:+ $ATMOS_JAVA_VERSION_OPTS}"
}

# atmos_classpath DIR: the jars in DIR joined with ':' in a stable (C-locale) order, so that CDS/AOT archives,
# which record the class path, match from run to run.
atmos_classpath() {
  (
    LC_ALL=C
    export LC_ALL
    _cp=
    for _jar in "$1"/*.jar; do
      [ -e "$_jar" ] || continue
      _cp=${_cp:+$_cp:}$_jar
    done
    printf '%s\n' "$_cp"
  )
}
