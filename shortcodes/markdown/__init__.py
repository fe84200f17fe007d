"""Markdown for static-site generators (work in progress)."""
