"""Fixtures for the PDF back-end: a realistic article HTML, as the core makes it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:  # run from anywhere without installing the project
    sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw  # noqa: E402

REFERENCES = [
    (
        "ajamian2019",
        "Ajamian, M. et al. (2019). Serum zonulin as a marker of intestinal permeability: methodological concerns. ",
        "Physiological Reports",
        ", 7(22), e14219. ",
        "https://doi.org/10.14814/phy2.14219",
    ),
    (
        "cani2007",
        "Cani, P.D. et al. (2007). Metabolic endotoxemia initiates obesity and insulin resistance. ",
        "Diabetes",
        ", 56(7), 1761\u20131772. ",
        "https://doi.org/10.2337/db06-1491",
    ),
    (
        "david2014",
        "David, L.A. et al. (2014). Diet rapidly alters the human gut microbiome. ",
        "Nature",
        ", 505, 559\u2013563. ",
        "https://doi.org/10.1038/nature12820",
    ),
    (
        "defilippo2010",
        "De Filippo, C. et al. (2010). Impact of diet on gut microbiota composition. ",
        "PNAS",
        ", 107(33), 14691\u201314696. ",
        "https://doi.org/10.1073/pnas.1000489107",
    ),
    (
        "erridge2007",
        "Erridge, C. et al. (2007). A high-fat meal induces low-grade endotoxemia. ",
        "Circulation",
        ", 116(16), 1785\u20131792. ",
        "https://doi.org/10.1161/CIRCULATIONAHA.107.712669",
    ),
    (
        "fasano2011",
        "Fasano, A. (2011). Zonulin and its regulation of intestinal barrier function. ",
        "Physiological Reviews",
        ", 91(1), 151\u2013175. ",
        "https://doi.org/10.1152/physrev.00003.2008",
    ),
    (
        "kelly2015",
        "Kelly, C.J. et al. (2015). Microbiota\u2013epithelium cross-talk in gut barrier regulation. ",
        "Current Opinion in Gastroenterology",
        ", 31(2), 111\u2013117. ",
        "https://doi.org/10.1097/MOG.0000000000000157",
    ),
    (
        "peng2009",
        "Peng, L. et al. (2009). Butyrate enhances intestinal barrier function. ",
        "Journal of Nutrition",
        ", 139(9), 1619\u20131625. ",
        "https://doi.org/10.3945/jn.109.104638",
    ),
    (
        "turner2009",
        "Turner, J.R. (2009). Intestinal mucosal barrier function in health and disease. ",
        "Nature Reviews Immunology",
        ", 9, 799\u2013809. ",
        "https://doi.org/10.1038/nri2653",
    ),
]

FILLER = (
    "The intestinal barrier is a multi-layered system designed to balance two competing "
    "demands: nutrient absorption and immune protection. Tight junctions are not static; "
    "they are dynamically regulated by immune signalling, dietary factors and microbial "
    "metabolites, and the \u201cleak\u201d pathway opens under inflammatory stress \u2013 "
    "which is why the same person can test differently from one week to the next."
)


def cite(key: str) -> str:
    number = [ref[0] for ref in REFERENCES].index(key) + 1
    return (
        f'<a class="citation" role="doc-biblioref" href="#ref-{key}">({number})</a>'
    )


@dataclass
class Article:
    html: str
    folder: Path
    image: Path


def make_png(path: Path) -> None:
    image = Image.new("RGB", (480, 240), "white")
    draw = ImageDraw.Draw(image)
    for index, height in enumerate((60, 150, 110, 200)):
        left = 40 + index * 110
        draw.rectangle((left, 220 - height, left + 70, 220), fill=(40, 90, 150))
    draw.line((20, 220, 460, 220), fill="black", width=2)
    image.save(path, format="PNG", optimize=False)


def article_html(image_src: str, *, sections: int = 6, lang: str = "en-GB",
                 extra_body: str = "") -> str:
    counter = {"p": 0, "li": 0, "list": 0}

    def para(text: str) -> str:
        counter["p"] += 1
        return f'<p id="p-{counter["p"]}">{text}</p>'

    def items(texts: list[str], tag: str = "ul", nested: str = "") -> str:
        counter["list"] += 1
        lis = []
        for index, text in enumerate(texts):
            counter["li"] += 1
            inner = nested if index == 1 else ""
            lis.append(f'<li id="li-{counter["li"]}">{text}{inner}</li>')
        return f'<{tag} id="list-{counter["list"]}">{"".join(lis)}</{tag}>'

    body: list[str] = []
    body.append(para(
        "The term \u201cleaky gut\u201d is often used loosely in wellness circles, but in "
        "physiology the concept is more precisely described as <em>increased intestinal "
        "permeability</em>. Rather than being a binary \u201cleaky or not\u201d state, it "
        "reflects a dynamic shift in barrier regulation. " + cite("turner2009")
    ))
    headings = [
        ("the-gut-barrier", "The gut barrier is not a wall \u2013 it\u2019s a regulated surface"),
        ("when-regulation-shifts", "When regulation shifts: what \u201cincreased permeability\u201d means"),
        ("lps", "LPS (an endotoxin)"),
        ("why-disruption-happens", "Why barrier disruption happens"),
        ("the-microbiome", "The microbiome\u2019s role in barrier integrity"),
        ("measuring", "Measuring permeability"),
        ("what-helps", "What helps"),
        ("summary", "Summary"),
    ]
    for number in range(sections):
        slug, title = headings[number % len(headings)]
        if number >= len(headings):
            slug = f"{slug}-{number}"
        body.append(f'<h2 id="{slug}">{escape(title, quote=False)}</h2>')
        body.append(para(f"Section {number + 1}. " + FILLER + " " + cite(REFERENCES[number % 9][0])))
        if number == 0:
            nested = items(["Occludin and claudins", "Zonula occludens proteins"])
            body.append(para("It consists of:"))
            body.append(items([
                "A mucus layer that physically separates microbes from epithelial cells",
                "A single layer of intestinal epithelial cells, sealed by tight junctions:",
                "Underlying immune cells in the lamina propria",
                "And the gut microbiota, which actively supports barrier function",
            ], nested=nested))
        if number == 1:
            body.append(
                '<figure id="fig-1"><img src="' + image_src + '" alt="Bar chart: '
                'lactulose-to-mannitol ratio rising across four groups, from healthy '
                'controls to active inflammatory bowel disease."/>'
                "<figcaption>Figure 1. Urinary lactulose-to-mannitol ratio by group "
                "(illustrative values).</figcaption></figure>"
            )
            body.append(para(
                "Zonulin assays are popular, yet their specificity has been questioned"
                '<a class="footnote-ref" role="doc-noteref" id="fnref-1" href="#fn-1">1</a>. '
                + cite("ajamian2019")
            ))
        if number == 2:
            body.append(
                '<table id="tbl-1"><caption>Table 1. Paracellular pathways</caption>'
                '<thead><tr><th scope="col">Pathway</th><th scope="col">Size limit</th>'
                '<th scope="col">Regulated by</th></tr></thead><tbody>'
                "<tr><td>Pore</td><td>about 0.8 nm</td><td>Claudins</td></tr>"
                "<tr><td>Leak</td><td>about 10 nm</td><td>ZO-1, occludin, MLCK</td></tr>"
                "<tr><td>Unrestricted</td><td>none</td><td>Epithelial damage</td></tr>"
                "</tbody></table>"
            )
        if number == 3:
            body.append(
                '<blockquote id="quote-1"><p id="p-q1">Barrier function is not a wall but '
                "a conversation between the epithelium and what lives next to it.</p>"
                "</blockquote>"
            )
            body.append(items([
                "Acute infections (e.g., gastroenteritis)",
                "Chronic inflammation (e.g., inflammatory bowel disease)",
                "Alcohol exposure, high-fat or low-fibre diets",
                "Certain medications such as NSAIDs",
            ], tag="ol"))
        for extra in range(2):
            body.append(para(
                f"Finding {counter['p'] + 1}. {FILLER} Diet and "
                "<strong>short-chain fatty acids</strong> such as "
                f"butyrate matter here too. {cite(REFERENCES[(number + extra + 3) % 9][0])}"
            ))
    body.append(extra_body)
    body.append(
        '<section class="footnotes" role="doc-endnotes" aria-labelledby="footnotes-heading">'
        '<h2 id="footnotes-heading">Notes</h2><ol><li id="fn-1"><p>Commercial kits may '
        "detect proteins other than zonulin. "
        '<a role="doc-backlink" href="#fnref-1">Back to text</a></p></li></ol></section>'
    )
    body.append(
        '<section class="disclaimer" id="disclaimer" aria-labelledby="disclaimer-heading">'
        '<h2 id="disclaimer-heading">Disclaimer</h2><p id="disclaimer-p-1">The information '
        "presented in this article is for educational purposes only and is not intended to "
        "diagnose, prevent, or treat any medical or psychological conditions. Please do not "
        "stop, adjust, or modify your dose of any prescribed medications without the direct "
        "supervision of your healthcare practitioner.</p></section>"
    )
    refs = "".join(
        f'<li id="ref-{key}">{escape(head, quote=False)}<i>{escape(journal)}</i>'
        f'{escape(tail, quote=False)}<a href="{doi}">{doi}</a></li>'
        for key, head, journal, tail, doi in REFERENCES
    )
    body.append(
        '<section class="references" id="references" role="doc-bibliography" '
        'aria-labelledby="references-heading"><h2 id="references-heading">References</h2>'
        f'<ol class="bibliography">{refs}</ol></section>'
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"/>'
        "<title>What\u2019s Going On With Your Gut Barrier</title>"
        '<meta name="description" content="What increased intestinal permeability is, '
        'what shifts it and what the evidence says."/>'
        '<meta name="keywords" content="gut barrier, intestinal permeability, microbiome"/>'
        '<meta name="author" content="Jane Doe"/>'
        '<meta name="dcterms.created" content="2024-05-01"/></head>'
        '<body><main id="main"><article>'
        '<header class="title-block"><h1 id="title">What\u2019s Going On With Your Gut '
        'Barrier</h1><p class="subtitle">Increased intestinal permeability, explained</p>'
        '<p class="byline">By Jane Doe \u00b7 1 May 2024</p></header>'
        '<p class="disclaimer-link"><a href="#disclaimer">Read the medical disclaimer</a></p>'
        + "".join(body)
        + "</article></main></body></html>"
    )


@pytest.fixture
def article(tmp_path: Path) -> Article:
    folder = tmp_path / "gut-barrier"
    (folder / "images").mkdir(parents=True)
    image = folder / "images" / "chart.png"
    make_png(image)
    return Article(article_html("images/chart.png"), folder, image)


@pytest.fixture
def make_article() -> Callable[..., str]:
    return article_html


@pytest.fixture
def fixed_date() -> date:
    return date(2024, 5, 1)
