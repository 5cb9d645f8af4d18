"""How fast builds are: ``nox -s bench`` (or ``python bench/run.py``).

Builds the seed and a generated collection of articles in a temporary folder and prints one
table: cold build time per edition and in total, a no-op rebuild, a one-paragraph edit,
``--jobs 1`` against ``--jobs 2``, peak memory per worker, and the engines alone on the
seed's content (WeasyPrint on the same HTML, espeak-ng on the same speech text) so the
toolkit's own cost shows as a ratio. Targets are checked and reported, never asserted.

Every build runs in a fresh process (``python bench/run.py --build ...``) timed from outside,
so start-up counts as a user would see it; that process reports per-edition figures as JSON.

The collection's articles are shorter than the seed (its introduction and one section, with
the references they cite), each with sentences of its own so their speech is not cached.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "gut-barrier"
EPOCH = 1700000000  # as nox -s publish would set it, so builds are reproducible
PARAGRAPH = "The intestinal barrier is a multi-layered system"
WORDS = {
    "opening": ["Notably", "In practice", "Put simply", "Seen closely", "By most accounts", "On balance"],
    "quality": ["careful", "steady", "subtle", "gradual", "layered", "quiet", "measured", "shifting"],
    "subject": ["balance", "signal", "response", "pattern", "exchange", "boundary", "rhythm", "process"],
    "verb": ["matters here", "shapes the outcome", "deserves attention", "changes with time", "is easy to miss"],
}


# ---------------------------------------------------------------- one build, in its own process


def build_once(argv: list[str]) -> None:
    """``--build OUT CACHE JOBS PATH...``: build every edition, print the outcomes as JSON."""
    started = time.perf_counter()
    from publish.build import Options, build, find_articles, select
    from publish.renderer import Settings, registered

    out, cache, jobs, *paths = argv
    renderers = select(registered(), [])
    begun = time.perf_counter()
    outcomes = build(find_articles([Path(p) for p in paths]), renderers, Path(out), Settings(source_date_epoch=EPOCH),
                     options=Options(jobs=int(jobs), cache=Path(cache)))
    done = time.perf_counter()
    editions = [{"article": a.slug, "name": e.name, "ok": e.ok, "seconds": e.seconds, "up_to_date": e.up_to_date,
                 "worker": e.worker, "rss": e.peak_rss_mb, "engine_rss": e.engine_rss_mb, "error": e.error}
                for a in outcomes for e in a.editions]
    errors = [str(a.error) for a in outcomes if a.error]
    from publish.inputs import code_fingerprints

    print(json.dumps({"editions": editions, "errors": errors, "build_seconds": done - begun,
                      "code": code_fingerprints(renderers),
                      "import_seconds": begun - started,
                      "own_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


@dataclass
class Build:
    wall: float  # the whole process, start-up included
    inside: float  # build() alone
    editions: list[dict[str, Any]]
    cpu: float  # user + system seconds of the build's processes (workers, speech engines)
    others: float  # cores busy with other work meanwhile, on average (from /proc/stat)
    code: dict[str, str]  # the renderers' code fingerprints (publish.inputs)

    def seconds(self, name: str) -> float:
        return sum(e["seconds"] for e in self.editions if e["name"] == name)

    def names(self) -> list[str]:
        return list(dict.fromkeys(e["name"] for e in self.editions))

    def built(self) -> int:
        return sum(1 for e in self.editions if not e["up_to_date"])


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used (Linux); 0 where unknown."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed_build(paths: list[Path], out: Path, cache: Path, jobs: int) -> Build:
    busy, cpu = machine_busy_seconds(), cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--build", str(out), str(cache), str(jobs), *map(str, paths)],
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    others = max(0.0, machine_busy_seconds() - busy - cpu) / wall
    if done.returncode != 0:
        sys.exit(f"bench: a build failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    failed = [e for e in report["editions"] if not e["ok"]]
    if failed or report["errors"]:
        sys.exit(f"bench: editions failed: {failed or report['errors']}")
    return Build(wall, report["build_seconds"], report["editions"], cpu, others, report["code"])


# ---------------------------------------------------------------- the engines alone


def engines_once(argv: list[str]) -> None:
    """``--engines ARTICLE VOICE``: WeasyPrint and espeak-ng (and LAME) on the article's content.

    Importing the engines counts, as it does in the builds it is compared with (each timed
    as a whole process): WeasyPrint alone takes a third of a second to import."""
    import ctypes

    started = time.perf_counter()
    import espeakng_loader
    import lameenc
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    imported = time.perf_counter() - started
    import numpy as np
    import soxr

    from formats.audio.mp3 import QUALITY
    from formats.pdf import renderer as pdf
    from formats.pdf.fonts import families_for, font_face_css
    from formats.pdf.weasy import PDF_VARIANT, stylesheets
    from publish import assets, html
    from publish.reader import read_article
    from publish.speech import segments

    article, voice = Path(argv[0]), argv[1]
    document = read_article(article)
    times: dict[str, float] = {"importing WeasyPrint, espeak-ng and LAME": imported}
    images = {f.src: assets.resolve(document, f).as_uri() for f in assets.figures(document)}
    page = html.render(html.environment(pdf.HERE / "templates"), "pdf.html.j2", document,
                       image_src=images.__getitem__)
    for edition in ("standard", "large-print"):
        started = time.perf_counter()
        fonts = FontConfiguration()
        css = [weasyprint.CSS(string=font_face_css(families_for(page)), font_config=fonts),
               *(weasyprint.CSS(filename=str(s), font_config=fonts) for s in stylesheets(edition, "a4"))]
        weasyprint.HTML(string=page, base_url=str(article.parent) + os.sep).write_pdf(
            stylesheets=css, font_config=fonts, pdf_variant=PDF_VARIANT)
        times[f"weasyprint {edition}"] = time.perf_counter() - started

    started = time.perf_counter()
    espeak = ctypes.CDLL(espeakng_loader.get_library_path())
    espeak.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    espeak.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0)  # synchronous
    espeak.espeak_SetVoiceByName(voice.encode())
    espeak.espeak_SetParameter(1, 165, 0)  # rate
    chunks: list[bytes] = []
    callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

    def collect(wav: Any, count: int, events: Any) -> int:
        if count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    callback = callback_type(collect)
    espeak.espeak_SetSynthCallback(callback)
    espeak.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                    ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    for segment in segments(document):
        text = segment.text.encode("utf-8")
        espeak.espeak_Synth(text, len(text) + 1, 0, 1, 0, 0x1000 | 1, None, None)  # ENDPAUSE | UTF-8
    times["espeak-ng"] = time.perf_counter() - started

    pcm = np.frombuffer(b"".join(chunks), dtype="<i2").astype(np.float32) / 32768
    track = soxr.resample(pcm, 22050, 44100, quality="VHQ")
    started = time.perf_counter()
    encoder = lameenc.Encoder()
    for setting, value in (("set_channels", 1), ("set_in_sample_rate", 44100), ("set_out_sample_rate", 44100),
                           ("set_bit_rate", 192), ("set_quality", QUALITY)):
        getattr(encoder, setting)(value)
    encoder.encode(np.round(track * 32767).astype("<i2").tobytes())
    encoder.flush()
    times["lame (mp3)"] = time.perf_counter() - started
    print(json.dumps(times))


def timed_engines(article: Path, voice: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--engines", str(article), voice], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        sys.exit(f"bench: the engines alone failed:\n{done.stderr}")
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


# ---------------------------------------------------------------- publish watch


def timed_watch_edit(article: Path, out: Path, cache: Path) -> tuple[float, float]:
    """``publish watch`` on a fresh copy of the seed: (its first, cold build; a one-paragraph
    edit timed from the save to the end of the build it starts), seconds."""
    command = [sys.executable, "-m", "publish", "watch", str(article), "-o", str(out), "--cache", str(cache),
               "--interval", "0.05"]
    watching = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)})
    assert watching.stderr is not None
    lines = watching.stderr

    def next_build() -> float:
        for line in lines:
            if line.startswith("Built in"):
                return float(line.split()[2])
        sys.exit(f"bench: publish watch ended early:\n{lines.read()}")

    try:
        first = next_build()
        source = article / "article.md"
        source.write_text(source.read_text(encoding="utf-8").replace(PARAGRAPH, "The intestinal barrier is a "
                                                                                 "layered system"), encoding="utf-8")
        saved = time.perf_counter()
        next_build()
        return first, time.perf_counter() - saved
    finally:
        os.killpg(watching.pid, signal.SIGINT)
        watching.communicate(timeout=60)


# ---------------------------------------------------------------- the collection


def generate(folder: Path, count: int) -> list[Path]:
    """``count`` articles from the seed: its introduction and one section each, every paragraph
    opened by a sentence of its own (so its speech is new), with the references they cite."""
    text = (SEED / "article.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    intro, *sections = re.split(r"(?m)^(?=## )", body)
    made = []
    for number in range(1, count + 1):
        rng = random.Random(number)
        chosen = intro + sections[(number - 1) % len(sections)]
        varied = re.sub(r"(?m)^(?=[A-Z])", lambda _, rng=rng: _sentence(rng), chosen)
        cited = set(re.findall(r"@([\w:.-]+)", varied))
        article = dict(meta, title=f"{meta['title']}, part {number}",
                       references=[r for r in meta.get("references", []) if r["id"] in cited])
        target = folder / f"part-{number:02d}" / "article.md"
        target.parent.mkdir(parents=True)
        target.write_text(f"---\n{yaml.safe_dump(article, allow_unicode=True, sort_keys=False)}---\n{varied}",
                          encoding="utf-8")
        made.append(target.parent)
    return made


def _sentence(rng: random.Random) -> str:
    pick = {key: rng.choice(words) for key, words in WORDS.items()}
    return f"{pick['opening']}, the {pick['quality']} {pick['subject']} {pick['verb']}. "


def edit_one_paragraph(article: Path) -> None:
    source = article / "article.md"
    text = source.read_text(encoding="utf-8")
    paragraph = next(line for line in text.split("\n---\n", 1)[1].splitlines() if line[:1].isupper())
    source.write_text(text.replace(paragraph, paragraph.replace(" the ", " this ", 1), 1), encoding="utf-8")


def same_files(a: Path, b: Path, *, keys: bool) -> bool:
    """Whether two output folders hold the same bytes; with ``keys=False`` the manifests' input
    keys are left out (they hash the toolkit's code, which may change between two builds of a
    working tree)."""

    def files(root: Path) -> dict[str, Any]:
        found: dict[str, Any] = {}
        # dist/<slug>/<file> and dist/index.html; not .versions and such
        published = (path for entry in sorted(root.iterdir()) if not entry.name.startswith(".")
                     for path in (sorted(entry.iterdir()) if entry.is_dir() else [entry]))
        for path in published:
            data = path.read_bytes()
            if path.name == "manifest.json" and not keys:
                manifest = json.loads(data)
                for entry in manifest["editions"].values():
                    entry["inputs"].pop("key", None)
                found[str(path.relative_to(root))] = manifest
            else:
                found[str(path.relative_to(root))] = data
        return found

    return files(a) == files(b)


# ---------------------------------------------------------------- the table


def peak_rss(build: Build) -> tuple[float, float, int]:
    """(largest worker's peak RSS, largest speech engine's, number of workers), in MB."""
    workers: dict[str, float] = defaultdict(float)
    engines: dict[str, float] = defaultdict(float)
    for edition in build.editions:
        if edition["worker"]:
            workers[edition["worker"]] = max(workers[edition["worker"]], edition["rss"])
            engines[edition["worker"]] = max(engines[edition["worker"]], edition["engine_rss"])
    return max(workers.values(), default=0.0), max(engines.values(), default=0.0), len(workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50, help="size of the generated collection (default 50)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="publish-bench-"))
    try:
        run(work, args.articles)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def run(work: Path, count: int) -> None:
    began = time.perf_counter()
    seed = work / "seed" / "gut-barrier"
    shutil.copytree(SEED, seed)
    parts = generate(work / "collection", count)
    say = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731 - progress, not results

    say("seed: cold build, --jobs 1")
    seed_cold = timed_build([seed], work / "seed-dist-1", work / "seed-cache-1", 1)
    say("seed: no-op rebuild")
    seed_noop = timed_build([seed], work / "seed-dist-1", work / "seed-cache-1", 1)
    voice = json.loads((work / "seed-dist-1" / "gut-barrier" / "manifest.json").read_text())["editions"]["audio"][
        "facts"]["voice"]
    say("seed: the engines alone")
    engines = timed_engines(seed / "article.md", voice)
    say("seed: cold build, --jobs 2")
    seed_cold2 = timed_build([seed], work / "seed-dist-2", work / "seed-cache-2", 2)
    source = seed / "article.md"
    source.write_text(source.read_text(encoding="utf-8").replace(PARAGRAPH, "The intestinal barrier is a layered "
                                                                             "system"), encoding="utf-8")
    say("seed: one-paragraph edit, --jobs 1 and --jobs 2")
    seed_edit = timed_build([seed], work / "seed-dist-1", work / "seed-cache-1", 1)
    seed_edit2 = timed_build([seed], work / "seed-dist-2", work / "seed-cache-2", 2)
    say("seed: one-paragraph edit under publish watch")
    watched = work / "watch" / "gut-barrier"
    shutil.copytree(SEED, watched)
    watch_edit = timed_watch_edit(watched, work / "watch-dist", work / "watch-cache")

    folder = work / "collection"
    say(f"collection of {count}: cold build, --jobs 1")
    many_cold1 = timed_build([folder], work / "many-dist-1", work / "many-cache-1", 1)
    say(f"collection of {count}: cold build, --jobs 2")
    many_cold2 = timed_build([folder], work / "many-dist-2", work / "many-cache-2", 2)
    same_code = many_cold1.code == many_cold2.code
    identical = same_files(work / "many-dist-1", work / "many-dist-2", keys=same_code)
    if not same_code:
        say("note: the toolkit's code changed between the two builds; input keys are not compared")
    say(f"collection of {count}: no-op rebuild and one-paragraph edit, --jobs 2")
    many_noop = timed_build([folder], work / "many-dist-2", work / "many-cache-2", 2)
    edit_one_paragraph(parts[0])
    many_edit = timed_build([folder], work / "many-dist-2", work / "many-cache-2", 2)

    report(count, seed_cold, seed_cold2, seed_noop, seed_edit, seed_edit2, watch_edit, engines, many_cold1, many_cold2,
           many_noop, many_edit, identical)
    print(f"\n(bench ran {time.perf_counter() - began:.0f} s in {work})")


def report(count: int, seed_cold: Build, seed_cold2: Build, seed_noop: Build, seed_edit: Build, seed_edit2: Build,
           watch_edit: tuple[float, float],
           engines: dict[str, float], many_cold1: Build, many_cold2: Build, many_noop: Build, many_edit: Build,
           identical: bool) -> None:
    rows: list[tuple[str, str, str]] = []

    def row(label: str, seed: str = "", many: str = "") -> None:
        rows.append((label, seed, many))

    def s(value: float) -> str:
        return f"{value:.2f} s"

    row("cold build, --jobs 1 (process wall)", s(seed_cold.wall), s(many_cold1.wall))
    for name in seed_cold.names():
        row(f"  {name}", s(seed_cold.seconds(name)), s(many_cold1.seconds(name)))
    row("cold build, --jobs 2 (process wall)", s(seed_cold2.wall), s(many_cold2.wall))
    row("  speed-up --jobs 2 over --jobs 1", f"{seed_cold.wall / seed_cold2.wall:.2f}x",
        f"{many_cold1.wall / many_cold2.wall:.2f}x")
    row("  --jobs 1 and --jobs 2 give the same bytes", "", "yes" if identical else "NO")
    row("  CPU time / wall time, --jobs 1", f"{seed_cold.cpu / seed_cold.wall:.2f}",
        f"{many_cold1.cpu / many_cold1.wall:.2f}")
    row("  CPU time / wall time, --jobs 2", f"{seed_cold2.cpu / seed_cold2.wall:.2f}",
        f"{many_cold2.cpu / many_cold2.wall:.2f}")
    row("  editions' time / wall time, --jobs 2 (busy workers)",
        f"{sum(map(seed_cold2.seconds, seed_cold2.names())) / seed_cold2.wall:.2f}",
        f"{sum(map(many_cold2.seconds, many_cold2.names())) / many_cold2.wall:.2f}")
    row("  cores busy with other work meanwhile, --jobs 1", f"{seed_cold.others:.2f}", f"{many_cold1.others:.2f}")
    row("  cores busy with other work meanwhile, --jobs 2", f"{seed_cold2.others:.2f}", f"{many_cold2.others:.2f}")
    row("no-op rebuild (process wall)", s(seed_noop.wall), s(many_noop.wall))
    row("  of which build() itself", s(seed_noop.inside), s(many_noop.inside))
    row("  editions rebuilt", str(seed_noop.built()), str(many_noop.built()))
    row("one-paragraph edit, --jobs 1 (process wall)", s(seed_edit.wall))
    row("  share of the cold build, --jobs 1", f"{seed_edit.wall / seed_cold.wall:.2f}")
    row("one-paragraph edit, --jobs 2 (process wall)", s(seed_edit2.wall), s(many_edit.wall))
    row("  share of the cold build, --jobs 2", f"{seed_edit2.wall / seed_cold2.wall:.2f}",
        f"{many_edit.wall / many_cold2.wall:.3f}")
    row("  editions rebuilt", str(seed_edit2.built()), str(many_edit.built()))
    row("one-paragraph edit, publish watch (save to built)", s(watch_edit[1]))
    row("  share of the cold build, --jobs 2", f"{watch_edit[1] / seed_cold2.wall:.2f}")
    row("  the watch's own first (cold) build", s(watch_edit[0]))
    for name in seed_edit.names():
        row(f"  {name}, --jobs 1", s(seed_edit.seconds(name)))
    worker, _, workers = peak_rss(many_cold2)
    seed_worker, _, _ = peak_rss(seed_cold2)
    row(f"peak RSS per worker, --jobs 2 ({workers} workers)", f"{seed_worker:.0f} MB", f"{worker:.0f} MB")
    # the speech engine is the build process's own child only when it renders in-process
    row("  the speech engine's process, --jobs 1", f"{peak_rss(seed_cold)[1]:.0f} MB",
        f"{peak_rss(many_cold1)[1]:.0f} MB")
    engines_total = sum(engines.values())
    for name, seconds in engines.items():
        row(f"engine alone: {name}", s(seconds))
    row("engines alone, total (WeasyPrint x2 + espeak-ng + LAME)", s(engines_total))
    row("  cold --jobs 1 / engines alone", f"{seed_cold.wall / engines_total:.2f}x")
    row("  cold --jobs 2 / engines alone", f"{seed_cold2.wall / engines_total:.2f}x")
    without_lame = engines_total - engines["lame (mp3)"]
    row("  cold --jobs 1 / engines but LAME", f"{seed_cold.wall / without_lame:.2f}x")

    width = max(len(r[0]) for r in rows)
    print(f"\n{'':<{width}}  {'seed':>12}  {f'{count} articles':>14}")
    for label, seed, many in rows:
        print(f"{label:<{width}}  {seed:>12}  {many:>14}")

    targets = [
        ("no-op rebuild of the seed < 0.5 s (process wall)", seed_noop.wall < 0.5),
        ("one-paragraph edit < 1/3 of cold (seed, --jobs 2, publish build)", seed_edit2.wall < seed_cold2.wall / 3),
        ("one-paragraph edit < 1/3 of cold (seed, --jobs 2, publish watch)", watch_edit[1] < seed_cold2.wall / 3),
        ("cold overhead <= 1.5x engines alone (seed, --jobs 1)", seed_cold.wall <= 1.5 * engines_total),
        (f"--jobs 2 >= 1.7x --jobs 1 ({count} articles)", many_cold1.wall / many_cold2.wall >= 1.7),
        ("peak RSS < 400 MB per worker", max(worker, seed_worker) < 400),
    ]
    print("\ntargets")
    for label, met in targets:
        print(f"  {'met   ' if met else 'MISSED'}  {label}")
    others = max(b.others for b in (seed_cold, seed_cold2, many_cold1, many_cold2))
    if others > 0.2:
        print(f"\nnote: the machine was not idle: other work kept up to {others:.1f} of its {os.cpu_count()} cores "
              "busy during a build, so times are longer and the --jobs speed-up lower than on an idle machine.")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        build_once(sys.argv[2:])
    elif sys.argv[1:2] == ["--engines"]:
        engines_once(sys.argv[2:])
    else:
        main()
