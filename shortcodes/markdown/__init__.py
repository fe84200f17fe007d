"""Markdown for static-site generators: rendered post HTML + metadata → Hugo, Jekyll, Astro (MDX), CommonMark.

>>> from shortcodes.markdown import Page, write_markdown
>>> f = write_markdown(Page(id="1", title="مرحبا", html="<p>نص <em>عربي</em> ١٢٣</p>", lang="ar", dir="rtl"), "astro")
>>> f.path
'src/content/blog/مرحبا.mdx'
>>> print(f.text, end="")
---
title: مرحبا
description: ''
lang: ar
dir: rtl
---
نص *عربي* ١٢٣

Modules: :mod:`.page` (the input record), :mod:`.options`, :mod:`.write`
(:func:`write_markdown`), :mod:`.convert` (HTML → Markdown), :mod:`.escape`,
:mod:`.rawhtml`, :mod:`.htmlscan`, :mod:`.kept` (kept shortcodes),
:mod:`.frontmatter`, :mod:`.flavour` (the registry) and one module per
flavour: :mod:`.hugo`, :mod:`.jekyll`, :mod:`.astro`, :mod:`.commonmark`.
See ``shortcodes/markdown/README.md`` for how the HTML library was chosen.
"""
from __future__ import annotations

from . import astro, commonmark, hugo, jekyll  # noqa: F401  (register the built-in flavours)
from .convert import Converted, Stylesheet, Syntax, convert_html
from .flavour import Flavour
from .flavour import get as get_flavour
from .flavour import names as flavour_names
from .flavour import register as register_flavour
from .frontmatter import front_matter, split_front_matter
from .kept import KeptShortcode, ShortcodeRule, load_rules, placeholder, rules_from
from .options import MarkdownOptions
from .page import Page, Term, slugify, wp_datetime
from .write import MarkdownFile, convert_body, write_markdown

__all__ = [
    "Converted",
    "Flavour",
    "KeptShortcode",
    "MarkdownFile",
    "MarkdownOptions",
    "Page",
    "ShortcodeRule",
    "Stylesheet",
    "Syntax",
    "Term",
    "convert_body",
    "convert_html",
    "flavour_names",
    "front_matter",
    "get_flavour",
    "load_rules",
    "placeholder",
    "register_flavour",
    "rules_from",
    "slugify",
    "split_front_matter",
    "wp_datetime",
    "write_markdown",
]
