#!/usr/bin/env bash
# Smoke test of the built Debian package, from the installed app:
#   install -> --version -> new -> import -> verify -> status --json -> --screenshot (offscreen)
#   -> export --pdf -> dpkg -r -> the user's journal is still there, byte for byte.
#
#   bash packaging/smoke.sh [dist/sciatica-tracker_<version>_amd64.deb]
#
# As root it installs with `dpkg -i` and removes with `dpkg -r` (an installed sciatica-tracker
# is replaced and then removed). Otherwise it unpacks with `dpkg -x` into a throwaway root and
# runs the bundle from there (maintainer scripts and `dpkg -r` are then skipped).
# Every step prints PASS/FAIL/SKIP; the exit status is 1 when any step failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG=sciatica-tracker
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/domain/__init__.py")"
DEB="${1:-$ROOT/dist/${PKG}_${VERSION}_amd64.deb}"
EVENTS="$ROOT/packaging/smoke/events.jsonl"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/sciatica-smoke.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
# A throwaway user: the journal lives in "their" data folder, never in the package's folders.
export HOME="$TMP/home" XDG_DATA_HOME="$TMP/home/.local/share" XDG_CONFIG_HOME="$TMP/home/.config"
export XDG_CACHE_HOME="$TMP/home/.cache" XDG_RUNTIME_DIR="$TMP/runtime"
mkdir -p "$XDG_DATA_HOME/sciatica-smoke" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
JOURNAL="$XDG_DATA_HOME/sciatica-smoke/journal.sciatica"
OUT="$TMP/out"
mkdir -p "$OUT"

declare -a RESULTS=()
failed=0
pass() { RESULTS+=("PASS  $1"); printf 'PASS  %s\n' "$1"; }
fail() { RESULTS+=("FAIL  $1: $2"); printf 'FAIL  %s: %s\n' "$1" "$2"; failed=1; }
skip() { RESULTS+=("SKIP  $1: $2"); printf 'SKIP  %s: %s\n' "$1" "$2"; }
# run NAME CMD...: runs CMD, keeps its stdout/stderr in $OUT/NAME.{out,err}, sets $rc.
run() {
    local name="$1"; shift
    "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    rc=$?
}
why() {  # the error lines of a failed step (or the last lines of its output), for the report
    local name="$1" text
    text="$({ cat "$OUT/$name.err"; cat "$OUT/$name.out"; } | grep -v '^[[:space:]]*$')"
    { grep -E '(Error|Exception|error|Traceback)' <<<"$text" | tail -n 2 | grep . || tail -n 3 <<<"$text"; } \
        | tr '\n' ' ' | cut -c1-400
}
summary() {
    printf '\n==> smoke summary (%s)\n' "$(basename "$DEB")"
    printf '    %s\n' "${RESULTS[@]}"
    exit "$failed"
}

[ -f "$DEB" ] || { fail "package" "$DEB not found (run: make package)"; summary; }

# --- install ------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v dpkg >/dev/null 2>&1; then
    MODE=dpkg
    run install dpkg -i "$DEB"
    if [ "$rc" = 0 ]; then pass "install: dpkg -i $(basename "$DEB")"; else fail "install" "$(why install)"; summary; fi
    SCIATICA=/usr/bin/sciatica
    PREFIX=""
else
    MODE=extract
    PREFIX="$TMP/root"
    run install dpkg-deb -x "$DEB" "$PREFIX"
    if [ "$rc" = 0 ]; then pass "install: dpkg-deb -x into a throwaway root (not root: no dpkg -i)"
    else fail "install" "$(why install)"; summary; fi
    SCIATICA="$PREFIX/opt/$PKG/sciatica"
fi

missing=""
for f in /usr/bin/sciatica /opt/$PKG/sciatica /usr/share/applications/$PKG.desktop \
    /usr/share/mime/packages/$PKG.xml /usr/share/icons/hicolor/48x48/apps/$PKG.png \
    /usr/share/icons/hicolor/scalable/apps/$PKG.svg /usr/share/doc/$PKG/copyright; do
    [ -e "$PREFIX$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then pass "installed files: launcher, bundle, desktop entry, MIME XML, icons, copyright"
else fail "installed files" "missing:$missing"; fi
if [ "$MODE" = dpkg ]; then
    if grep -q 'application/x-sciatica-journal:\*\.sciatica' /usr/share/mime/globs2 2>/dev/null; then
        pass "postinst: /usr/share/mime/globs2 maps *.sciatica to application/x-sciatica-journal"
    elif ! command -v update-mime-database >/dev/null 2>&1; then
        skip "postinst MIME cache" "update-mime-database is not installed"
    else
        fail "postinst MIME cache" "*.sciatica is not in /usr/share/mime/globs2"
    fi
    if grep -q '^application/x-sciatica-journal=.*sciatica-tracker.desktop' /usr/share/applications/mimeinfo.cache 2>/dev/null; then
        pass "postinst: mimeinfo.cache opens application/x-sciatica-journal with sciatica-tracker.desktop"
    elif ! command -v update-desktop-database >/dev/null 2>&1; then
        skip "postinst desktop cache" "update-desktop-database is not installed"
    else
        fail "postinst desktop cache" "application/x-sciatica-journal is not in /usr/share/applications/mimeinfo.cache"
    fi
fi

# --- the installed app, headless ----------------------------------------------------------
run version "$SCIATICA" --version
if [ "$rc" = 0 ] && [ "$(cat "$OUT/version.out")" = "sciatica-tracker $VERSION" ]; then
    pass "sciatica --version: $(cat "$OUT/version.out")"
else
    fail "sciatica --version" "exit $rc, got '$(why version)', expected 'sciatica-tracker $VERSION'"
fi

run new "$SCIATICA" new "$JOURNAL" --patient "Smoke Test" --side left --onset 2026-01-01
if [ "$rc" = 0 ] && [ -s "$JOURNAL" ]; then pass "sciatica new: $(cat "$OUT/new.out")"
else fail "sciatica new" "exit $rc: $(why new)"; fi

run import "$SCIATICA" import "$JOURNAL" "$EVENTS"
if [ "$rc" = 0 ] && grep -q "Imported 8 entries" "$OUT/import.out"; then pass "sciatica import: $(cat "$OUT/import.out")"
else fail "sciatica import" "exit $rc: $(why import)"; fi

run verify "$SCIATICA" verify "$JOURNAL"
if [ "$rc" = 0 ] && grep -q "9 entries verified" "$OUT/verify.out"; then pass "sciatica verify: $(cat "$OUT/verify.out")"
else fail "sciatica verify" "exit $rc: $(why verify)"; fi

# Clinic mode's PostgreSQL client (psycopg and its libpq) is in the bundle: with no server on
# port 1 the command must say the database cannot be used, not that a module is missing.
run clinic "$SCIATICA" clinic caseload --db "postgresql://127.0.0.1:1/none"
if [ "$rc" = 2 ] && grep -q "cannot be used" "$OUT/clinic.err" "$OUT/clinic.out" \
        && ! grep -qi "module" "$OUT/clinic.err" "$OUT/clinic.out"; then
    pass "sciatica clinic: PostgreSQL client bundled (no server: a plain refusal)"
else fail "sciatica clinic" "exit $rc: $(why clinic)"; fi

run status "$SCIATICA" status "$JOURNAL" --as-of 2026-01-12 --json
if [ "$rc" != 0 ]; then
    fail "sciatica status --json" "exit $rc: $(why status)"
elif command -v python3 >/dev/null 2>&1; then
    if python3 - "$OUT/status.out" >"$OUT/status.check" 2>&1 <<'EOF'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["schema"] == "sciatica-status/2", s["schema"]
assert s["patient"] == "Smoke Test", s["patient"]
assert s["affected_side"] == "left", s["affected_side"]
assert s["as_of"] == "2026-01-12", s["as_of"]
for key in ("centralization", "strength", "nerve_mobility", "pain", "walking"):
    assert key in s["indicators"], key
print(f"stage {s['stage']}, heel raises {s['indicators']['strength'].get('heel_raises')}")
EOF
    then pass "sciatica status --json: $(cat "$OUT/status.check")"
    else fail "sciatica status --json" "unexpected JSON: $(tail -n 2 "$OUT/status.check" | tr '\n' ' ')"; fi
elif grep -q '"schema": *"sciatica-status/2"' "$OUT/status.out"; then
    pass "sciatica status --json (schema sciatica-status/2; no python3 to check more)"
else
    fail "sciatica status --json" "no \"schema\": \"sciatica-status/2\" in the output"
fi

PNG="$OUT/checkin.png"
run screenshot env QT_QPA_PLATFORM=offscreen "$SCIATICA" "$JOURNAL" --screenshot "$PNG" --view checkin --as-of 2026-01-12
if [ "$rc" != 0 ]; then
    fail "sciatica FILE --screenshot --view checkin (offscreen)" "exit $rc: $(why screenshot)"
elif [ ! -s "$PNG" ] || [ "$(head -c 8 "$PNG" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
    fail "sciatica FILE --screenshot --view checkin (offscreen)" "exit 0 but $PNG is not a PNG: $(why screenshot)"
else
    dims="$(od -An -tu1 -j16 -N8 "$PNG" | awk '{printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')"
    size=$(stat -c %s "$PNG")
    if [ "$size" -lt 10000 ]; then
        fail "sciatica FILE --screenshot --view checkin (offscreen)" "PNG $dims is only $size bytes (blank window?)"
    else
        pass "sciatica FILE --screenshot --view checkin (offscreen): PNG $dims, $((size / 1024)) KiB"
        [ -z "${SMOKE_KEEP_PNG:-}" ] || cp "$PNG" "$SMOKE_KEEP_PNG"
    fi
fi

PDF="$OUT/report.pdf"
run pdf env QT_QPA_PLATFORM=offscreen "$SCIATICA" export "$JOURNAL" --pdf "$PDF"
if [ "$rc" = 0 ] && [ "$(head -c 5 "$PDF" 2>/dev/null)" = "%PDF-" ]; then
    pass "sciatica export --pdf (offscreen): $(($(stat -c %s "$PDF") / 1024)) KiB"
else
    fail "sciatica export --pdf (offscreen)" "exit $rc: $(why pdf)"
fi

# --- remove: the user's journal stays ------------------------------------------------------
sum_before="$(sha256sum "$JOURNAL" 2>/dev/null | cut -d' ' -f1)"
if [ "$MODE" = dpkg ]; then
    run remove dpkg -r "$PKG"
    if [ "$rc" = 0 ] && [ ! -e /opt/$PKG ] && [ ! -e /usr/bin/sciatica ]; then
        pass "dpkg -r $PKG: /opt/$PKG and /usr/bin/sciatica are gone"
    else
        fail "dpkg -r $PKG" "exit $rc: $(why remove)"
    fi
    if grep -q 'application/x-sciatica-journal' /usr/share/mime/globs2 2>/dev/null; then
        fail "postrm MIME cache" "*.sciatica is still in /usr/share/mime/globs2"
    fi
else
    skip "dpkg -r" "not root; nothing was installed system-wide"
fi
if [ -z "$sum_before" ]; then
    skip "journal kept" "no journal was created"
elif [ "$(sha256sum "$JOURNAL" 2>/dev/null | cut -d' ' -f1)" = "$sum_before" ]; then
    pass "journal kept: $JOURNAL is unchanged after removal"
else
    fail "journal kept" "$JOURNAL is gone or changed after removal"
fi

summary
