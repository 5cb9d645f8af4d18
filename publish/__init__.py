"""Accessible multi-format publishing: one semantic source, four accessible editions."""

__version__ = "0.1.0"
