#!/bin/sh
# Installs this atmos distribution for the current user, and atmosd as a login service.
#
#   install-service.sh [--prefix DIR] [--no-service]     install (or update: it is idempotent)
#   install-service.sh [--prefix DIR] --uninstall        remove what install put in place
#
# Install: copies the distribution to $PREFIX/lib/atmos (PREFIX defaults to ~/.local), links atmos and atmosd
# into $PREFIX/bin, then
#   Linux:  the user units atmosd.socket + atmosd.service into ~/.config/systemd/user (ExecStart pointing at the
#           copy), `systemctl --user daemon-reload`, `systemctl --user enable --now atmosd.socket`;
#   macOS:  ~/Library/LaunchAgents/dev.atmosd.atmosd.plist and `launchctl bootstrap gui/$UID`.
# Without systemd --user or launchd it says so: atmos then starts the daemon itself on first use.
# Uninstall leaves your SSO session cache (~/.cache/atmos) alone; `atmos auth logout --all` clears it.
set -eu

PREFIX=${PREFIX:-$HOME/.local}
mode=install
service=yes
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    --uninstall) mode=uninstall; shift ;;
    --no-service) service=no; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-service.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "atmos install: $*"; }
_s=$0
while [ -h "$_s" ]; do _l=$(readlink "$_s"); case $_l in /*) _s=$_l ;; *) _s=$(dirname "$_s")/$_l ;; esac; done
src=$(cd -P "$(dirname "$_s")/.." && pwd)
mkdir -p "$PREFIX"
PREFIX=$(cd -P "$PREFIX" && pwd)
dest=$PREFIX/lib/atmos
bindir=$PREFIX/bin
unit_dir=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
plist=$HOME/Library/LaunchAgents/dev.atmosd.atmosd.plist
os=$(uname -s)

have_systemd_user() {
  command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1
}

# Escapes a string for use as the replacement in a sed s||| expression.
sed_escape() { printf '%s' "$1" | sed 's/[\\|&]/\\&/g'; }

# The directories atmosd writes into, resolved as atmosd resolves them (DaemonPaths) from this shell's environment:
# the systemd user manager may not have the XDG_* variables the user's shell has, so they are pinned in the unit.
# Relative values are ignored, as the XDG base directory spec says.
absolute_or() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s' "$2" ;; esac; }
cache_home=$(absolute_or "${ATMOS_XDG_CACHE_HOME:-}" "$(absolute_or "${XDG_CACHE_HOME:-}" "$HOME/.cache")")
state_home=$(absolute_or "${XDG_STATE_HOME:-}" "$HOME/.local/state")
case $cache_home$state_home in *'
'*) echo "atmos install: XDG_CACHE_HOME or XDG_STATE_HOME holds a newline, which a systemd unit cannot name" >&2; exit 2 ;; esac

# One word of a unit file, double-quoted: backslash and quote escaped, % doubled (a specifier otherwise); with
# exec=yes also $ doubled, as Exec*= lines expand variables. (A newline cannot be written: refused above.)
unit_word() {
  _w=$(printf '%s' "$1" | sed -e 's/[\\"]/\\&/g' -e 's/%/%%/g')
  if [ "${2:-}" = exec ]; then _w=$(printf '%s' "$_w" | sed 's/\$/$$/g'); fi
  printf '"%s"' "$_w"
}

# atmosd.service.d/paths.conf: the environment that makes atmosd use the directories this shell's atmos uses.
write_paths_dropin() {
  {
    echo "# Written by install-service.sh: the directories atmosd uses, as the shell that installed it resolved them."
    echo "# Re-run the installer after changing XDG_CACHE_HOME or XDG_STATE_HOME."
    echo "[Service]"
    echo "Environment=$(unit_word "ATMOS_XDG_CACHE_HOME=$cache_home") $(unit_word "XDG_STATE_HOME=$state_home")"
  } > "$1.tmp"
  mv "$1.tmp" "$1"
}

# atmosd.service.d/sandbox.conf: the shipped confinement with the writable paths derived from the directories above
# (the shipped file names the defaults under %h).
write_sandbox_dropin() {
  {
    sed -e '/^ReadWritePaths=/d' -e '/^CacheDirectory=/d' -e '/^ExecStartPre=/d' -e '/^# These are the default/,/^# resolves from/d' \
      "$dest/share/systemd/atmosd.service.d/sandbox.conf"
    echo "# Derived by install-service.sh from the directories atmosd uses (paths.conf)."
    echo "ReadWritePaths=$(unit_word "$cache_home/atmos") $(unit_word "-$state_home/atmosd") %t/atmosd"
    # + runs it outside the confinement: the file system is read-only inside, and ReadWritePaths needs the cache dir.
    echo "ExecStartPre=+/bin/mkdir -p -m 0700 $(unit_word "$cache_home/atmos" exec) $(unit_word "$state_home/atmosd" exec)"
  } > "$1.tmp"
  mv "$1.tmp" "$1"
}

install_systemd() {
  if ! have_systemd_user; then
    say "systemd --user is not running here: no service installed; atmos starts atmosd itself on first use"
    return 0
  fi
  mkdir -p "$unit_dir"
  sed "s|^ExecStart=%h/.local/lib/atmos/bin/atmosd|ExecStart=$(sed_escape "$(unit_word "$dest/bin/atmosd" exec)")|" \
    "$dest/share/systemd/atmosd.service" > "$unit_dir/atmosd.service.tmp"
  mv "$unit_dir/atmosd.service.tmp" "$unit_dir/atmosd.service"
  cp "$dest/share/systemd/atmosd.socket" "$unit_dir/atmosd.socket"
  mkdir -p "$unit_dir/atmosd.service.d"
  write_paths_dropin "$unit_dir/atmosd.service.d/paths.conf"
  # File-system confinement needs unprivileged user namespaces in a user manager; without them the unit could not
  # start at all, so the drop-in goes in only where they work.
  if command -v unshare >/dev/null 2>&1 && unshare --user --map-root-user true >/dev/null 2>&1; then
    write_sandbox_dropin "$unit_dir/atmosd.service.d/sandbox.conf"
    say "file-system sandbox enabled (atmosd.service.d/sandbox.conf): atmosd writes only to $cache_home/atmos, $state_home/atmosd and its socket dir"
  else
    rm -f "$unit_dir/atmosd.service.d/sandbox.conf"
    say "unprivileged user namespaces are unavailable: the unit runs without the file-system sandbox"
  fi
  systemctl --user daemon-reload
  systemctl --user enable --now atmosd.socket
  # A running daemon keeps the old jars open: restart it onto the new ones (no-op when it is not running).
  systemctl --user try-restart atmosd.service || true
  say "atmosd.socket enabled: atmosd starts on the first atmos call (log: ~/.local/state/atmosd/atmosd.log)"
}

uninstall_systemd() {
  if have_systemd_user; then
    systemctl --user disable --now atmosd.socket atmosd.service >/dev/null 2>&1 || true
  fi
  rm -f "$unit_dir/atmosd.service" "$unit_dir/atmosd.socket" "$unit_dir/atmosd.service.d/sandbox.conf" \
    "$unit_dir/atmosd.service.d/paths.conf"
  rmdir "$unit_dir/atmosd.service.d" 2>/dev/null || true
  if have_systemd_user; then systemctl --user daemon-reload || true; fi
}

install_launchd() {
  mkdir -p "$HOME/Library/LaunchAgents" "$HOME/Library/Logs"
  sed -e "s|@ATMOS_HOME@|$(sed_escape "$dest")|g" -e "s|@HOME@|$(sed_escape "$HOME")|g" \
    "$dest/share/launchd/dev.atmosd.atmosd.plist" > "$plist.tmp"
  mv "$plist.tmp" "$plist"
  uid=$(id -u)
  launchctl bootout "gui/$uid/dev.atmosd.atmosd" >/dev/null 2>&1 || true
  if launchctl bootstrap "gui/$uid" "$plist"; then
    say "LaunchAgent dev.atmosd.atmosd loaded (log: ~/Library/Logs/atmosd.log)"
  else
    say "launchctl bootstrap failed: atmos starts atmosd itself on first use; retry with: launchctl bootstrap gui/$uid $plist"
  fi
}

uninstall_launchd() {
  launchctl bootout "gui/$(id -u)/dev.atmosd.atmosd" >/dev/null 2>&1 || true
  rm -f "$plist"
}

# The client's start-up archive for the JDK bin/atmos will pick here, when the copy has none that matches it: a
# JDK 17-24 archive (lib/client.jsa) only works in the directory it was trained in, so a fresh copy never has one;
# the JDK 25 AOT cache (lib/client.aot) travels, but serves only the JDK build that made it. Without a JDK there is
# nothing to train (bin/atmos names the JDK it needs when it runs). In a subshell, as atmos-java.sh sets variables.
# The native client (lib/native/atmos, when the build could make one) travels with the copy; one run here says whether
# it works on this machine. If not (another platform, the JDK whose shared libraries it links gone), it is removed
# and bin/atmos runs the JVM client, as it would anyway; this only keeps a binary out that can never run here.
check_native_client() {
  [ -e "$dest/lib/native/atmos" ] || return 0
  if ATMOS_CLIENT=native "$dest/bin/atmos" --version >/dev/null 2>&1; then
    say "native client in $dest/lib/native (bin/atmos runs it; ATMOS_CLIENT=jvm picks the JVM client)"
  else
    rm -rf "$dest/lib/native"
    say "the native client cannot run on this machine; removed it: bin/atmos runs the JVM client"
  fi
}

train_client() (
  set +eu
  # shellcheck source=atmos-java.sh
  . "$dest/libexec/atmos-java.sh"
  atmos_canon "$dest"
  home=$ATMOS_CANON
  # A CDS archive trained for another directory (the one this was copied from) can serve nothing here.
  if [ -r "$home/lib/client.jsa.jdk" ]; then
    IFS= read -r have < "$home/lib/client.jsa.jdk"
    case $have in *"|$home") ;; *) rm -f "$home/lib/client.jsa" "$home/lib/client.jsa.jdk" ;; esac
  fi
  ATMOS_PROG=atmos
  if ! why=$(atmos_find_java 2>&1 >/dev/null); then
    say "no start-up archive trained, as atmos cannot start here yet: ${why#atmos: }"
    exit 0
  fi
  atmos_find_java
  atmos_canon "$ATMOS_JAVA_HOME_SEL"
  jdk=$ATMOS_CANON
  if [ "$ATMOS_JAVA_MAJOR" -ge 25 ]; then
    kind=aot want="$jdk|$ATMOS_JAVA_VERSION"
  else
    kind=jsa want="$jdk|$ATMOS_JAVA_VERSION|$home"
  fi
  have=
  if [ -r "$home/lib/client.$kind" ] && [ -r "$home/lib/client.$kind.jdk" ]; then
    IFS= read -r have < "$home/lib/client.$kind.jdk"
  fi
  [ "$have" != "$want" ] || exit 0
  say "training the client's start-up archive for JDK $ATMOS_JAVA_VERSION ($jdk): a few seconds"
  sh "$home/libexec/train-client.sh" "$home" "$jdk"
)

unlink_if_ours() {
  if [ -h "$1" ]; then
    case $(readlink "$1") in "$dest"/*) rm -f "$1" ;; esac
  fi
}

if [ "$mode" = uninstall ]; then
  if [ "$service" = yes ]; then
    case $os in
      Linux) uninstall_systemd ;;
      Darwin) uninstall_launchd ;;
    esac
  fi
  unlink_if_ours "$bindir/atmos"
  unlink_if_ours "$bindir/atmosd"
  if [ "$src" = "$dest" ]; then
    # Running from the installed copy: remove it after this script has been read (sh reads it as it goes).
    cd /
  fi
  rm -rf "$dest"
  say "removed $dest and the links in $bindir (your SSO session cache in ${XDG_CACHE_HOME:-~/.cache}/atmos is kept)"
  exit 0
fi

if [ "$src" != "$dest" ]; then
  mkdir -p "$PREFIX/lib"
  rm -rf "$dest.new"
  # -p keeps the jars' timestamps: class-data archives check them.
  cp -pR "$src" "$dest.new"
  rm -rf "$dest"
  mv "$dest.new" "$dest"
fi
mkdir -p "$bindir"
ln -sfn "$dest/bin/atmos" "$bindir/atmos"
ln -sfn "$dest/bin/atmosd" "$bindir/atmosd"
say "installed $(cat "$dest/VERSION" 2>/dev/null || echo atmos) in $dest; commands linked in $bindir"
case ":$PATH:" in
  *":$bindir:"*) ;;
  *) say "$bindir is not on your PATH: add  export PATH=\"$bindir:\$PATH\"  to your shell profile" ;;
esac
check_native_client
train_client || true

if [ "$service" = yes ]; then
  case $os in
    Linux) install_systemd ;;
    Darwin) install_launchd ;;
    *) say "no service manager support for $os: atmos starts atmosd itself on first use" ;;
  esac
fi
