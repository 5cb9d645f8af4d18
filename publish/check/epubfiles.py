"""A built EPUB's package document, found the way a reading system finds it, for the checks.

XML is parsed without entities, DTDs or network access: the checks read built books, but a
book is still a file that could come from anywhere.
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import Any

CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF = "http://www.idpf.org/2007/opf"


def xml_parser() -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def package_document(zf: zipfile.ZipFile) -> tuple[str, Any]:
    """The package document named by META-INF/container.xml: (its name in the archive, its
    parsed root). ValueError when the container names none."""
    from lxml import etree

    container = etree.fromstring(zf.read("META-INF/container.xml"), xml_parser())
    rootfile = container.find(f".//{{{CONTAINER}}}rootfile")
    if rootfile is None:
        raise ValueError("META-INF/container.xml names no package document")
    opf_name = rootfile.get("full-path", "")
    return opf_name, etree.fromstring(zf.read(opf_name), xml_parser())


def manifest_path(opf_name: str, item: Any) -> str:
    """Where a manifest item lives in the archive (its href is relative to the package)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(opf_name), item.get("href", "")))
