"""One page → one Markdown file: :func:`write_markdown`.

>>> from .page import Page, wp_datetime
>>> f = write_markdown(Page(id="9", title="Hi: there", html="<p>Hello <b>world</b></p>",
...                         date=wp_datetime("2021-10-10 12:00:00")), "jekyll")
>>> print(f.path); print(f.text, end="")
_posts/2021-10-10-hi-there.md
---
layout: post
title: 'Hi: there'
date: 2021-10-10 12:00:00 +0000
wordpress_id: '9'
---
Hello **world**
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import flavour as _flavour
from .convert import Converted, Stylesheet, convert_html
from .escape import protect, resolve
from .frontmatter import front_matter
from .kept import KeptShortcode, write_shortcode
from .options import MarkdownOptions
from .page import Page

__all__ = ["MarkdownFile", "convert_body", "write_markdown"]


@dataclass(frozen=True, slots=True)
class MarkdownFile:
    """A file to write: ``path`` (relative, ``/``-separated), ``text``, the ``stylesheets``
    taken out of the body (write them once, site-wide) and ``notes`` on what changed form."""

    path: str
    text: str
    stylesheets: tuple[Stylesheet, ...] = ()
    notes: tuple[str, ...] = ()


def convert_body(html: str, flavour: str | _flavour.Flavour = "commonmark", options: MarkdownOptions | None = None,
                 *, lang: str = "", dir: str = "",
                 shortcodes: Mapping[str, KeptShortcode] | None = None) -> Converted:
    """The Markdown body alone (no front matter) of ``html`` for ``flavour``."""
    fl = _flavour.get(flavour)
    opts = options or MarkdownOptions()
    kept = shortcodes or {}
    notes: list[str] = []

    def markdown(inner: str) -> str:
        return convert_body(inner, fl, opts, lang=lang, dir=dir).markdown

    def writer(key: str, block: bool) -> str:
        sc = kept.get(key)
        if sc is None:
            notes.append(f"shortcode placeholder {key!r} has no KeptShortcode: written as its key")
            return key
        return write_shortcode(sc, opts.rule(sc.name), native=fl.native_style, markdown=markdown,
                               notes=notes, mdx=fl.syntax.mdx)

    res = convert_html(html, syntax=fl.syntax, lang=lang, dir=dir, keep_classes=opts.keep_classes,
                       keep_tags=opts.keep_tags, images=opts.images, shortcodes=writer, finish=fl.finish_body)
    return Converted(res.markdown, res.stylesheets, res.notes + tuple(notes))


def write_markdown(page: Page, flavour: str | _flavour.Flavour = "hugo", options: MarkdownOptions | None = None,
                   *, shortcodes: Mapping[str, KeptShortcode] | None = None,
                   body: Converted | None = None) -> MarkdownFile:
    """``page`` as a Markdown file for ``flavour`` (a registered name or a :class:`~.flavour.Flavour`).

    ``shortcodes`` maps each placeholder key in ``page.html`` (see
    :func:`.kept.placeholder`) to the shortcode it stands for; how each is
    written comes from ``options.keep_shortcodes``.
    ``body``: :func:`convert_body` of ``page.html`` (with ``page.lang``, ``page.dir``, ``shortcodes`` and the
    same flavour and options) when the caller has it already (a worker process wrote it): then
    ``page.html`` is not converted again.
    """
    fl = _flavour.get(flavour)
    opts = options or MarkdownOptions()
    if body is None:
        body = convert_body(page.html, fl, opts, lang=page.lang, dir=page.dir, shortcodes=shortcodes)
    parts: list[str] = []
    with_fm = fl.front_matter_default if opts.front_matter is None else opts.front_matter
    if with_fm:
        parts.append(front_matter(fl.front_matter(page, opts)))
    if fl.syntax.mdx and shortcodes:
        imports = sorted({f"import {r.component} from {r.import_from!r};"
                          for sc in shortcodes.values() for r in [opts.rule(sc.name)]
                          if r.import_from and r.component})
        if imports:
            parts.append("\n".join(imports) + "\n\n")
    if fl.title_heading and page.title:
        parts.append("# " + resolve(protect(page.title), fl.syntax.text_style) + "\n\n")
    parts.append(body.markdown)
    seen: dict[str, Stylesheet] = {}
    for sheet in body.stylesheets:
        seen.setdefault(sheet.css, sheet)
    return MarkdownFile(fl.path(page), "".join(parts), tuple(seen.values()), body.notes)
