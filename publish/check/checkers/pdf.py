"""PDF editions: the PDF/UA-1 machine checks (``publish.check.pdfua.check_pdf``)."""

from __future__ import annotations

import pikepdf

from publish.check.checker import BuiltArticle
from publish.check.checkers import located
from publish.check.findings import Finding
from publish.check.pdfua import check_pdf


class PdfUaCheck:
    title = "PDF/UA-1 machine checks"
    concurrent = True  # no browser: runs beside the browser checks
    name = "pdf-ua"
    edition = "pdf"
    suffix = ".pdf"
    description = ("PDF/UA-1 machine checks (ISO 14289-1): tagged, /Lang, title shown, XMP pdfuaid, "
                   "fonts embedded, links, tab order, headings without gaps, figure and formula /Alt, bookmarks")

    def check(self, article: BuiltArticle) -> list[Finding]:
        path = article.file(self.edition, self.suffix)
        try:
            return located(path, check_pdf(path))
        except pikepdf.PdfError as exc:
            return [Finding("pdfua:open", False, "error", f"not a readable PDF: {exc}", path.name,
                            "Rebuild the edition; the file is damaged.")]


class LargePrintPdfUaCheck(PdfUaCheck):
    name = "large-print-pdf-ua"
    edition = "large-print-pdf"
    suffix = ".large-print.pdf"
