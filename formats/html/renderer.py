"""The large-print HTML edition: one self-contained page after APH/ACB large-print practice."""

from __future__ import annotations

from pathlib import Path

from publish import assets, html
from publish.fonts import atkinson
from publish.model import Document
from publish.renderer import RenderContext, Rendition

HERE = Path(__file__).parent


class LargePrintRenderer:
    name = "large-print"
    description = "Large-print HTML page (24 px Atkinson Hyperlegible, WCAG 2.2 AAA text), one file"
    suffixes = (".large-print.html",)
    media_type = "text/html"
    uses = ("audio",)
    # Linear in the source, which the reader's limits bound: no time budget (and its child) needed.
    needs_time_budget = False

    def render(self, document: Document, context: RenderContext) -> Rendition:
        images = {f.src: assets.data_uri(assets.resolve(document, f).read_bytes(),
                                         assets.media_type(assets.resolve(document, f)))
                  for f in assets.figures(document)}
        fonts = {name: assets.data_uri(atkinson(weight).read_bytes(), "font/ttf")
                 for name, weight in (("regular", 400), ("bold", 700))}
        audio = None
        if "audio" in context.results:
            facts = context.results["audio"].facts
            seconds = round(float(facts["duration"]))
            audio = {"mp3": f"{document.slug}.mp3", "vtt": f"{document.slug}.vtt",
                     "duration": f"{seconds // 60} min {seconds % 60} s"}
        env = html.environment(HERE / "templates")
        page = html.render(
            env, "large-print.html.j2", document,
            image_src=images.__getitem__,
            css=(HERE / "css" / "large-print.css").read_text(encoding="utf-8"),
            fonts=fonts,
            audio=audio,
            toc_tree=html.nested(html.toc(document)),
        )
        out = context.out_dir / f"{document.slug}.large-print.html"
        out.write_text(page, encoding="utf-8")
        return Rendition(files=(out,))
