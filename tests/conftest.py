"""Shared fixtures: one headless Chromium and Java for the whole run (see tests/tools.py)."""

from __future__ import annotations

from tests.tools import chromium_browser, java, pytest_terminal_summary

__all__ = ["chromium_browser", "java", "pytest_terminal_summary"]
