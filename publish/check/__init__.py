"""Validators for every edition; each returns ``Finding`` objects.

Modules: ``epubcheck`` (EPUB, needs java), ``pdfua`` (PDF/UA-1 machine checks
and the tag tree, pikepdf), ``axe`` and ``layout`` (headless Chromium via
``browser``). Browser and Java imports happen on use, so importing this
package needs neither.
"""

from publish.check.findings import Finding, Severity, ToolMissing, failures

__all__ = ["Finding", "Severity", "ToolMissing", "failures"]
