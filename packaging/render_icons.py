"""Render packaging/icons/sciatica-tracker.svg to the hicolor PNG sizes.

Run after editing the SVG (the PNGs are committed so a build does not depend on this script):

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

``--ico OUT.ico`` packs the committed PNGs into a Windows icon instead (pure Python; used by
packaging/windows/build.ps1). Uses only PySide6 (QtSvg ships in PySide6-Essentials); imports nothing of the app.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent / "icons"
SVG = ICON_DIR / "sciatica-tracker.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICON_DIR / f"sciatica-tracker-{size}.png"


ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def write_ico(out: Path) -> None:
    """A Windows .ico holding the PNGs of ICO_SIZES (PNG-compressed entries, Vista and later)."""
    images = [(size, png_path(size).read_bytes()) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, blobs = b"", b""
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    out.write_bytes(header + directory + blobs)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--ico":
        write_ico(Path(sys.argv[2]))
        print(f"wrote {sys.argv[2]}")
        return 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"{SVG}: not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            print(f"{png_path(size)}: cannot be written", file=sys.stderr)
            return 1
        print(f"wrote {png_path(size).relative_to(ICON_DIR.parent.parent)}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
