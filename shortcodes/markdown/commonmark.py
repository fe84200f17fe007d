"""Plain CommonMark: no front matter (CommonMark has none), the title as the first heading.

A CommonMark renderer would show YAML front matter as a thematic break and
a setext heading, so by default the file is only ``# Title`` and the body;
``MarkdownOptions(front_matter=True)`` adds a minimal YAML block (``title``,
``date``, ``lang``, ``dir``) for tools that read it (pandoc, Obsidian).
There are no tables in CommonMark, so every table stays HTML; nor
strikethrough (``<del>`` stays HTML).  Posts go to ``posts/<slug>.md``,
pages to ``pages/<slug>.md``.

>>> from .page import Page
>>> COMMONMARK.path(Page(id="1", title="Hi", html=""))
'posts/hi.md'
"""
from __future__ import annotations

from typing import Any

from .convert import Syntax
from .flavour import Flavour, register
from .options import MarkdownOptions
from .page import Page

__all__ = ["COMMONMARK", "CommonMark"]


class CommonMark(Flavour):
    name = "commonmark"
    syntax = Syntax(text_style="commonmark", tables=False, strikethrough=False)
    front_matter_default = False
    title_heading = True

    def path(self, page: Page) -> str:
        return f"{'pages' if page.is_page else 'posts'}/{page.path_slug}.md"

    def front_matter(self, page: Page, options: MarkdownOptions) -> dict[str, Any]:
        fm: dict[str, Any] = {"title": page.title}
        if page.published is not None:
            fm["date"] = page.published.isoformat()
        if page.lang:
            fm["lang"] = page.lang
        if page.dir:
            fm["dir"] = page.dir
        return fm


COMMONMARK = register(CommonMark())
