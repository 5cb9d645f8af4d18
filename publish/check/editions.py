"""How reports and the publication page name the editions, and in which order they list them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EditionInfo:
    label: str  # what a reader calls it
    standard: str  # what it is checked against


EDITIONS: dict[str, EditionInfo] = {
    "pdf": EditionInfo("PDF", "Tagged PDF, PDF/UA-1"),
    "large-print-pdf": EditionInfo("Large-print PDF", "Tagged PDF, PDF/UA-1, large print"),
    "epub": EditionInfo("EPUB", "EPUB 3 with EPUB Accessibility 1.1, WCAG 2.2 AA"),
    "large-print": EditionInfo("Large-print web page", "One HTML file, WCAG 2.2 AAA for text, large print"),
    "audio": EditionInfo("Audio", "Chaptered MP3 at ACX levels, with a WebVTT transcript"),
}
ORDER = tuple(EDITIONS)
SYMBOLS = {"pass": "✓", "warn": "!", "not-run": "–", "fail": "✗"}


def edition_info(name: str) -> EditionInfo:
    if name in EDITIONS:
        return EDITIONS[name]
    try:
        from publish.renderer import registered

        description = registered()[name].description
    except Exception:  # an uninstalled or broken plugin still gets a label
        description = ""
    return EditionInfo(name.replace("-", " ").capitalize(), description)


def edition_order(name: str) -> tuple[int, str]:
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)


def lower_label(label: str) -> str:
    """ "Large-print PDF" -> "large-print PDF", "PDF" stays: for use inside a sentence."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label
