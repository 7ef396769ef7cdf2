#!/usr/bin/env bash
# `make package-check`: the .deb on a fresh, minimal Debian 12, the way a new user meets it.
#
#   sudo bash packaging/package_check.sh [dist/sciatica-tracker_<version>_amd64.deb]
#
# 1. A debootstrap --variant=minbase bookworm root (made once, kept in build/pkgcheck/base;
#    every run works on a fresh copy of it).
# 2. `apt-get install --no-install-recommends ./the.deb xvfb xauth`: only the package's Depends
#    and Xvfb, so a missing Depends shows up as a failure below.
# 3. A real window: `xvfb-run sciatica J` on the xcb platform (not offscreen); the window must be
#    mapped and the app still running a few seconds later (no abort, no Qt plugin error).
# 4. The recommended desktop plumbing (shared-mime-info, desktop-file-utils) plus gio and
#    xdg-open; `gio open "My journal.sciatica"` and `xdg-open ...` must each start the app with
#    that journal (its window title names it).
# 5. packaging/smoke.sh inside the root (CLI, offscreen screenshot, PDF, dpkg -r), then
#    `apt-get purge`: /opt still there, the package's files gone, every journal unchanged.
#
# Runs as root (debootstrap, chroot, mounts). Chroots run in their own mount and PID namespaces
# (unshare), so no mount outlives a step and stopping a step ends every process it started. The
# X clients that check the window (xdotool, xwininfo) run on the build machine, never in the
# root, so they cannot pull in a library the package forgot. Every step prints PASS/FAIL/SKIP;
# the exit status is 1 when any failed. Knobs: PKGCHECK_DIR (default build/pkgcheck),
# PKGCHECK_MIRROR (default: the build machine's Debian mirror), PKGCHECK_KEEP=1 keeps the root,
# PKGCHECK_SUITE=trixie tries the next Debian release (the package is built for bookworm).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG=sciatica-tracker
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/domain/__init__.py")"
DEB="$(realpath -m "${1:-$ROOT/dist/${PKG}_${VERSION}_amd64.deb}")"
DIR="${PKGCHECK_DIR:-$ROOT/build/pkgcheck}"
SUITE="${PKGCHECK_SUITE:-bookworm}"
BASE="$DIR/base"
[ "$SUITE" = bookworm ] || BASE="$DIR/base-$SUITE"
R="$DIR/root"
APP_TITLE="Sciatica Tracker"

declare -a RESULTS=()
failed=0
T0=$(date +%s.%N)
pass() { RESULTS+=("PASS  $1"); printf 'PASS  %s\n' "$1"; }
fail() { RESULTS+=("FAIL  $1: $2"); printf 'FAIL  %s: %s\n' "$1" "$2"; failed=1; }
skip() { RESULTS+=("SKIP  $1: $2"); printf 'SKIP  %s: %s\n' "$1" "$2"; }
say() { printf '==> %s\n' "$*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
summary() {
    printf '\n==> package check summary (%s, %s s in all)\n' "$(basename "$DEB")" "$(secs "$T0" "$(now)")"
    printf '    %s\n' "${RESULTS[@]}"
    exit "$failed"
}

# in_root CMD...: CMD inside the root, in new mount and PID namespaces with /proc and /dev.
# in_root_bg LOG CMD...: the same in the background, output to LOG; sets $session (see stop_session).
in_root() {
    unshare --mount --pid --fork --kill-child -- /bin/bash -c "$IN_ROOT" "$R" "$@"
}
in_root_bg() {
    local log="$1"; shift
    unshare --mount --pid --fork --kill-child -- /bin/bash -c "$IN_ROOT" "$R" "$@" >"$log" 2>&1 &
    session=$!
}
IN_ROOT='
        set -e
        mount --make-rprivate /
        mount -t proc proc "$0/proc"
        mount --bind /dev "$0/dev"
        mount -t tmpfs -o mode=1777 tmpfs "$0/dev/shm"
        set +e
        # Not exec: bash stays the PID namespace'"'"'s init. As init, xvfb-run would never get the
        # SIGUSR1 with which Xvfb says it is ready.
        chroot "$0" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/tester \
            LANG=C.UTF-8 XDG_RUNTIME_DIR=/tmp/runtime-tester DEBIAN_FRONTEND=noninteractive "$@"
        exit $?'
# The mirror the build machine's apt uses (no host is written into this script).
host_mirror() {
    local uri
    uri="$(grep -hs -m1 -oP '^URIs:\s*\K\S+(?=.*)' /etc/apt/sources.list.d/debian.sources)" \
        || uri="$(grep -hs -m1 -oP '^deb\s+(\[[^]]*\]\s+)?\K\S+(?=\s+bookworm\s)' /etc/apt/sources.list)" || true
    printf '%s' "$uri"
}

[ "$(id -u)" = 0 ] || { echo "package_check.sh: run as root (debootstrap, chroot)" >&2; exit 2; }
[ -f "$DEB" ] || { fail "package" "$DEB not found (run: make package)"; summary; }
for tool in debootstrap:debootstrap unshare:util-linux xdotool:xdotool xwininfo:x11-utils; do
    command -v "${tool%%:*}" >/dev/null 2>&1 && continue
    say "installing ${tool#*:} on the build machine"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool#*:}" \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool#*:}"; }
    } >/dev/null 2>&1 || { fail "tools" "cannot install ${tool#*:}"; summary; }
done
say "$(basename "$DEB"): $(du -h --apparent-size "$DEB" | cut -f1)"

# --- 1. the fresh root ----------------------------------------------------------------------
mkdir -p "$DIR"
if [ ! -x "$BASE/usr/bin/apt-get" ]; then
    MIRROR="${PKGCHECK_MIRROR:-$(host_mirror)}"
    say "debootstrap --variant=minbase $SUITE ${MIRROR:-"(the default mirror)"} (once; kept in $BASE)"
    start=$(now)
    rm -rf "$BASE"
    if ! debootstrap --variant=minbase "$SUITE" "$BASE" ${MIRROR:+"$MIRROR"} >"$DIR/debootstrap.log" 2>&1; then
        fail "debootstrap" "$(tail -n 3 "$DIR/debootstrap.log" | tr '\n' ' ')"; summary
    fi
    pass "debootstrap minbase $SUITE: $(secs "$start" "$(now)") s"
fi
start=$(now)
if findmnt -rn -o TARGET | grep -qF "$R/"; then fail "fresh root" "something is still mounted under $R"; summary; fi
rm -rf "$R"
cp -a "$BASE" "$R"
cp /etc/resolv.conf "$R/etc/resolv.conf"
mkdir -p "$R/tmp/pkgcheck" "$R/home/tester" "$R/tmp/runtime-tester"
chmod 700 "$R/tmp/runtime-tester"
cp "$DEB" "$R/tmp/pkgcheck/"
chmod 644 "$R/tmp/pkgcheck/$(basename "$DEB")"
IN_DEB="/tmp/pkgcheck/$(basename "$DEB")"
session=""
cleanup() {  # also when interrupted: no Xvfb or app of a step outlives the check
    [ -z "$session" ] || kill -KILL "$session" 2>/dev/null
    [ -n "${PKGCHECK_KEEP:-}" ] || rm -rf "$R"
}
trap cleanup EXIT
pass "fresh root: a copy of the minbase root ($(du -sh "$R" | cut -f1)) in $(secs "$start" "$(now)") s"

# --- 2. install: the package's Depends and Xvfb, nothing else -------------------------------
start=$(now)
in_root apt-get update -qq >"$DIR/apt-update.log" 2>&1 \
    && in_root apt-get install -y -qq --download-only --no-install-recommends "$IN_DEB" xvfb xauth \
        >"$DIR/apt-download.log" 2>&1
rc=$?
t_download=$(secs "$start" "$(now)")
start=$(now)
[ "$rc" = 0 ] && in_root apt-get install -y --no-install-recommends "$IN_DEB" xvfb xauth >"$DIR/apt-install.log" 2>&1
rc=$?
t_install=$(secs "$start" "$(now)")
if [ "$rc" = 0 ]; then
    n_pkgs=$(grep -c '^Setting up ' "$DIR/apt-install.log")
    pass "apt install ./$(basename "$DEB") xvfb xauth (no Recommends): $n_pkgs packages; download ${t_download} s, install ${t_install} s"
else
    fail "apt install" "$(grep -E '^(E:|Error)' "$DIR"/apt-*.log | tail -n 3 | tr '\n' ' ')"; summary
fi

# --- 3. a real window ------------------------------------------------------------------------
# The display: a number no X server of the build machine uses (abstract sockets are shared).
DISP=""
for n in $(seq 70 99); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || [ -e "$R/tmp/.X$n-lock" ] && continue
    DISPLAY=":$n" xdpyinfo >/dev/null 2>&1 && continue
    DISP=$n; break
done
[ -n "$DISP" ] || { fail "display" "no free X display number in 70-99"; summary; }
export DISPLAY=":$DISP" XAUTHORITY="$R/tmp/pkgcheck/xauth"
XVFB=(xvfb-run -n "$DISP" -f /tmp/pkgcheck/xauth -s "-screen 0 1280x800x24 -nolisten tcp")

# The journals a user would have: made and filled by the installed CLI.
in_root sciatica new /home/tester/J.sciatica --patient "Package Check" --side left --onset 2026-01-01 \
    >"$DIR/new.log" 2>&1 || fail "sciatica new" "$(tail -n 2 "$DIR/new.log" | tr '\n' ' ')"
cp "$ROOT/packaging/smoke/events.jsonl" "$R/tmp/pkgcheck/events.jsonl"
in_root sciatica import /home/tester/J.sciatica /tmp/pkgcheck/events.jsonl >>"$DIR/new.log" 2>&1 \
    || fail "sciatica import" "$(tail -n 2 "$DIR/new.log" | tr '\n' ' ')"
cp "$R/home/tester/J.sciatica" "$R/home/tester/My journal.sciatica"
declare -A SUMS=()
for j in "$R/home/tester/"*.sciatica; do SUMS["$j"]="$(sha256sum "$j" | cut -d' ' -f1)"; done

# wait_window NAME REGEX LOG PID: the window whose title matches REGEX is mapped, and the app
# (an /opt/sciatica-tracker/sciatica process) still runs 3 s later. Sets t_window.
wait_window() {
    local name="$1" regex="$2" log="$3" pid="$4" started="$5" wid="" state
    for _ in $(seq 1 120); do
        wid="$(xdotool search --onlyvisible --name "$regex" 2>/dev/null | head -n 1)"
        [ -n "$wid" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    t_window=$(secs "$started" "$(now)")
    if [ -z "$wid" ]; then
        fail "$name" "no window titled /$regex/ after ${t_window} s: $(grep -v '^$' "$log" | tail -n 3 | tr '\n' ' ' | cut -c1-300)"
        return 1
    fi
    state="$(xwininfo -id "$wid" | sed -n 's/^ *Map State: //p')"
    sleep 3
    if [ "$state" != IsViewable ]; then
        fail "$name" "window $wid is $state, not IsViewable"
    elif ! pgrep -f '^/opt/sciatica-tracker/sciatica' >/dev/null; then
        fail "$name" "the app exited after mapping its window: $(tail -n 3 "$log" | tr '\n' ' ')"
    elif grep -qiE 'abort|could not load the qt platform plugin|core dumped|Traceback' "$log"; then
        fail "$name" "$(grep -iE 'abort|qt platform plugin|core dumped|Error' "$log" | head -n 2 | tr '\n' ' ')"
    else
        pass "$name: window \"$(xdotool getwindowname "$wid")\" mapped ($state) after ${t_window} s, still running 3 s later"
        if [ -n "${PKGCHECK_SCREENSHOT:-}" ] && command -v import >/dev/null 2>&1; then
            import -window root "$PKGCHECK_SCREENSHOT" 2>/dev/null || true
        fi
        return 0
    fi
    return 1
}
stop_session() {  # unshare ignores SIGTERM; SIGKILL makes the kernel end its whole PID namespace
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    session=""
    for _ in $(seq 1 40); do pgrep -f '^/opt/sciatica-tracker/sciatica' >/dev/null || break; sleep 0.25; done
    rm -f "$R/tmp/.X$DISP-lock" "$R/tmp/.X11-unix/X$DISP"  # Xvfb was killed, it could not clean up
}

start=$(now)
in_root_bg "$DIR/window.log" "${XVFB[@]}" sciatica /home/tester/J.sciatica
wait_window "xvfb-run sciatica J.sciatica (xcb)" '^J\.sciatica .*'"$APP_TITLE"'$' "$DIR/window.log" "$session" "$start"
stop_session "$session"

# --- 4. double-click: gio open / xdg-open -----------------------------------------------------
start=$(now)
# libfile-mimeinfo-perl (a Recommends of xdg-utils) lets xdg-open outside a desktop session
# find the type from shared-mime-info; without it xdg-open falls back to a web browser.
if in_root apt-get install -y -qq --no-install-recommends shared-mime-info desktop-file-utils libglib2.0-bin \
        xdg-utils libfile-mimeinfo-perl >"$DIR/apt-desktop.log" 2>&1; then
    mime="$(in_root gio info -a standard::content-type "/home/tester/My journal.sciatica" 2>&1 | sed -n 's/.*standard::content-type: //p')"
    default="$(in_root xdg-mime query default application/x-sciatica-journal 2>&1)"
    if [ "$mime" = application/x-sciatica-journal ] && [ "$default" = "$PKG.desktop" ]; then
        pass "desktop plumbing ($(secs "$start" "$(now)") s): *.sciatica is $mime, opened by $default"
    else
        fail "desktop plumbing" "content type '$mime', default application '$default'"
    fi
    # gio open: what GNOME's file manager does; xdg-open in a GNOME session hands over to gio;
    # xdg-open with no desktop session (a bare window manager) uses xdg-mime and mimeapps.
    n=0
    for opener in "gio open" "env XDG_CURRENT_DESKTOP=GNOME xdg-open" "xdg-open"; do
        n=$((n + 1))
        start=$(now)
        # The opener returns once the app is started; the session (and Xvfb) stays until stopped.
        in_root_bg "$DIR/open-$n.log" "${XVFB[@]}" \
            /bin/sh -c "$opener \"\$1\" && exec sleep 600" sh "/home/tester/My journal.sciatica"
        wait_window "${opener#env } \"My journal.sciatica\" starts the app with it" \
            '^My journal\.sciatica .*'"$APP_TITLE"'$' "$DIR/open-$n.log" "$session" "$start"
        stop_session "$session"
    done
else
    fail "desktop plumbing" "apt install shared-mime-info desktop-file-utils libglib2.0-bin xdg-utils failed"
fi

# --- 5. the headless smoke test inside the root, then remove ----------------------------------
mkdir -p "$R/tmp/pkgcheck/src/packaging/smoke" "$R/tmp/pkgcheck/src/domain"
cp "$ROOT/packaging/smoke.sh" "$R/tmp/pkgcheck/src/packaging/"
cp "$ROOT/packaging/smoke/events.jsonl" "$R/tmp/pkgcheck/src/packaging/smoke/"
cp "$ROOT/domain/__init__.py" "$R/tmp/pkgcheck/src/domain/"
if in_root bash /tmp/pkgcheck/src/packaging/smoke.sh "$IN_DEB" >"$DIR/smoke.log" 2>&1; then
    pass "packaging/smoke.sh in the root: $(grep -c '^PASS' "$DIR/smoke.log") steps passed"
else
    fail "packaging/smoke.sh in the root" "$(grep -E '^FAIL' "$DIR/smoke.log" | head -n 3 | tr '\n' ' ')"
fi
start=$(now)
in_root dpkg -i "$IN_DEB" >"$DIR/reinstall.log" 2>&1 || fail "reinstall" "$(tail -n 2 "$DIR/reinstall.log")"
if in_root apt-get purge -y "$PKG" >"$DIR/purge.log" 2>&1; then
    left=""
    for f in /opt/$PKG /usr/bin/sciatica /usr/share/applications/$PKG.desktop /usr/share/mime/packages/$PKG.xml; do
        [ -e "$R$f" ] && left="$left $f"
    done
    if [ -n "$left" ]; then fail "apt purge $PKG" "still there:$left"
    elif [ ! -d "$R/opt" ]; then fail "apt purge $PKG" "/opt itself was removed"
    else pass "apt purge $PKG ($(secs "$start" "$(now)") s): its files are gone, /opt is still there"; fi
else
    fail "apt purge $PKG" "$(tail -n 2 "$DIR/purge.log")"
fi
changed=""
for j in "${!SUMS[@]}"; do
    [ "$(sha256sum "$j" 2>/dev/null | cut -d' ' -f1)" = "${SUMS[$j]}" ] || changed="$changed ${j#"$R"}"
done
if [ -z "$changed" ]; then pass "journals untouched: ${#SUMS[@]} journals byte for byte the same after removal"
else fail "journals untouched" "changed or gone:$changed"; fi

summary
