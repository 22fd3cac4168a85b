# shellcheck shell=sh disable=SC2034 # (the variables set here are for the scripts that source it)
# Sourced by bin/atmos, bin/atmosd and bin/atmos-emulator: finds the distribution and a JDK >= 17.
#
#   atmos_set_home DIR        sets ATMOS_HOME, the distribution root: DIR with every symlink followed
#   atmos_find_java           sets ATMOS_JAVA          path of the chosen java executable
#                                  ATMOS_JAVA_HOME_SEL the chosen JDK's home
#                                  ATMOS_JAVA_MAJOR    its feature release (17, 21, 25, ...)
#                                  ATMOS_JAVA_VERSION  its full JAVA_VERSION (e.g. 25.0.3)
#                                  ATMOS_JAVA_VERSION_OPTS  JVM options that depend on it
#                             or prints one line naming the JDK it needs and where it looked, and exits 2
#   atmos_classpath_set DIR   sets ATMOS_CP, the jars in DIR joined with ':' in C-locale order
#   atmos_canon PATH          sets ATMOS_CANON, PATH made absolute with every symlink followed
#   atmos_jdk_info HOME       sets ATMOS_JDK_KEY, ATMOS_JDK_MAJOR, ATMOS_JDK_FULL; returns 1 for a non-JDK
#   atmos_jdk_version HOME    prints "<sortable> <major> <full>" (build-aot.sh uses it)
#
# Where it looks: $ATMOS_JAVA_HOME (an explicit choice: used when it is a JDK >= 17), else the NEWEST JDK >= 17
# among $JAVA_HOME, the `java` on PATH, and the JDKs under $ATMOS_JDK_DIRS (colon-separated; default
# /usr/lib/jvm:/Library/Java/JavaVirtualMachines). A JDK's version comes from its `release` file; a JDK without one
# is asked (`java -version`), which costs a JVM start, so it is only done when no release file exists.
#
# bin/atmos runs on every AWS SDK credential_process call, and a fork + exec costs 3-7 ms on a small VM, as much
# as all the rest of the launcher. So nothing here forks on the common path: the helpers set variables instead of
# printing (no $(...)), paths are taken apart with ${var%/*}, class paths are globbed in this shell, and a symlink
# is read (readlink) only where [ -h ] finds one, and not even then when `-ef` (same file) can tell where it leads.
# The other external commands (sed, head) only run for a JDK without a release file, next to its `java -version`.

ATMOS_MIN_JAVA=17
# The daemon's JVM: a small heap is plenty (a few sessions, some hundred identities); C1 only and serial GC keep
# its footprint small, and a heap that starts at 16 MB and gives memory back after a burst keeps it there
# (idle RSS 95 instead of 122 MiB, bench/BENCHMARKS.md "Footprint"). bin/atmosd uses these, and bin/atmos hands
# them to the daemon it autostarts.
ATMOSD_DEFAULT_JAVA_OPTS="-Xms16m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m -XX:TieredStopAtLevel=1"
# glibc gives each thread that allocates its own malloc arena; two are plenty for the daemon's native memory.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX

# atmos_canon PATH [nofork]: sets ATMOS_CANON to PATH made absolute (against $PWD) with every symlink followed and
# '.', '..' and repeated '/' resolved, as `cd -P DIR && pwd` gives for a directory (and as readlink -f gives,
# which older macOS lacks). Each component costs an lstat ([ -h ]); only a symlink costs a fork (readlink). With
# "nofork" it returns 1 instead of reading a symlink. Components that do not exist are kept as written.
atmos_canon() {
  case $1 in
    /*) _ac_todo=$1 ;;
    *) _ac_todo=$PWD/$1 ;;
  esac
  _ac_done=
  _ac_links=0
  while [ -n "$_ac_todo" ]; do
    case $_ac_todo in
      */*) _ac_c=${_ac_todo%%/*}; _ac_todo=${_ac_todo#*/} ;;
      *) _ac_c=$_ac_todo; _ac_todo= ;;
    esac
    case $_ac_c in
      '' | .) ;;
      ..) _ac_done=${_ac_done%/*} ;;
      *)
        if [ -h "$_ac_done/$_ac_c" ] && [ "$_ac_links" -lt 40 ]; then
          [ "${2:-}" != nofork ] || return 1
          _ac_links=$((_ac_links + 1))
          if _ac_l=$(readlink "$_ac_done/$_ac_c"); then
            # The link's target replaces it: an absolute one starts again from /, a relative one from its directory.
            case $_ac_l in /*) _ac_done= ;; esac
            _ac_todo=$_ac_l${_ac_todo:+/$_ac_todo}
          else
            _ac_done=$_ac_done/$_ac_c
          fi
        else
          _ac_done=$_ac_done/$_ac_c
        fi
        ;;
    esac
  done
  ATMOS_CANON=${_ac_done:-/}
  return 0
}

# atmos_set_home DIR: ATMOS_HOME is DIR (a launcher's <root>/bin/..) with its symlinks followed.
atmos_set_home() {
  atmos_canon "$1"
  ATMOS_HOME=$ATMOS_CANON
}

# atmos_resolve_path FILE: prints FILE with every symlink followed.
atmos_resolve_path() {
  atmos_canon "$1"
  printf '%s\n' "$ATMOS_CANON"
}

# atmos_home SCRIPT: prints the distribution root of a script living in <root>/bin/.
atmos_home() {
  atmos_canon "$1"
  atmos_canon "${ATMOS_CANON%/*}/.."
  printf '%s\n' "$ATMOS_CANON"
}

# atmos_jdk_info HOME: sets ATMOS_JDK_KEY (sortable: major * 10^6 + minor * 10^3 + patch), ATMOS_JDK_MAJOR and
# ATMOS_JDK_FULL (the JAVA_VERSION) for a JDK home; returns 1 when it is not one.
atmos_jdk_info() {
  [ -x "$1/bin/java" ] || return 1
  _v=
  if [ -r "$1/release" ]; then
    # Up to the JAVA_VERSION line only (the 3rd or 4th): dash's read takes a system call per byte, and the
    # MODULES line after it alone is a kilobyte.
    while IFS= read -r _line || [ -n "$_line" ]; do
      case $_line in
        JAVA_VERSION=*) _v=${_line#JAVA_VERSION=}; _v=${_v#\"}; _v=${_v%\"}; break ;;
      esac
    done < "$1/release"
  fi
  if [ -z "$_v" ]; then
    _v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
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
  # Leading zeros off (1.8.0_08): shell arithmetic would read them as octal, and 08 is an error that ends the shell.
  _major=${_major#"${_major%%[!0]*}"}
  _minor=${_minor#"${_minor%%[!0]*}"}
  _patch=${_patch#"${_patch%%[!0]*}"}
  ATMOS_JDK_MAJOR=${_major:-0}
  ATMOS_JDK_KEY=$((ATMOS_JDK_MAJOR * 1000000 + ${_minor:-0} * 1000 + ${_patch:-0}))
  ATMOS_JDK_FULL=$_v
  return 0
}

# atmos_jdk_version HOME: prints "<sortable> <major> <full>" for a JDK home, or nothing (status 1) when it is not one.
atmos_jdk_version() {
  atmos_jdk_info "$1" || return 1
  printf '%s %s %s\n' "$ATMOS_JDK_KEY" "$ATMOS_JDK_MAJOR" "$ATMOS_JDK_FULL"
}

# _atmos_each_jdk FUNCTION: calls FUNCTION with each JDK home under $ATMOS_JDK_DIRS (macOS: <bundle>/Contents/Home),
# and sets _atmos_roots_looked to where that was.
_atmos_each_jdk() {
  _atmos_roots_looked=
  _ej_oldifs=$IFS
  IFS=:
  for _ej_root in ${ATMOS_JDK_DIRS:-/usr/lib/jvm:/Library/Java/JavaVirtualMachines}; do
    IFS=$_ej_oldifs
    case $_ej_root in
      */JavaVirtualMachines) _atmos_roots_looked="$_atmos_roots_looked, $_ej_root/*/Contents/Home" ;;
      *) _atmos_roots_looked="$_atmos_roots_looked, $_ej_root/*" ;;
    esac
    for _ej_jdk in "$_ej_root"/*; do
      [ -d "$_ej_jdk" ] || continue
      if [ -d "$_ej_jdk/Contents/Home" ]; then
        "$1" "$_ej_jdk/Contents/Home"
      else
        "$1" "$_ej_jdk"
      fi
    done
  done
  IFS=$_ej_oldifs
}

# _atmos_consider HOME: keeps HOME when it is a JDK >= 17 newer than the best so far (the first of equals wins).
_atmos_consider() {
  [ -n "$1" ] || return 0
  atmos_jdk_info "$1" || return 0
  if [ "$ATMOS_JDK_MAJOR" -ge "$ATMOS_MIN_JAVA" ] && [ "$ATMOS_JDK_KEY" -gt "$_best_key" ]; then
    _best_key=$ATMOS_JDK_KEY; _best_major=$ATMOS_JDK_MAJOR; _best_full=$ATMOS_JDK_FULL; _best_home=$1
  fi
  return 0
}

# _atmos_match_path_java HOME: when HOME/bin/java (no link itself) is the very file the java on PATH leads to,
# remembers HOME/bin; one whose path holds no symlink (so needs no readlink to make canonical) is preferred.
_atmos_match_path_java() {
  [ -z "$_mp_bin" ] && [ -n "$1" ] || return 0
  # test -ef: POSIX.1-2024, and dash, bash (3.2 too), ksh, zsh and BusyBox have long had it.
  # shellcheck disable=SC3013
  if [ ! -h "$1/bin/java" ] && [ "$1/bin/java" -ef "$_onpath" ]; then
    if atmos_canon "$1/bin" nofork; then
      _mp_bin=$ATMOS_CANON
    elif [ -z "$_mp_first" ]; then
      _mp_first=$1/bin
    fi
  fi
  return 0
}

# _atmos_path_java: sets _onpath to the java on PATH (the first executable file named java, as `command -v java`
# finds it; empty when there is none) and _real to it with every symlink followed.
_atmos_path_java() {
  _onpath=
  _real=
  _pj_rest=${PATH-}:
  while [ -n "$_pj_rest" ]; do
    _pj_dir=${_pj_rest%%:*}
    _pj_rest=${_pj_rest#*:}
    if [ -f "${_pj_dir:-.}/java" ] && [ -x "${_pj_dir:-.}/java" ]; then
      _onpath=${_pj_dir:-.}/java
      break
    fi
  done
  [ -n "$_onpath" ] || return 0
  if [ -h "$_onpath" ]; then
    # A link such as /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/<jdk>/bin/java. It mostly leads to a
    # JDK that is looked at anyway (JAVA_HOME, ATMOS_JDK_DIRS): finding that JDK's java to be the same file saves
    # reading each link (a fork apiece).
    _mp_bin=
    _mp_first=
    _atmos_match_path_java "${JAVA_HOME:-}"
    _atmos_each_jdk _atmos_match_path_java
    if [ -z "$_mp_bin" ] && [ -n "$_mp_first" ]; then
      atmos_canon "$_mp_first"
      _mp_bin=$ATMOS_CANON
    fi
    if [ -n "$_mp_bin" ]; then
      _real=${_mp_bin%/}/java
      return 0
    fi
  fi
  atmos_canon "$_onpath"
  _real=$ATMOS_CANON
  return 0
}

atmos_find_java() {
  if [ -n "${ATMOS_JAVA_HOME:-}" ]; then
    if atmos_jdk_info "$ATMOS_JAVA_HOME" && [ "$ATMOS_JDK_MAJOR" -ge "$ATMOS_MIN_JAVA" ]; then
      ATMOS_JAVA_HOME_SEL=$ATMOS_JAVA_HOME
      ATMOS_JAVA=$ATMOS_JAVA_HOME/bin/java
      ATMOS_JAVA_MAJOR=$ATMOS_JDK_MAJOR
      ATMOS_JAVA_VERSION=$ATMOS_JDK_FULL
      atmos_version_opts
      return 0
    fi
    echo "${ATMOS_PROG:-atmos}: ATMOS_JAVA_HOME=$ATMOS_JAVA_HOME is not a JDK >= $ATMOS_MIN_JAVA (no bin/java, or too old); unset it or point it at one" >&2
    exit 2
  fi

  _best_key=0
  _best_home=
  _best_major=
  _best_full=

  if [ -n "${JAVA_HOME:-}" ]; then
    _looked="JAVA_HOME=$JAVA_HOME"
    _atmos_consider "$JAVA_HOME"
  else
    _looked="JAVA_HOME (unset)"
  fi

  _atmos_path_java
  if [ -n "$_onpath" ]; then
    # The JDK home is two levels up from the real bin/java (dirname of dirname).
    _home=${_real%/*}
    _home=${_home%/*}
    _atmos_consider "${_home:-/}"
    _looked="$_looked, java on PATH ($_real)"
  else
    _looked="$_looked, PATH (no java)"
  fi

  _atmos_each_jdk _atmos_consider
  _looked=$_looked$_atmos_roots_looked

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

# atmos_classpath_set DIR: sets ATMOS_CP to the jars in DIR joined with ':' in a stable (C-locale) order, so that
# CDS/AOT archives, which record the class path, match from run to run. Globbed in this shell (no subshell), with
# LC_ALL=C only for the glob: the JVM gets the caller's LC_ALL back.
atmos_classpath_set() {
  _cp_lc_set=${LC_ALL+set}
  _cp_lc=${LC_ALL-}
  LC_ALL=C
  ATMOS_CP=
  for _jar in "$1"/*.jar; do
    # No match leaves the pattern itself (checked only then: a stat per jar adds up).
    case $_jar in "$1/*.jar") [ -e "$_jar" ] || continue ;; esac
    ATMOS_CP=${ATMOS_CP:+$ATMOS_CP:}$_jar
  done
  if [ -n "$_cp_lc_set" ]; then
    LC_ALL=$_cp_lc
  else
    unset LC_ALL
  fi
}

# atmos_classpath DIR: prints what atmos_classpath_set sets.
atmos_classpath() {
  atmos_classpath_set "$1"
  printf '%s\n' "$ATMOS_CP"
}
