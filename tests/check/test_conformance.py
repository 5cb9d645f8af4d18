"""``publish check`` on the seed passes every check; each check fails on an artifact broken for
the test (the seed's build, copied, then damaged in one way)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pikepdf
import pytest

from publish import output
from publish.check.checker import registered
from publish.check.checkers.audio import AudioChaptersCheck, AudioLevelsCheck, AudioTranscriptCheck
from publish.check.checkers.epub import EpubAccessibilityCheck, EpubAxeCheck, EpubcheckCheck
from publish.check.checkers.html import LargePrintAxeCheck, LargePrintContrastCheck, LargePrintLayoutCheck
from publish.check.checkers.pdf import LargePrintPdfUaCheck, PdfUaCheck
from tests.check.conftest import Broken, Checked, assert_large_print_pages, explain, failing

if TYPE_CHECKING:
    from playwright.sync_api import Browser

EXPECTED = {
    "pdf": ["pdf-ua", "parity-pdf"],
    "large-print-pdf": ["large-print-pdf-ua", "parity-large-print-pdf"],
    "epub": ["epub-a11y-metadata", "epub-axe", "epubcheck", "parity-epub"],
    "large-print": ["large-print-axe", "large-print-contrast", "large-print-layout", "parity-large-print"],
    "audio": ["audio-chapters", "audio-levels", "audio-transcript", "parity-audio"],
}


def rewrite_epub(path: Path, edit: Callable[[str, bytes], bytes]) -> None:
    """Rewrite an EPUB in place, passing each entry through ``edit`` (mimetype first, stored)."""
    temporary = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w") as target:
        for info in source.infolist():
            data = edit(info.filename, source.read(info.filename))
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, data, compress_type=kind)
    temporary.replace(path)


# ---------------------------------------------------------------- the real build passes


def test_every_builtin_check_is_registered() -> None:
    checks = registered()
    for edition, names in EXPECTED.items():
        assert sorted(n for n, c in checks.items() if c.edition == edition) == sorted(names)


def test_publish_check_passes_every_check_on_the_seed(checked_seed: Checked) -> None:
    report = checked_seed.report
    problems = {c["name"]: [f"{f['location']}: {f['message']}" for f in c["findings"] if not f["ok"]]
                for e in report["editions"] for c in e["checks"] if c["result"] != "pass"}
    assert problems == {}
    assert checked_seed.exit_code == 0
    assert report["result"] == "pass"
    assert {e["edition"]: sorted(c["name"] for c in e["checks"]) for e in report["editions"]} == {
        k: sorted(v) for k, v in EXPECTED.items()}
    assert [e["edition"] for e in report["editions"]] == ["pdf", "large-print-pdf", "epub", "large-print", "audio"]


def test_reports_are_published_beside_the_editions(checked_seed: Checked) -> None:
    manifest = json.loads((checked_seed.folder / "manifest.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in manifest["checks"]["files"]] == ["conformance.json", "conformance.html"]
    assert manifest["checks"]["facts"]["result"] == "pass"
    assert manifest["checks"]["facts"]["editions"] == {e: "pass" for e in EXPECTED}
    assert (checked_seed.folder / "conformance.html").is_file()
    assert checked_seed.report["format"] == "publish-conformance/2"
    assert checked_seed.report["counts"] == {"checks": 16, "passed": 16, "warnings": 0, "failed": 0, "not_run": 0}
    # Every passing check still says what it verified.
    assert all(any(f["ok"] for f in c["findings"]) for e in checked_seed.report["editions"] for c in e["checks"])


def test_checking_the_same_build_again_gives_the_same_bytes(checked_seed: Checked, tmp_path: Path) -> None:
    """``publish check`` a second time on the build checked_seed checked (a copy of its dist):
    conformance.json and the publication page are the same bytes; conformance.html differs only
    in how long each check took, which is said nowhere else."""
    from publish.cli import main

    again = tmp_path / "dist"
    shutil.copytree(checked_seed.dist, again, symlinks=True,
                    ignore=shutil.ignore_patterns(output.LOCKS, output.STAGING))
    assert main(["check", "-q", str(again)]) == 0
    first, second = checked_seed.folder, again / checked_seed.slug
    assert (second / "conformance.json").read_bytes() == (first / "conformance.json").read_bytes()
    assert (again / "index.html").read_bytes() == (checked_seed.dist / "index.html").read_bytes()
    timings = re.compile(r"(\(Check <code>[^<]+</code>), \d+\.\d s\.\)")
    pages = [timings.subn(r"\1.)", (folder / "conformance.html").read_text(encoding="utf-8"))
             for folder in (first, second)]
    assert pages[0] == pages[1] and pages[0][1] == 16


def test_report_and_index_pages_are_accessible_large_print(checked_seed: Checked, chromium_browser: Browser) -> None:
    assert_large_print_pages([checked_seed.folder / "conformance.html", checked_seed.dist / "index.html"],
                             chromium_browser)


def test_report_says_where_and_what_to_do(broken: Broken) -> None:
    from publish.check.checkers.parity import LargePrintParity
    from publish.check.run import check_all

    html = broken.file(".large-print.html")
    html.write_text(re.sub(r'<li id="ref-peng2009">.*?</li>', "", html.read_text(encoding="utf-8"), flags=re.S),
                    encoding="utf-8")
    checks = {"pdf-ua": PdfUaCheck(), "parity-large-print": LargePrintParity()}
    [result] = check_all([(broken.dist, broken.slug)], checkers=checks)
    assert result.status == "fail" and result.published
    page = (broken.folder / "conformance.html").read_text(encoding="utf-8")
    assert "Failed" in page and "What to do" in page
    assert re.search(r"source/gut-barrier/article\.md:\d+", page)
    assert "Peng, L. et al. (2009)" in page and "missing from the large-print HTML" in page


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize(("checker", "suffix"), [(PdfUaCheck(), ".pdf"),
                                                 (LargePrintPdfUaCheck(), ".large-print.pdf")])
def test_pdf_without_lang_fails(broken: Broken, checker: PdfUaCheck, suffix: str) -> None:
    path = broken.file(suffix)
    assert broken.run(checker).status == "pass"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root["/Lang"]
        pdf.save(path)
    result = broken.run(checker)
    assert result.status == "fail"
    assert failing(result) == ["pdfua:lang: Catalog /Lang is missing or empty: screen readers cannot pick a voice"]
    assert result.findings[0].location.startswith(path.name)


def test_unreadable_pdf_is_a_finding_not_a_traceback(broken: Broken) -> None:
    broken.file(".pdf").write_bytes(b"%PDF-1.7\nnot really")
    result = broken.run(PdfUaCheck())
    assert result.status == "fail" and not result.detail
    assert failing(result)[0].startswith("pdfua:open: not a readable PDF")


# ---------------------------------------------------------------- EPUB


def test_epub_missing_accessibility_field_fails(broken: Broken) -> None:
    assert broken.run(EpubAccessibilityCheck()).status == "pass"
    rewrite_epub(broken.file(".epub"), lambda name, data: re.sub(
        rb"\s*<meta property=\"schema:accessibilityHazard\">[^<]*</meta>", b"", data) if name.endswith(".opf")
        else data)
    result = broken.run(EpubAccessibilityCheck())
    assert failing(result) == ["a11y-metadata: schema:accessibilityHazard is missing"]
    assert result.findings[0].location == "EPUB/content.opf"


def test_epub_claim_not_true_to_the_book_fails(broken: Broken) -> None:
    def edit(name: str, data: bytes) -> bytes:
        if name.endswith(".opf"):  # claim alt text (no image has any) and drop the overlays
            data = data.replace(b'<meta property="schema:accessibilityHazard">',
                                b'<meta property="schema:accessibilityFeature">alternativeText</meta>'
                                b'<meta property="schema:accessibilityHazard">')
            data = re.sub(rb' media-overlay="[^"]*"', b"", data)
        return data

    rewrite_epub(broken.file(".epub"), edit)
    result = broken.run(EpubAccessibilityCheck())
    found = failing(result)
    assert any(m.startswith("a11y-metadata: accessibilityFeature alternativeText is claimed but no <img>")
               for m in found), found
    assert any("accessibilityFeature synchronizedAudioText is claimed" in m for m in found), found
    assert any("accessMode auditory is claimed" in m for m in found), found
    where = next(f.location for f in result.findings if "alternativeText" in f.message)
    assert re.fullmatch(r"EPUB/content\.opf:\d+", where)


def test_epubcheck_fails_on_a_broken_epub(broken: Broken, java: str) -> None:
    rewrite_epub(broken.file(".epub"), lambda name, data: re.sub(
        rb'<li id="ref-peng2009".*?</li>', b"", data, flags=re.S) if name.endswith("references.xhtml") else data)
    result = broken.run(EpubcheckCheck())
    assert result.status == "fail", explain(result)
    assert any(f.check == "epubcheck:RSC-012" and f.location.startswith("EPUB/references.smil:")
               for f in result.findings if not f.ok), explain(result)


def test_epub_axe_fails_on_an_image_without_alt(broken: Broken) -> None:
    rewrite_epub(broken.file(".epub"), lambda name, data: data.replace(
        b"</h1>", b'</h1><p><img src="images/cover.png"/></p>', 1) if name.endswith("article.xhtml") else data)
    result = broken.run(EpubAxeCheck(), browser=True)
    assert any(f.check == "axe:image-alt" and f.location.startswith("EPUB/article.xhtml")
               for f in result.findings if not f.ok), explain(result)


# ---------------------------------------------------------------- large print


def test_large_print_low_contrast_fails(broken: Broken) -> None:
    html = broken.file(".large-print.html")
    html.write_text(html.read_text(encoding="utf-8").replace("--text: #111111;", "--text: #888888;", 1),
                    encoding="utf-8")
    result = broken.run(LargePrintContrastCheck(), browser=True)
    found = failing(result)
    assert len(found) == 1 and re.match(r"contrast: Contrast 3\.5\d:1 in the light scheme, below 7:1", found[0])
    axe = broken.run(LargePrintAxeCheck(), browser=True)  # 3.5:1 passes AA for 24 px text, not AAA
    assert any(f.check == "axe:color-contrast-enhanced" for f in axe.findings if not f.ok), explain(axe)


def test_large_print_small_text_and_overflow_fail(broken: Broken) -> None:
    html = broken.file(".large-print.html")
    html.write_text(html.read_text(encoding="utf-8").replace(
        "</style>", ".subtitle, .byline, .dateline, .disclaimer-link { font-size: 14px }"
        " #p-1 { white-space: nowrap }</style>", 1), encoding="utf-8")
    found = failing(broken.run(LargePrintLayoutCheck(), browser=True))
    assert any(m.startswith("layout:font-size: Text at 14 px, below the 24 px") for m in found), found
    assert any(m.startswith("layout:reflow: The page is") for m in found), found


# ---------------------------------------------------------------- audio


def test_audio_clipped_at_full_scale_fails(broken: Broken) -> None:
    import soundfile as sf  # type: ignore[import-untyped]

    from formats.audio.mp3 import encode_mp3

    mp3 = broken.file(".mp3")
    assert broken.run(AudioLevelsCheck()).status == "pass"
    samples, rate = sf.read(mp3, dtype="float32", always_2d=True)
    clipped = np.clip(samples[: rate * 20, 0] * 8, -1.0, 1.0).astype(np.float32)
    mp3.write_bytes(encode_mp3(clipped, rate))
    found = failing(broken.run(AudioLevelsCheck()))
    clip = re.compile(r"audio:peak: Peak -?\d+\.\d dB, above -3 dB \(clipped at full scale\)")
    assert any(clip.match(m) for m in found), found


def test_audio_without_references_chapter_fails(broken: Broken) -> None:
    from mutagen import id3

    mp3 = broken.file(".mp3")
    tags = id3.ID3(mp3)  # type: ignore[no-untyped-call]
    last = max(tags.getall("CHAP"), key=lambda c: c.start_time)  # type: ignore[no-untyped-call]
    tags.delall(f"CHAP:{last.element_id}")  # type: ignore[no-untyped-call]
    tags.save(mp3)  # type: ignore[no-untyped-call]
    found = failing(broken.run(AudioChaptersCheck()))
    assert 'chapters:missing: No chapter "References"' in found, found
    assert any(m.startswith("chapters:ctoc: The CTOC lists chapters that do not exist") for m in found), found
    assert any(m.startswith("chapters:coverage: The last chapter ends at") for m in found), found


def test_transcript_with_a_missing_cue_or_bad_timing_fails(broken: Broken) -> None:
    vtt = broken.file(".vtt")
    text = vtt.read_text(encoding="utf-8")
    dropped = re.sub(r"\nref-turner2009\n[^\n]+\n[^\n]+\n", "\n", text)
    vtt.write_text(dropped, encoding="utf-8")
    found = failing(broken.run(AudioTranscriptCheck()))
    assert len(found) == 1 and "no cue for ref-turner2009" in found[0], found
    vtt.write_text(text.replace("00:00:00.750 -->", "00:00:00.750 ->"), encoding="utf-8")
    found = failing(broken.run(AudioTranscriptCheck()))
    assert len(found) == 1 and found[0].startswith("transcript:parse:"), found
    late = re.sub(r"(\n)(\d\d:\d\d:\d\d\.\d{3}) --> [^\n]+\n([^\n]*)\n*$", r"\1\2 --> 01:00:00.000\n\3\n", text)
    vtt.write_text(late, encoding="utf-8")
    found = failing(broken.run(AudioTranscriptCheck()))
    assert any(m.startswith("transcript:timing: Cue ends at 3600.000 s, after the audio") for m in found), found


# ---------------------------------------------------------------- missing tools


def test_missing_chromium_means_not_run(broken: Broken, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISH_CHROMIUM", str(broken.dist / "no-chromium-here"))
    result = broken.run(LargePrintContrastCheck())
    assert result.status == "not-run" and result.findings == [] and not result.detail
    assert result.missing == f"chromium at {broken.dist / 'no-chromium-here'}" and "apt-get install" in result.install


def test_missing_java_means_not_run(broken: Broken, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(broken.dist))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    result = broken.run(EpubcheckCheck())
    assert result.status == "not-run" and result.findings == []
    assert result.missing == "java" and "default-jre-headless" in result.install
