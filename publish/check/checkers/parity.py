"""Parity checks: every block, reference and the disclaimer of the source in each edition.

A third-party edition gets parity by subclassing ``ParityCheck`` and implementing ``text``.
"""

from __future__ import annotations

from publish.check import parity
from publish.check.checker import BuiltArticle, SourceUnavailable
from publish.check.findings import Finding


class ParityCheck:
    """Base class: ``text(article)`` returns the edition's text and how it was extracted."""

    title = "Parity with the source"
    concurrent = True  # no browser: runs beside the browser checks
    name = "parity"
    edition = ""
    label = "the edition"  # how messages name it: "... missing from the EPUB"
    loose_numbers = False  # tolerate footnote numbers extracted out of place (PDF)
    description = ("Every heading, paragraph, list item, note, the disclaimer and every reference of the "
                   "source found in the edition's text, in order")

    def text(self, article: BuiltArticle) -> tuple[str, str]:
        raise NotImplementedError

    def check(self, article: BuiltArticle) -> list[Finding]:
        try:
            source = article.source_path()
            document = article.document()
        except SourceUnavailable as exc:
            return [Finding("parity:source", False, "error", f"Cannot compare with the source: {exc}",
                            str(article.manifest.get("source", "")),
                            "Run publish check where the sources are (the project folder), or rebuild.")]
        items = parity.source_items(document, title_line=parity.title_line(source))
        text, how = self.text(article)
        matches = parity.match_items(items, text, loose_numbers=self.loose_numbers)
        findings = parity.findings(matches, self.label, str(article.manifest.get("source", source)))
        findings.append(Finding("parity:text", True, "info", f"Text compared: {how}"))
        return findings


class PdfParity(ParityCheck):
    name = "parity-pdf"
    edition = "pdf"
    label = "the PDF"
    loose_numbers = True

    def text(self, article: BuiltArticle) -> tuple[str, str]:
        path = article.file(self.edition, ".pdf")
        text, how = parity.pdf_text(path)
        return text, f"{how} of {path.name}"


class LargePrintPdfParity(PdfParity):
    name = "parity-large-print-pdf"
    edition = "large-print-pdf"
    label = "the large-print PDF"


class EpubParity(ParityCheck):
    name = "parity-epub"
    edition = "epub"
    label = "the EPUB"

    def text(self, article: BuiltArticle) -> tuple[str, str]:
        path = article.file(self.edition, ".epub")
        return parity.epub_text(path), f"the spine documents of {path.name}, navigation left out"


class LargePrintParity(ParityCheck):
    name = "parity-large-print"
    edition = "large-print"
    label = "the large-print HTML"

    def text(self, article: BuiltArticle) -> tuple[str, str]:
        path = article.file(self.edition, ".html")
        return parity.html_text(path), f"the body of {path.name}, the contents list left out"


class AudioParity(ParityCheck):
    name = "parity-audio"
    edition = "audio"
    label = "the audio transcript"

    def text(self, article: BuiltArticle) -> tuple[str, str]:
        path = article.file(self.edition, ".vtt")
        return parity.vtt_text(path), f"the captions of {path.name} (the written text of what is spoken)"
