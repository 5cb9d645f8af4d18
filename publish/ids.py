"""Element ids: one pool per article, so a heading, a block and a reference never share one."""

from __future__ import annotations

import re
import unicodedata

# Ids the page templates use for their own landmarks; headings never take them.
RESERVED_IDS = frozenset({"main", "title", "toc", "toc-heading", "toc-title", "disclaimer", "disclaimer-heading",
                          "references", "references-heading", "appendix-heading", "footnotes", "footnotes-heading",
                          "abstract", "abstract-heading",
                          "audio", "listen-heading", "landmarks", "landmarks-title", "page-list", "page-list-title"})
# The ids the reader numbers (p-3, fnref-1-2...) and the editions' page breaks (page-3): a heading
# whose slug looks like one of them would clash with a later block, so it takes a prefix.
GENERATED_ID = re.compile(r"^(?:disclaimer-|abstract-)?(?:fn-\d+-)*"
                          r"(?:p|li|list|quote|lang|code|hr|fig|tbl|eq|cite|fn|fnref|page)(?:-\d+)*$")


class IdPool:
    """Ids given out so far, and for each base the last number tried: ten thousand headings
    called "Notes" cost ten thousand steps, not fifty million."""

    def __init__(self, reserved: frozenset[str] = RESERVED_IDS):
        self.used = set(reserved)
        self.tried: dict[str, int] = {}

    def unique(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... whichever is not used yet; it becomes used."""
        n = self.tried.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.tried[base] = n
        self.used.add(candidate)
        return candidate


def slugify(text: str) -> str:
    # Pandoc's smart typography turns ' into ’; both give the same slug, so links made before stay.
    text = text.replace("\u2019", "'")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def heading_base(prefix: str, text: str) -> str:
    """The id a heading would like: its slug, kept clear of the numbered ids."""
    base = prefix + (slugify(text) or "section")
    if GENERATED_ID.match(base):
        base = prefix + "section-" + slugify(text)
    return base


def reference_id(key: str) -> str:
    return "ref-" + re.sub(r"[^\w-]", "-", key)
