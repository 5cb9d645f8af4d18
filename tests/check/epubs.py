"""Hand-made minimal EPUB 3 files, so epubcheck is tested independently of our EPUB renderer."""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:0b5ba0f6-3c2c-4f5e-9a59-2f0d5f0c1a11</dc:identifier>
    {title}
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">Text only, with headings.</meta>
    <meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="c1" href="chapter.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine>
    <itemref idref="c1"/>
  </spine>
</package>
"""

NAV = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><title>Contents</title></head>
<body>
  <nav epub:type="toc" role="doc-toc" aria-labelledby="toc-h"><h1 id="toc-h">Contents</h1>
    <ol><li><a href="chapter.xhtml">Chapter one</a></li></ol>
  </nav>
</body>
</html>
"""

CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head><title>Chapter one</title></head>
<body>
  <main><h1>Chapter one</h1><p>A short paragraph.</p></main>
</body>
</html>
"""


def write_epub(path: Path, *, title: str | None = "A minimal book") -> Path:
    """Write a minimal EPUB 3; ``title=None`` leaves out dc:title (invalid)."""
    title_xml = f"<dc:title>{title}</dc:title>" if title is not None else ""
    with zipfile.ZipFile(path, "w") as zf:
        # OCF: "mimetype" must be the first entry and stored uncompressed.
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip",
                    compress_type=zipfile.ZIP_STORED)
        for name, text in (
            ("META-INF/container.xml", CONTAINER),
            ("EPUB/package.opf", PACKAGE.format(title=title_xml)),
            ("EPUB/nav.xhtml", NAV),
            ("EPUB/chapter.xhtml", CHAPTER),
        ):
            zf.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return path
