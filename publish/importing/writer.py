"""The imported article on disk: ``<slug>/article.md`` (YAML front matter, then the body as
Pandoc Markdown written by Pandoc) and its images under ``<slug>/images/``."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml

from publish import pandoc
from publish.errors import UsageError
from publish.importing.draft import Draft

# Pandoc Markdown as the reader takes it: tables as pipe or grid tables, never raw HTML or TeX.
MARKDOWN = "markdown-simple_tables-multiline_tables-raw_html-raw_tex-raw_attribute"
ORDER = ("title", "subtitle", "lang", "author", "date", "description", "subject", "keywords", "disclaimer", "nocite",
         "references")


def front_matter(meta: dict[str, Any], source: str) -> str:
    ordered = {key: meta[key] for key in (*ORDER, *meta) if key in meta}
    dumped = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return f"---\n# Imported from {source} by 'publish import'.\n{dumped}---\n"


def body(blocks: list[Any], source: Path) -> str:
    """The blocks as Pandoc Markdown, written by Pandoc itself (so every escape is right)."""
    try:
        done = pandoc.write(blocks, ["-t", MARKDOWN, "--wrap=auto", "--columns=100"])
    except subprocess.TimeoutExpired:
        raise UsageError(f"{source}: Pandoc took longer than {pandoc.TIMEOUT_S:.0f} s to write the article") from None
    if done.returncode != 0:
        raise pandoc.PandocMissing(f"Pandoc could not write Markdown: {done.stderr.decode('utf-8', 'replace')}")
    return done.stdout.decode("utf-8")


def write(draft: Draft, folder: Path, force: bool) -> Path:
    """``folder/article.md`` and its images; an existing article is replaced only with ``force``,
    and an image of the same name only by the same bytes or with ``force``."""
    article = folder / "article.md"
    if article.exists() and not force:
        raise UsageError(f"{article} already exists: give another --slug, or --force to replace it")
    text = front_matter(draft.meta, draft.source.name) + "\n" + body(draft.blocks, draft.source)
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in draft.images.items():
        target = folder / "images" / name
        if target.exists() and not force and not filecmp.cmp(source, target, shallow=False):
            raise UsageError(f"{target} already exists and differs: give another --slug, or --force to replace it")
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".article-", suffix=".md")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, article)  # a reader never sees half an article
    return article
