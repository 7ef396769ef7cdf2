#!/usr/bin/env bash
# Build Sciatica Tracker's one-folder PyInstaller bundle and the Debian package
#     dist/sciatica-tracker_<version>_amd64.deb
# Called by `make package`; run from anywhere. Uses its own venv (build/pkg-venv), never the
# project's .venv. Everything it writes lives under build/pkg/ and dist/ (both gitignored).
#
# Environment knobs:
#   PYTHON=python3           interpreter for the build venv (Python 3.11)
#   PKG_VENV=build/pkg-venv  the build venv
#   DEB_COMPRESSION=xz       or zstd (~2 s instead of ~60 s, but 25% larger, and lintian on
#                            Debian 12 cannot read zstd members)
#   LINTIAN=1                also run lintian on the .deb (if installed)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
PKG_VENV="${PKG_VENV:-build/pkg-venv}"
case "$PKG_VENV" in /*) ;; *) PKG_VENV="$ROOT/$PKG_VENV" ;; esac
DEB_COMPRESSION="${DEB_COMPRESSION:-xz}"
PKG_NAME="sciatica-tracker"
APP_DIR="/opt/$PKG_NAME"
WORK="build/pkg"
ICON_SIZES="16 22 24 32 48 64 128 256 512"
# Depends that no ELF file of the bundle names: data Qt reads at run time (fontconfig's
# configuration, a font; with no font every glyph is a box and Qt prints no warning).
EXTRA_DEPENDS="fontconfig-config, fonts-dejavu-core | fonts-freefont-ttf"
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# --- 0. tools --------------------------------------------------------------------------------
# dpkg-deb (dpkg), dpkg-shlibdeps (dpkg-dev), patchelf, readelf and objdump (binutils),
# desktop-file-validate (desktop-file-utils), xz and zstd.
missing=()
for tool_pkg in dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev patchelf:patchelf readelf:binutils strip:binutils \
        objdump:binutils desktop-file-validate:desktop-file-utils xz:xz-utils zstd:zstd; do
    command -v "${tool_pkg%%:*}" >/dev/null 2>&1 || missing+=("${tool_pkg#*:}")
done
if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing missing build tools: ${missing[*]}"
        apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
            || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } \
            || die "cannot install ${missing[*]}"
    else
        die "missing build tools; run: sudo apt-get install ${missing[*]}"
    fi
fi

# --- 1. build venv with the app and PyInstaller ----------------------------------------------
if [ ! -x "$PKG_VENV/bin/python" ]; then
    say "creating the build venv $PKG_VENV"
    "$PYTHON" -m venv "$PKG_VENV"
    "$PKG_VENV/bin/python" -m pip install --quiet --upgrade pip
fi
VPY="$PKG_VENV/bin/python"
"$VPY" -c 'import sys; assert sys.version_info[:2] >= (3, 11), sys.version' \
    || die "$PKG_VENV needs Python 3.11 or later"

# Install the app from a fresh copy of the sources, so no stale setuptools build/lib (a module
# deleted from the tree) can sneak into the bundle.
rm -rf "$WORK/src"
mkdir -p "$WORK/src"
cp -a pyproject.toml README.md domain projections desktop "$WORK/src/"
find "$WORK/src" -name __pycache__ -prune -exec rm -rf {} +
say "installing the app and PyInstaller into $PKG_VENV"
pip_install() {
    if ! "$VPY" -m pip install --quiet "$@" >"$WORK/pip.log" 2>&1; then
        grep -v "is ignored: it is neither a file nor a directory" "$WORK/pip.log" >&2
        die "pip install $* failed"
    fi
}
pip_install "./$WORK/src[package]"
pip_install --no-deps --force-reinstall "./$WORK/src"

SRC_VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$WORK/src/domain/__init__.py")"
VERSION="$("$VPY" -c 'import importlib.metadata as m; print(m.version("sciatica-tracker"))')"
[ -n "$SRC_VERSION" ] || die "no __version__ in domain/__init__.py"
[ "$VERSION" = "$SRC_VERSION" ] || die "installed version $VERSION differs from domain.__version__ $SRC_VERSION"
say "version $VERSION"

# --- 2. the PyInstaller bundle ---------------------------------------------------------------
say "PyInstaller (packaging/sciatica.spec; log: $WORK/pyinstaller.log)"
rm -rf "$WORK/dist" "$WORK/work"
start=$(date +%s)
SYSTEM_PACKAGES="$ROOT/$WORK/system-packages.txt"
rm -f "$SYSTEM_PACKAGES"
if ! SCIATICA_SOURCE_DIR="$ROOT/$WORK/src" SCIATICA_SYSTEM_PACKAGES="$SYSTEM_PACKAGES" "$PKG_VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
        --distpath "$WORK/dist" --workpath "$WORK/work" packaging/sciatica.spec >"$WORK/pyinstaller.log" 2>&1; then
    tail -n 30 "$WORK/pyinstaller.log" >&2
    die "PyInstaller failed (full log: $WORK/pyinstaller.log)"
fi
grep "sciatica.spec:" "$WORK/pyinstaller.log" || true
say "PyInstaller took $(($(date +%s) - start)) s"
BUNDLE="$WORK/dist/sciatica"
[ -x "$BUNDLE/sciatica" ] || die "no executable $BUNDLE/sciatica"

# --- 3. bundle hygiene -------------------------------------------------------------------------
# Debug symbols off libpython and the stdlib extension modules only (pyenv builds ship them:
# 23 MB -> 4 MB). Never strip the rest: strip corrupts numpy's OpenBLAS.
before=$(du -sk "$BUNDLE" | cut -f1)
find "$BUNDLE/_internal" -maxdepth 1 -type f -name 'libpython3*.so*' -exec strip --strip-unneeded {} +
find "$BUNDLE/_internal" -type f -path '*/lib-dynload/*.so' -exec strip --strip-unneeded {} +
say "stripped libpython and lib-dynload: $(((before - $(du -sk "$BUNDLE" | cut -f1)) / 1024)) MB saved"
dangling="$(find "$BUNDLE" -xtype l -print)"
[ -z "$dangling" ] || die "dangling symlinks in the bundle: $dangling"
# RUNPATH entries naming the build host (a pyenv or venv path) are removed; $ORIGIN ones stay.
# Only files that leak a path are touched (patchelf, like strip, must not rewrite OpenBLAS).
fixed=0
leaked=("")
while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    rpath="$(patchelf --print-rpath "$f" 2>/dev/null)" || continue
    [ -n "$rpath" ] || continue
    keep=()
    leak=0
    IFS=: read -r -a entries <<<"$rpath"
    for e in "${entries[@]}"; do
        case "$e" in
            '$ORIGIN'*|'${ORIGIN}'*) keep+=("$e") ;;
            '') ;;
            *) leak=1 ;;
        esac
    done
    ((leak)) || continue
    if ((${#keep[@]})); then
        patchelf --set-rpath "$(IFS=:; echo "${keep[*]}")" "$f"
    else
        patchelf --remove-rpath "$f"
    fi
    fixed=$((fixed + 1))
    leaked+=("$rpath")
done < <(find "$BUNDLE" -type f -print0)
say "RUNPATH: removed build-host paths from $fixed files ($(printf '%s\n' "${leaked[@]}" | sort -u | tr '\n' ' '))"
# Shared libraries and data 644, directories 755; only the bundle's executable is executable.
find "$BUNDLE" -type d -exec chmod 755 {} +
find "$BUNDLE" -type f -exec chmod 644 {} +
chmod 755 "$BUNDLE/sciatica"
got="$("$BUNDLE/sciatica" --version)" || die "the bundle does not start: $BUNDLE/sciatica --version"
[ "$got" = "sciatica-tracker $VERSION" ] || die "the bundle reports '$got', expected 'sciatica-tracker $VERSION'"
say "bundle: $(du -sh "$BUNDLE" | cut -f1) ($got)"

# --- 4. the package tree -----------------------------------------------------------------------
# dpkg-shlibdeps wants a source-package layout: debian/control, the tree in debian/<package>.
DEBSRC="$WORK/deb"
STAGE="$DEBSRC/debian/$PKG_NAME"
rm -rf "$WORK/deb"
mkdir -p "$STAGE$APP_DIR" "$STAGE/usr/bin" "$STAGE/usr/share/applications" "$STAGE/usr/share/mime/packages" \
    "$STAGE/usr/share/doc/$PKG_NAME" "$STAGE/usr/share/lintian/overrides" "$STAGE/DEBIAN"
cp -a "$BUNDLE/." "$STAGE$APP_DIR/"
install -m 755 packaging/debian/sciatica "$STAGE/usr/bin/sciatica"
install -m 644 packaging/debian/sciatica-tracker.desktop "$STAGE/usr/share/applications/$PKG_NAME.desktop"
desktop-file-validate "$STAGE/usr/share/applications/$PKG_NAME.desktop" | grep -v ': hint: ' || true
desktop-file-validate "$STAGE/usr/share/applications/$PKG_NAME.desktop" >/dev/null \
    || die "desktop-file-validate rejects packaging/debian/sciatica-tracker.desktop"
install -m 644 packaging/debian/sciatica-tracker.xml "$STAGE/usr/share/mime/packages/$PKG_NAME.xml"
"$VPY" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$STAGE/usr/share/mime/packages/$PKG_NAME.xml" \
    || die "packaging/debian/sciatica-tracker.xml is not well-formed XML"
for size in $ICON_SIZES; do
    png="packaging/icons/sciatica-tracker-$size.png"
    [ -f "$png" ] || die "$png is missing (run packaging/render_icons.py)"
    for ctx in apps:sciatica-tracker mimetypes:application-x-sciatica-journal; do
        dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/${ctx%%:*}"
        mkdir -p "$dir"
        install -m 644 "$png" "$dir/${ctx#*:}.png"
    done
done
for ctx in apps:sciatica-tracker mimetypes:application-x-sciatica-journal; do
    dir="$STAGE/usr/share/icons/hicolor/scalable/${ctx%%:*}"
    mkdir -p "$dir"
    install -m 644 packaging/icons/sciatica-tracker.svg "$dir/${ctx#*:}.svg"
done
install -m 644 packaging/debian/copyright "$STAGE/usr/share/doc/$PKG_NAME/copyright"
mkdir -p "$STAGE/usr/share/man/man1"
gzip -9n <packaging/debian/sciatica.1 >"$STAGE/usr/share/man/man1/sciatica.1.gz"
chmod 644 "$STAGE/usr/share/man/man1/sciatica.1.gz"
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")/" \
    packaging/debian/changelog | gzip -9n >"$STAGE/usr/share/doc/$PKG_NAME/changelog.gz"
chmod 644 "$STAGE/usr/share/doc/$PKG_NAME/changelog.gz"
install -m 644 packaging/debian/lintian-overrides "$STAGE/usr/share/lintian/overrides/$PKG_NAME"
install -m 755 packaging/debian/postinst "$STAGE/DEBIAN/postinst"
install -m 755 packaging/debian/postrm "$STAGE/DEBIAN/postrm"
find "$STAGE" -type d -exec chmod 755 {} +

# Depends, computed from the bundle: dpkg-shlibdeps reads every ELF file's needed libraries and
# symbol versions (the libc floor among them) against the build host's Debian symbols files;
# the packages of the system libraries the spec left out are added (some are loaded with
# dlopen), then EXTRA_DEPENDS. A needed library found nowhere fails the build.
mapfile -d '' ELF_FILES < <(find "$STAGE$APP_DIR" -type f -print0 | while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && printf '%s\0' "$f"; done)
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$PKG_NAME" "$PKG_NAME" >"$DEBSRC/debian/control"
if ! SHLIBS="$(cd "$DEBSRC" && dpkg-shlibdeps -O --ignore-missing-info "${ELF_FILES[@]#"$DEBSRC/"}" 2>"$ROOT/$WORK/shlibdeps.log")"; then
    cat "$WORK/shlibdeps.log" >&2
    die "dpkg-shlibdeps failed"
fi
if grep -E "cannot find library|couldn't find library" "$WORK/shlibdeps.log" >&2; then
    die "a library the bundle needs is neither bundled nor in a Debian package (see above)"
fi
rm -f "$DEBSRC/debian/control"
DEPENDS="$("$VPY" packaging/bundle_libs.py depends "$SHLIBS" "$SYSTEM_PACKAGES" "$EXTRA_DEPENDS")"
# Cross-check of the libc floor: the newest GLIBC_ symbol version any bundled file needs.
GLIBC_FLOOR="$(objdump -T "${ELF_FILES[@]}" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -n 1)"
LIBC_DEP="$(sed -n 's/.*\blibc6 (>= \([0-9][0-9.]*\)).*/\1/p' <<<"$DEPENDS")"
[ -n "$LIBC_DEP" ] || die "Depends names no versioned libc6: $DEPENDS"
[ "$(printf '%s\n%s\n' "${GLIBC_FLOOR#GLIBC_}" "$LIBC_DEP" | sort -V | tail -n 1)" = "$LIBC_DEP" ] \
    || die "the bundle needs $GLIBC_FLOOR but Depends says libc6 (>= $LIBC_DEP)"
say "libc floor $GLIBC_FLOOR (${#ELF_FILES[@]} ELF files); Depends: $DEPENDS"

INSTALLED_SIZE="$(du -s -k --apparent-size --exclude=DEBIAN "$STAGE" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@INSTALLED_SIZE@/$INSTALLED_SIZE/" -e "s/@DEPENDS@/$DEPENDS/" \
    packaging/debian/control.in >"$STAGE/DEBIAN/control"
grep -q '@[A-Z_]*@' "$STAGE/DEBIAN/control" && die "DEBIAN/control still has a placeholder"
(cd "$STAGE" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
    >"$STAGE/DEBIAN/md5sums"
chmod 644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/md5sums"

# --- 5. the .deb -----------------------------------------------------------------------------
mkdir -p dist
DEB="dist/${PKG_NAME}_${VERSION}_amd64.deb"
rm -f "$DEB"
say "dpkg-deb -Z$DEB_COMPRESSION"
start=$(date +%s)
dpkg-deb --root-owner-group -Z"$DEB_COMPRESSION" --build "$STAGE" "$DEB" >/dev/null
say "dpkg-deb took $(($(date +%s) - start)) s"
if [ "${LINTIAN:-0}" = 1 ] && command -v lintian >/dev/null 2>&1; then
    lintian --tag-display-limit 0 "$DEB" || true
fi

say "built $DEB"
printf '    bundle:         %s\n' "$(du -sh --apparent-size "$BUNDLE" | cut -f1)"
printf '    .deb:           %s\n' "$(du -h --apparent-size "$DEB" | cut -f1)"
printf '    Installed-Size: %s KiB\n' "$INSTALLED_SIZE"
