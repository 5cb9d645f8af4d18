"""Validators for every edition; each returns ``Finding`` objects.

Modules: ``epubcheck`` (EPUB, needs java), ``pdfua`` (PDF/UA-1 machine checks
and the tag tree, pikepdf), ``axe`` and ``layout`` (headless Chromium via
``browser``). Browser and Java imports happen on use, so importing this
package needs neither.

``publish check`` is built on them: ``checker`` (the Checker Protocol, the
``BuiltArticle`` a check looks at, the ``publish.checks`` registry),
``checkers/`` (the built-in checks, one module per edition, and parity),
``parity`` (source items, edition text, matching), ``run`` (running the checks
of a dist), ``report`` (conformance.json/.html) and ``index`` (dist/index.html).
"""

from publish.check.findings import Finding, Severity, ToolMissing, failures

__all__ = ["Finding", "Severity", "ToolMissing", "failures"]
