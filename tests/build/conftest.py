"""A serial build of a copy of the seed, every installed edition, made once per session: the
reference that parallel and distributed builds must match byte for byte."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from publish.build import ArticleOutcome, Options, build, select
from publish.renderer import Settings, registered

SEED = Path(__file__).resolve().parents[2] / "source" / "gut-barrier"
# What ``publish build`` uses with SOURCE_DATE_EPOCH=1700000000 and no options.
EPOCH = 1700000000
SETTINGS = Settings(source_date_epoch=EPOCH)


@dataclass(frozen=True)
class SeedBuild:
    source: Path  # the article folder
    out: Path
    outcome: ArticleOutcome

    @property
    def folder(self) -> Path:
        return self.out / "gut-barrier"


def published(folder: Path, *, keys: bool = True) -> dict[str, Any]:
    """Every published file of an article (manifest.json included), by name.

    ``keys=False`` leaves the manifest's input keys out, for builds made by another process:
    the keys hash the toolkit's code as each process found it, and in a working tree that
    code may be edited between two processes.
    """
    files: dict[str, Any] = {path.name: path.read_bytes() for path in sorted(folder.iterdir())}
    if not keys:
        manifest = json.loads(files["manifest.json"])
        for entry in manifest["editions"].values():
            entry["inputs"].pop("key")
        files["manifest.json"] = manifest
    return files


@pytest.fixture(scope="session")
def seed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("src") / "gut-barrier"
    shutil.copytree(SEED, folder)
    return folder


@pytest.fixture(scope="session")
def serial_seed(seed_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> SeedBuild:
    out = tmp_path_factory.mktemp("serial") / "dist"
    (outcome,) = build([seed_copy / "article.md"], select(registered(), []), out, SETTINGS,
                       options=Options(jobs=1, cache=out.parent / "cache"))
    assert outcome.ok, outcome
    return SeedBuild(seed_copy, out, outcome)
