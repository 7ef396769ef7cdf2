#!/usr/bin/env bash
# Build "Sciatica Tracker.app" and a .dmg on macOS (11+, Python 3.11 from python.org or
# Homebrew, Xcode command line tools for iconutil/hdiutil). NOT run or tested on the Linux build
# machine: it needs a Mac. See docs/packaging.md.
#     bash packaging/macos/build.sh        ->  dist/Sciatica-Tracker-<version>.dmg
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[ "$(uname -s)" = Darwin ] || { echo "packaging/macos/build.sh runs on macOS only" >&2; exit 1; }

PYTHON="${PYTHON:-python3.11}"
VENV=build/pkg-venv-mac
WORK=build/pkg-mac
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' domain/__init__.py)"

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet ".[package]"

# The .icns from the committed PNGs (packaging/icons, rendered by packaging/render_icons.py).
rm -rf "$WORK" && mkdir -p "$WORK/sciatica-tracker.iconset"
for size in 16 32 128 256 512; do
    cp "packaging/icons/sciatica-tracker-$size.png" "$WORK/sciatica-tracker.iconset/icon_${size}x${size}.png"
    double=$((size * 2))
    [ -f "packaging/icons/sciatica-tracker-$double.png" ] && \
        cp "packaging/icons/sciatica-tracker-$double.png" "$WORK/sciatica-tracker.iconset/icon_${size}x${size}@2x.png"
done
iconutil -c icns -o "$WORK/sciatica-tracker.icns" "$WORK/sciatica-tracker.iconset"

SCIATICA_VERSION="$VERSION" SCIATICA_ICNS="$ROOT/$WORK/sciatica-tracker.icns" \
    "$VENV/bin/pyinstaller" --noconfirm --clean --distpath "$WORK/dist" --workpath "$WORK/work" \
    packaging/macos/sciatica-macos.spec
APP="$WORK/dist/Sciatica Tracker.app"
plutil -lint "$APP/Contents/Info.plist"
"$APP/Contents/MacOS/sciatica" --version

# Optional: sign and notarize (needs an Apple Developer ID):
#   codesign --deep --force --options runtime --sign "Developer ID Application: NAME (TEAM)" "$APP"
#   ditto -c -k --keepParent "$APP" "$WORK/app.zip"
#   xcrun notarytool submit "$WORK/app.zip" --keychain-profile PROFILE --wait
#   xcrun stapler staple "$APP"
mkdir -p dist
hdiutil create -volname "Sciatica Tracker" -srcfolder "$APP" -ov -format UDZO "dist/Sciatica-Tracker-$VERSION.dmg"
echo "built dist/Sciatica-Tracker-$VERSION.dmg"
