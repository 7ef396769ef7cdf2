"""Issue 17 item 3: no heading is left at the foot of a page without its content. A section
that would be parted from its heading starts a new page instead (``write_pdf`` does this
before painting), and a report that fits gets no extra break."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSizeF, QUrl
from PySide6.QtGui import QImage, QTextDocument

from desktop.reports.document import keep_headings_with_content

PAGE = QSizeF(400, 300)


def _document(space_before: int) -> QTextDocument:
    doc = QTextDocument()
    image = QImage(100, 100, QImage.Format.Format_ARGB32)
    image.fill(0xFF336699)
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart://x"), image)
    doc.setHtml(f"<p>First section.</p><p><img src='chart://x' width='100' height='{space_before}'></p>"
                "<h2>Second section</h2><p>Its words.</p><p><img src='chart://x' width='100' height='100'></p>"
                "<h2>Third section</h2><p>More words.</p>")
    doc.setPageSize(PAGE)
    return doc


def _heading_page(doc: QTextDocument, text: str) -> tuple[int, int]:
    """(page of the heading, page where its section's chart ends)."""
    layout = doc.documentLayout()
    layout.documentSize()
    block = doc.begin()
    while block.isValid() and block.text() != text:
        block = block.next()
    top = layout.blockBoundingRect(block).top()
    chart = block.next().next()
    return int(top // PAGE.height()), int((layout.blockBoundingRect(chart).bottom() - 1) // PAGE.height())


def test_a_heading_that_would_be_parted_from_its_chart_starts_the_next_page(qapp: Any) -> None:
    doc = _document(space_before=170)
    heading, chart = _heading_page(doc, "Second section")
    assert heading == 0 and chart == 1  # as laid out: the title at the page foot, its chart over the page
    assert keep_headings_with_content(doc) == 1
    assert _heading_page(doc, "Second section") == (1, 1)


def test_a_document_that_fits_gets_no_break(qapp: Any) -> None:
    doc = _document(space_before=10)
    pages = doc.pageCount()
    assert keep_headings_with_content(doc) == 0
    assert doc.pageCount() == pages and _heading_page(doc, "Second section") == (0, 0)
