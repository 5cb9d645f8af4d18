"""The test documents, made once per run: a Word document written as Word writes one (see
word.py), and the real ones under real/."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.importing import Imported, import_document
from tests.importing.opendocument import write_odt
from tests.importing.word import write_docx

HERE = Path(__file__).parent
REAL = HERE / "real"
PAGES = HERE / "pages"


@pytest.fixture(scope="session")
def word_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("word")
    return write_docx(folder / "tight-junctions.docx", folder)


@pytest.fixture(scope="session")
def word_import(word_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    return import_document(word_file, tmp_path_factory.mktemp("source"))


@pytest.fixture(scope="session")
def odt_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("odt")
    return write_odt(folder / "sleep.odt", folder)


@pytest.fixture(scope="session")
def odt_import(odt_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    return import_document(odt_file, tmp_path_factory.mktemp("source"))


@pytest.fixture(scope="session")
def page_import(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    return import_document(PAGES / "gut-barrier.html", tmp_path_factory.mktemp("source"), "gut-barrier")
