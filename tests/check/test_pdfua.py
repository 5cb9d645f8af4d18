"""check_pdf and tag_tree on real WeasyPrint output, then on broken copies."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML  # type: ignore[import-untyped]

from publish.check.findings import Finding, failures
from publish.check.pdfua import check_pdf, tag_tree

GOLDEN = Path(__file__).parent / "golden"
SQUARE = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'%3E"
          "%3Crect width='10' height='10'/%3E%3C/svg%3E")
BODY = f"""
<h1>Gut barrier</h1>
<p>Intro with <a href="https://example.org/x">a link to example</a> and <em>emphasis</em>.</p>
<h2>Section one</h2>
<p>Para. <img src="{SQUARE}" alt="A black square"></p>
<ul><li>item one</li><li>item two</li></ul>
<table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody><tr><td>a</td><td>1</td></tr></tbody></table>
<h3>A deeper heading</h3>
<h2>References</h2>
<ol><li>Ref one.</li></ol>
"""


def html(body: str = BODY, *, lang: str = "en", title: str = "Gut barrier test") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    title_el = f"<title>{title}</title>" if title else ""
    return (f'<!doctype html><html{lang_attr}><head><meta charset="utf-8">{title_el}'
            f"<style>body {{ font-family: sans-serif }}</style></head><body>{body}</body></html>")


def render(tmp_path: Path, source: str, name: str = "doc.pdf", variant: str | None = "pdf/ua-1") -> Path:
    out = tmp_path / name
    HTML(string=source).write_pdf(out, pdf_variant=variant)
    return out


def edit(pdf_path: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    """A changed copy of ``pdf_path``."""
    out = pdf_path.with_name(pdf_path.stem + "-edited.pdf")
    with pikepdf.open(pdf_path) as pdf:
        change(pdf)
        pdf.save(out)
    return out


def failed(findings: list[Finding], name: str) -> list[Finding]:
    return [f for f in failures(findings) if f.check == f"pdfua:{name}"]


def only_failure(findings: list[Finding], name: str) -> Finding:
    """Exactly the named check fails, so each break is detected precisely."""
    assert {f.check for f in failures(findings)} == {f"pdfua:{name}"}, failures(findings)
    return failed(findings, name)[0]


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("pdf"), html())


def struct_elems(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if str(kid.S) == "/" + role:
                    found.append(kid)
                stack.append(kid)
    return found


def test_weasyprint_pdfua_passes_every_check(good_pdf: Path) -> None:
    findings = check_pdf(good_pdf)
    assert failures(findings) == []
    assert {f.check for f in findings} == {
        f"pdfua:{n}" for n in ("marked", "lang", "display-doc-title", "struct-tree", "xmp-pdfuaid",
                               "title", "fonts-embedded", "link-annotations", "tab-order",
                               "headings", "figure-alt", "formula-alt", "outline")}


def test_plain_pdf_fails_the_tagging_checks(tmp_path: Path) -> None:
    findings = check_pdf(render(tmp_path, html(), variant=None))
    names = {f.check.split(":")[1] for f in failures(findings)}
    assert {"marked", "struct-tree", "xmp-pdfuaid", "display-doc-title", "headings"} <= names


def test_untagged_pdf_has_empty_tag_tree(tmp_path: Path) -> None:
    assert tag_tree(render(tmp_path, html(), variant=None)) == ""


def test_missing_lang(good_pdf: Path) -> None:
    finding = only_failure(check_pdf(edit(good_pdf, lambda pdf: pdf.Root.__delitem__("/Lang"))), "lang")
    assert finding.location == "catalog" and "lang" in finding.advice


def test_empty_lang_from_html_without_lang(tmp_path: Path) -> None:
    # WeasyPrint 70 writes an empty /Lang when <html lang> is missing.
    only_failure(check_pdf(render(tmp_path, html(lang=""))), "lang")


def test_missing_title_in_html(tmp_path: Path) -> None:
    findings = check_pdf(render(tmp_path, html(title="")))
    assert failed(findings, "title") and all(f.check == "pdfua:title" for f in failures(findings))


def test_info_title_disagrees(good_pdf: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Title"] = "Something else"
    assert "differs" in only_failure(check_pdf(edit(good_pdf, change)), "title").message


def test_not_marked(good_pdf: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.MarkInfo.Marked = False
    only_failure(check_pdf(edit(good_pdf, change)), "marked")


def test_display_doc_title_off(good_pdf: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.ViewerPreferences.DisplayDocTitle = False
    only_failure(check_pdf(edit(good_pdf, change)), "display-doc-title")


def test_pdfuaid_missing(good_pdf: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            del meta["pdfuaid:part"]
    only_failure(check_pdf(edit(good_pdf, change)), "xmp-pdfuaid")


def test_figure_without_alt(good_pdf: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        for figure in struct_elems(pdf, "Figure"):
            del figure["/Alt"]
    finding = only_failure(check_pdf(edit(good_pdf, change)), "figure-alt")
    assert finding.location.startswith("page 1, /Document[1]/P[2]/Figure[1]")


def test_link_without_contents_or_struct_parent(good_pdf: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        annot = pdf.pages[0].Annots[0]
        del annot["/Contents"]
        del annot["/StructParent"]
    findings = check_pdf(edit(good_pdf, change))
    messages = sorted(f.message for f in failed(findings, "link-annotations"))
    assert messages == ["Link annotation has no /Contents", "Link annotation has no /StructParent"]
    assert failed(findings, "link-annotations")[0].location == "page 1, link 1 to https://example.org/x"


def test_page_with_annotations_needs_tabs(good_pdf: Path) -> None:
    only_failure(check_pdf(edit(good_pdf, lambda pdf: pdf.pages[0].obj.__delitem__("/Tabs"))), "tab-order")


def test_font_not_embedded(good_pdf: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]
    finding = only_failure(check_pdf(edit(good_pdf, change)), "fonts-embedded")
    assert finding.location == "page 1" and "DejaVu" in finding.message


def test_no_outline(good_pdf: Path) -> None:
    only_failure(check_pdf(edit(good_pdf, lambda pdf: pdf.Root.__delitem__("/Outlines"))), "outline")


def test_no_struct_tree(good_pdf: Path) -> None:
    findings = check_pdf(edit(good_pdf, lambda pdf: pdf.Root.__delitem__("/StructTreeRoot")))
    assert failed(findings, "struct-tree") and failed(findings, "headings")


@pytest.mark.parametrize(("body", "message"), [
    ("<h1>A</h1><h3>C</h3>", "Heading jumps from H1 to H3"),
    ("<h2>B</h2><h3>C</h3>", "First heading is H2, not H1"),
    ("<h1>A</h1><h2>B</h2><h1>Again</h1>", "2 H1 elements, expected exactly one"),
    ("<p>No headings</p>", "No H1-H6 structure elements"),
])
def test_heading_order(tmp_path: Path, body: str, message: str) -> None:
    findings = check_pdf(render(tmp_path, html(body)))
    assert message in [f.message for f in failed(findings, "headings")]


def test_heading_jump_back_up_is_fine(tmp_path: Path) -> None:
    body = "<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h2>E</h2><h3>F</h3>"
    assert failed(check_pdf(render(tmp_path, html(body))), "headings") == []


def test_role_mapped_headings_count(good_pdf: Path) -> None:
    # A producer's own role name, mapped to H3, is still a heading.
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Subhead=pikepdf.Name.H3)
        for h2 in struct_elems(pdf, "H2")[:1]:
            h2.S = pikepdf.Name.Subhead
    edited = edit(good_pdf, change)
    assert "Heading jumps from H1 to H3" in [f.message for f in failed(check_pdf(edited), "headings")]
    assert "  Subhead -> H3 " in tag_tree(edited)


def test_tag_tree_matches_golden(good_pdf: Path) -> None:
    tree = tag_tree(good_pdf)
    golden = GOLDEN / "tag_tree.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(tree, encoding="utf-8")
    assert tree == golden.read_text(encoding="utf-8")
    assert tag_tree(good_pdf) == tree  # deterministic


def test_tag_tree_text_and_alt(good_pdf: Path, tmp_path: Path) -> None:
    tree = tag_tree(good_pdf)
    assert '  H1 "Gut barrier"\n' in tree
    assert '    Link "a link to example"\n      OBJR Link\n' in tree
    assert '    Figure alt="A black square"\n' in tree
    # A heading wrapped onto two lines gets a space at the break.
    narrow = render(tmp_path, html("<h1 style='width: 6em'>Wrapped heading text here</h1>"))
    assert '  H1 "Wrapped heading text here"' in tag_tree(narrow)
