"""Astro: MDX files in a content collection, front matter as Astro's blog starter defines it.

Checked against the blog starter's ``src/content.config.ts`` (``withastro/astro``
``examples/blog``) and ``@astrojs/mdx`` (which compiles with ``@mdx-js/mdx`` 3):

* ``src/content/blog/<slug>.mdx`` for posts, ``src/content/pages/<slug>.mdx`` for pages;
* ``title``, ``description`` (the starter's schema requires it: the excerpt, or
  ``""``), ``pubDate`` and ``updatedDate`` (ISO 8601 strings, read with
  ``z.coerce.date()``), ``heroImage``; plus ``draft``, ``tags``, ``lang``,
  ``dir`` (zod objects drop keys a schema does not declare, so extra keys never
  break a build);
* MDX is JSX: raw HTML is written with void tags self-closed and no comments
  (:mod:`.rawhtml`), ``{``/``}``/``<`` in text are escaped, and a line that starts
  with ``import``/``export`` (MDX would read it as an ES module) starts with a
  character reference instead; kept shortcodes become components
  (``<Gallery ids="1,2" />``) with their ``import`` lines after the front matter.

>>> from .page import Page
>>> ASTRO.path(Page(id="1", title="Hi", html="", slug="hello"))
'src/content/blog/hello.mdx'
>>> ASTRO.finish_body("import x from 'y'\\n\\n```\\nimport z\\n```\\n", [])
"&#105;mport x from 'y'\\n\\n```\\nimport z\\n```\\n"
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from .convert import Syntax
from .flavour import Flavour, register, unfenced_lines
from .options import MarkdownOptions
from .page import Page

__all__ = ["ASTRO", "Astro"]

_ESM = re.compile(r"^(import|export)(?=[\s{*]|$)")


class Astro(Flavour):
    name = "astro"
    syntax = Syntax(text_style="mdx", mdx=True, tables=True, strikethrough=True)
    extension = ".mdx"
    native_style = "mdx"

    def path(self, page: Page) -> str:
        return f"src/content/{'pages' if page.is_page else 'blog'}/{page.path_slug}.mdx"

    def asset_path(self, page_path: str, upload: str) -> str:
        """``public/`` is served at the site's root as is (docs.astro.build "Images": files in
        ``public/`` are referenced by their path from it)."""
        return f"public/uploads/{upload}"

    def asset_url(self, page_path: str, asset: str) -> str:
        return "/" + quote(asset.removeprefix("public/"))

    def page_url(self, page_path: str, target: str) -> str:
        """The collection URL: ``src/content/blog/<slug>.mdx`` is ``/blog/<slug>/`` (the blog starter's
        ``src/pages/blog/[...slug].astro``), a page ``src/content/pages/<slug>.mdx`` ``/<slug>/``."""
        rest = target.removeprefix("src/content/").removesuffix(".mdx")
        collection, _, slug = rest.partition("/")
        return quote(f"/{slug}/" if collection == "pages" else f"/{collection}/{slug}/")

    def front_matter(self, page: Page, options: MarkdownOptions) -> dict[str, Any]:
        fm: dict[str, Any] = {"title": page.title, "description": page.excerpt}
        if page.published is not None:
            fm["pubDate"] = page.published.isoformat()
        if page.modified is not None:
            fm["updatedDate"] = page.modified.isoformat()
        if page.featured_image:
            fm["heroImage"] = page.featured_image
        if page.draft:
            fm["draft"] = True
        if page.tags:
            fm["tags"] = [t.name for t in page.tags]
        if page.lang:
            fm["lang"] = page.lang
        if page.dir:
            fm["dir"] = page.dir
        return fm

    def finish_body(self, body: str, notes: list[str]) -> str:
        if "import" not in body and "export" not in body:
            return body
        lines = body.split("\n")
        for i, outside in enumerate(unfenced_lines(lines)):
            if outside and _ESM.match(lines[i]):
                lines[i] = f"&#{ord(lines[i][0])};{lines[i][1:]}"
        return "\n".join(lines)


ASTRO = register(Astro())
