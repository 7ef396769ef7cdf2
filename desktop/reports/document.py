"""Paginate a QTextDocument onto a PDF with a running header and "page i of n" footers.

QTextDocument.print_() cannot draw our own header and footer, so each page is drawn by hand:
the document is laid out at the body size, then each page's slice is painted under a header.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

DPI = 300
MARGIN_MM = 16.0
HEADER_MM = FOOTER_MM = 9.0  # the running header's and the footer's bands


def report_font(point_size: float = 9.5, bold: bool = False) -> QFont:
    """DejaVu with ligatures off, so pdftotext finds 'flare', not a ligature glyph."""
    font = QFont("DejaVu Sans")
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def page_size_for_locale(locale: QLocale | None = None) -> QPageSize:
    locale = locale or QLocale.system()
    if locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return QPageSize(QPageSize.PageSizeId.Letter)
    return QPageSize(QPageSize.PageSizeId.A4)


@dataclass(frozen=True)
class PageDecor:
    title: str  # left of the header
    subtitle: str  # right of the header


def body_size(page_size: QPageSize) -> QSizeF:
    """The text body of one page of PAGE_SIZE, in the points the document is laid out in (the
    page less its margins, running header and footer)."""
    full = page_size.size(QPageSize.Unit.Millimeter)
    points_per_mm = 72.0 / 25.4
    return QSizeF((full.width() - 2 * MARGIN_MM) * points_per_mm,
                  (full.height() - 2 * MARGIN_MM - HEADER_MM - FOOTER_MM) * points_per_mm)


def fits_one_page(html: str, page_size: QPageSize) -> bool:
    """Whether HTML, laid out as the report lays out its pages, takes a single page."""
    document = QTextDocument()
    document.setDefaultFont(report_font())
    document.setHtml(html)
    return count_pages(document, page_size) <= 1


def count_pages(document: QTextDocument, page_size: QPageSize) -> int:
    """DOCUMENT laid out on pages of PAGE_SIZE (headings kept with their content): its pages."""
    document.setPageSize(body_size(page_size))
    keep_headings_with_content(document)
    return document.pageCount()


def write_pdf(document: QTextDocument, out: Path, decor: PageDecor,
              page_size: QPageSize | None = None) -> int:
    """Write DOCUMENT to OUT; returns the number of pages."""
    writer = QPdfWriter(str(out))
    writer.setResolution(DPI)
    writer.setTitle(decor.title)
    writer.setCreator("Sciatica Tracker")
    writer.setPageLayout(QPageLayout(page_size or page_size_for_locale(), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    px_per_mm = DPI / 25.4
    page_rect = writer.pageLayout().fullRectPixels(DPI)
    margin = MARGIN_MM * px_per_mm
    header_h = HEADER_MM * px_per_mm
    footer_h = FOOTER_MM * px_per_mm
    body = QRectF(margin, margin + header_h, page_rect.width() - 2 * margin,
                  page_rect.height() - 2 * margin - header_h - footer_h)

    # Lay the document out in points-equivalent units, then scale to the device.
    scale = DPI / 72.0
    pages = count_pages(document, writer.pageLayout().pageSize())

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{out}: cannot write the PDF here")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
        for index in range(pages):
            if index:
                writer.newPage()
            _draw_decor(painter, decor, page=index + 1, pages=pages, width=page_rect.width(),
                        height=page_rect.height(), margin=margin, header_h=header_h, footer_h=footer_h)
            painter.save()
            painter.translate(body.left(), body.top())
            painter.scale(scale, scale)
            slice_h = document.pageSize().height()  # the page the layout used (count_pages)
            painter.translate(0, -index * slice_h)
            clip = QRectF(0, index * slice_h, body.width() / scale, slice_h)
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            document.documentLayout().draw(painter, context)
            painter.restore()
    finally:
        painter.end()
    return pages


def keep_headings_with_content(document: QTextDocument) -> int:
    """Start a new page at every heading that would be parted from its content: a section
    (the heading to the next one) that fits on a page stays on one, and a longer one at
    least keeps its first paragraph with its heading. Needs the document's page size set.
    Returns how many page breaks were added (a report laid out to fit adds none)."""
    added = 0
    while (heading := _parted_heading(document)) is not None:
        fmt = heading.blockFormat()
        fmt.setPageBreakPolicy(ALWAYS_BEFORE)
        QTextCursor(heading).setBlockFormat(fmt)
        added += 1  # each heading is moved once at most: the loop ends
    return added


ALWAYS_BEFORE = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore


def _parted_heading(document: QTextDocument) -> QTextBlock | None:
    """The first heading not yet on a fresh page whose content starts or ends on a later page."""
    page_h = document.pageSize().height()
    layout = document.documentLayout()
    layout.documentSize()  # lays out the whole document (a changed break lays out lazily)
    block = document.begin()
    while page_h > 0 and block.isValid():
        fmt = block.blockFormat()
        if fmt.headingLevel() > 0 and not fmt.pageBreakPolicy() & ALWAYS_BEFORE:
            section = [block]
            while section[-1].next().isValid() and section[-1].next().blockFormat().headingLevel() == 0:
                section.append(section[-1].next())
            top = layout.blockBoundingRect(block).top()
            bottom = layout.blockBoundingRect(section[-1]).bottom()
            if bottom - top > page_h:  # longer than a page: keep the first paragraph
                bottom = layout.blockBoundingRect(section[min(1, len(section) - 1)]).bottom()
            if int(top // page_h) != int((bottom - 1) // page_h):
                return block
        block = block.next()
    return None


def _draw_decor(painter: QPainter, decor: PageDecor, *, page: int, pages: int, width: float,
                height: float, margin: float, header_h: float, footer_h: float) -> None:
    painter.save()
    grey = QColor(90, 98, 110)
    painter.setPen(grey)
    font = report_font(8)
    painter.setFont(font)
    top = QRectF(margin, margin, width - 2 * margin, header_h * 0.8)
    painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), decor.title)
    painter.drawText(top, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), decor.subtitle)
    painter.setPen(QPen(QColor(200, 205, 212), 3))
    painter.drawLine(int(margin), int(margin + header_h * 0.85), int(width - margin), int(margin + header_h * 0.85))
    painter.setPen(grey)
    bottom = QRectF(margin, height - margin - footer_h * 0.8, width - 2 * margin, footer_h * 0.8)
    painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     "A self-tracking record, not a diagnosis.")
    painter.drawText(bottom, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                     f"Page {page} of {pages}")
    painter.restore()
