"""Render resources/school-audit.svg to the PNG and ICO files the packages use.

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Qt draws the SVG (QSvgRenderer); the ICO container is written here because Qt's ICO writer
stores one size only. Each ICO entry is a PNG, which Windows reads from Vista on.
The renders are committed, so a build needs neither this script nor a display.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM") or "offscreen"

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SVG = RESOURCES / "school-audit.svg"
PNG_SIZES = (256, 48)  # the big one for the app and Linux menus, 48 for small launchers
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)  # what Explorer and the Start menu ask for


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file: a 6-byte header, a 16-byte entry per image, then the PNG payloads."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, payloads = b"", b""
    for size, payload in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(payload), offset)
        payloads += payload
        offset += len(payload)
    return header + entries + payloads


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"Cannot read {SVG}", file=sys.stderr)
        return 1
    for size in PNG_SIZES:
        suffix = "" if size == 256 else f"-{size}"
        render(renderer, size).save(str(RESOURCES / f"school-audit{suffix}.png"))
    pngs = {size: png_bytes(render(renderer, size)) for size in ICO_SIZES}
    (RESOURCES / "school-audit.ico").write_bytes(ico_bytes(pngs))
    print(
        f"Wrote PNG ({', '.join(map(str, PNG_SIZES))} px) and ICO ({len(pngs)} sizes) in {RESOURCES.name}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
