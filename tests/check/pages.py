"""Small HTML pages for the browser checks."""

from __future__ import annotations

from pathlib import Path


def page(body: str, *, css: str = "", title: str = "Test page") -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{css}</style></head><body>{body}</body></html>\n")


GOOD = page(
    "<header><p>Accessible publishing</p></header>"
    "<main><h1>Gut barrier</h1><p>The gut barrier keeps <a href='#refs'>most things</a> out.</p>"
    "<figure><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' alt='A single dot'>"
    "<figcaption>A dot.</figcaption></figure>"
    "<h2 id='refs'>References</h2><ol><li>One reference.</li></ol></main>"
    "<footer><p>Not medical advice.</p></footer>",
    css="body { font: 1.25rem/1.5 sans-serif; color: #111; background: #fff; max-width: 40em } "
        "a { color: #0033aa }",
)

NO_ALT = page("<main><h1>Image</h1><p><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></p></main>")

LOW_CONTRAST = page("<main><h1>Faint</h1><p style='color: #aaa'>Hard to read.</p></main>",
                    css="body { background: #fff }")

# 4.54:1 passes AA but not AAA (7:1).
MID_CONTRAST = page("<main><h1>Grey</h1><p style='color: #767676'>Readable, not large print.</p></main>",
                    css="body { background: #fff }")

SMALL_TEXT = page("<main><h1>Title</h1><p>Body</p><p class='fine'>Fine print</p></main>",
                  css="body { font-size: 20px } .fine { font-size: 10px }")

WIDE_TABLE = page(
    "<main><h1>Wide</h1><table><tr>" + "".join(f"<th>Column{i}</th>" for i in range(12))
    + "</tr></table></main>",
    css="th { white-space: nowrap; padding: 0 1em }",
)

SCHEMES = page(
    "<main><h1>Schemes</h1><p>Grey text</p></main>",
    css="html { color-scheme: light dark } body { color: #777; background: #fff } "
        "@media (prefers-color-scheme: dark) { body { color: #999; background: #222 } } "
        "@media (prefers-contrast: more) { body { color: #000; background: #fff } } "
        "@media (prefers-color-scheme: dark) and (prefers-contrast: more) "
        "{ body { color: #fff; background: #000 } }",
)

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head><title>Chapter</title></head>
<body><main><h1>Chapter</h1><p>Text <img src="dot.gif"/></p></main></body>
</html>
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
