"""R Markdown and Quarto sources read as they are, not knitted: chunks are code, hidden ones go,
includes go, each kind with one warning, and every line keeps its number."""

from __future__ import annotations

from publish.model import CodeBlock, Heading, Paragraph, plain_text
from publish.reader import read_article
from tests.publish.conftest import WriteArticle

RMD = """
```{r setup, include=FALSE}
knitr::opts_chunk$set(echo = TRUE)
```

Some text.

```{r plot-data}
#| fig-cap: "A plot"
plot(cars)
```

```{python}
#| echo: false
print("hidden")
```

{{< include 01-introduction.qmd >}}

## Results

The end [@nobody].
"""


def test_chunks_are_code_hidden_ones_go_and_includes_go(write_article: WriteArticle) -> None:
    path = write_article(body=RMD)
    document = read_article(path)
    blocks = [(type(b).__name__, getattr(b, "text", "") or plain_text(getattr(b, "children", ())))
              for b in document.body]
    assert blocks == [("Paragraph", "Some text."), ("CodeBlock", "plot(cars)"), ("Heading", "Results"),
                      ("Paragraph", "The end (nobody?).")]
    code = next(b for b in document.body if isinstance(b, CodeBlock))
    assert code.language == "r"
    lines = path.read_text(encoding="utf-8").splitlines()
    # Every line keeps its number: the heading and the unknown key are found where they are.
    heading = next(b for b in document.body if isinstance(b, Heading))
    assert lines[heading.line - 1] == "## Results"
    warnings = [(w.line, w.message.split(":")[0]) for w in document.warnings]
    assert warnings == [
        (lines.index("```{r setup, include=FALSE}") + 1, "code chunks ({r}) are not run"),
        (lines.index("{{< include 01-introduction.qmd >}}") + 1,
         "the Quarto include of '01-introduction.qmd' is not followed, so its text is missing"),
        (lines.index("The end [@nobody].") + 1, "unknown citation key '@nobody'")]
    assert not any(isinstance(b, Paragraph) and "knitr" in plain_text(b.children) for b in document.body)


def test_an_empty_heading_is_left_out_with_a_warning(write_article: WriteArticle) -> None:
    """localhierarchy's "## " made an empty heading: epubcheck, axe and the transcript all failed."""
    path = write_article(body="\n## One\n\nText.\n\n## \n\nMore.\n")
    document = read_article(path)
    assert [plain_text(h.children) for h in document.headings()] == ["One"]
    (warning,) = document.warnings
    line = path.read_text(encoding="utf-8").splitlines().index("## ") + 1
    assert (warning.line, warning.message) == (line, "a heading with no text is left out")
