"""Hugo: a page bundle per post, YAML front matter with Hugo's own field names.

Checked against Hugo's documentation (gohugo.io, "Front matter" and
"Page bundles", read 2026-12-01):

* fields used as Hugo defines them: ``title``, ``date`` and ``lastmod`` (RFC 3339
  with the offset), ``draft``, ``slug``, ``aliases`` (relative URLs that redirect
  here: the old WordPress path; ``url`` instead with ``old_urls="keep"``),
  ``summary`` and ``description`` (the excerpt), ``weight`` (pages'
  ``menu_order``), and the default taxonomies ``categories`` and ``tags`` (names);
* everything else under ``params`` (Hugo: "the field names below are reserved…
  create custom fields under the params key"): ``author``, ``images`` (read by
  Hugo's internal OpenGraph/Twitter templates), ``lang``, ``dir``, ``wordpress_id``;
* a post is the leaf bundle ``content/posts/<slug>/index.md``, a page
  ``content/<slug>/index.md`` (images can then sit beside the text);
* shortcodes: ``{{< name >}}`` passes inner content raw, ``{{% name %}}`` renders it
  as Markdown; positional and named parameters cannot be mixed ("use either
  positional or named parameters, but not both", gohugo.io/methods/shortcode/get);
* text that would open a shortcode is escaped (``{&#123;<``); in code, where
  entities are not decoded, as Hugo's own comment form ``{{</* x */>}}``.
  Raw HTML is written, so the site needs ``markup.goldmark.renderer.unsafe = true``
  (without it Goldmark prints ``<!-- raw HTML omitted -->``).

>>> from .page import Page
>>> HUGO.path(Page(id="1", title="Hi", html="", slug="hello")), HUGO.path(Page(id="2", title="About", html="", type="page"))
('content/posts/hello/index.md', 'content/about/index.md')
"""
from __future__ import annotations

import re
from typing import Any

from .convert import Syntax
from .flavour import Flavour, register, relative_url
from .options import MarkdownOptions
from .page import Page

__all__ = ["HUGO", "Hugo"]

_CODE_SC = re.compile(r"\{\{(<)(?!/\*)(.*?)>\}\}|\{\{(%)(?!/\*)(.*?)%\}\}", re.DOTALL)


class Hugo(Flavour):
    name = "hugo"
    syntax = Syntax(text_style="hugo", tables=True, strikethrough=True)
    native_style = "hugo"

    def path(self, page: Page) -> str:
        slug = page.path_slug
        return f"content/{slug}/index.md" if page.is_page else f"content/posts/{slug}/index.md"

    def asset_path(self, page_path: str, upload: str) -> str:
        """Page resources: beside ``index.md`` in the page's bundle (gohugo.io "Page bundles")."""
        return f"{page_path.rsplit('/', 1)[0]}/{upload.rsplit('/', 1)[-1]}"

    def front_matter_url(self, page_path: str, asset: str) -> str:
        return asset.rsplit("/", 1)[-1]  # a page resource, by its name in the bundle

    def page_url(self, page_path: str, target: str) -> str:
        """A plain relative URL between the pages' URLs: a bundle ``content/posts/<slug>/index.md`` is
        served at ``/posts/<slug>/`` (the default permalinks; ``slug`` is the bundle's name), so the URL
        is the path between the bundles' folders (no ``relref``: it works with any ``baseURL``)."""
        return relative_url(page_path, target, folder=True)

    def front_matter(self, page: Page, options: MarkdownOptions) -> dict[str, Any]:
        fm: dict[str, Any] = {"title": page.title}
        if page.published is not None:
            fm["date"] = page.published.isoformat()
        if page.modified is not None:
            fm["lastmod"] = page.modified.isoformat()
        fm["draft"] = page.draft
        if page.slug:
            fm["slug"] = page.path_slug
        old = page.old_path
        if old and options.old_urls == "alias":
            fm["aliases"] = [old]
        elif old and options.old_urls == "keep":
            fm["url"] = old
        if page.excerpt:
            fm["summary"] = page.excerpt
            fm["description"] = page.excerpt
        if page.is_page and page.menu_order:
            fm["weight"] = page.menu_order
        if page.categories:
            fm["categories"] = [t.name for t in page.categories]
        if page.tags:
            fm["tags"] = [t.name for t in page.tags]
        params: dict[str, Any] = {}
        if page.author:
            params["author"] = page.author
        if page.featured_image:
            params["images"] = [page.featured_image]
        if page.lang:
            params["lang"] = page.lang
        if page.dir:
            params["dir"] = page.dir
        if options.wordpress_id and page.id:
            params["wordpress_id"] = page.id
        if params:
            fm["params"] = params
        return fm

    def finish_body(self, body: str, notes: list[str]) -> str:
        # Text outside code has been escaped already; what is left is in code.
        if "{{<" not in body and "{{%" not in body:
            return body
        def comment(m: re.Match[str]) -> str:
            if m.group(1):
                return "{{</*" + m.group(2) + "*/>}}"
            return "{{%/*" + m.group(4) + "*/%}}"

        out = _CODE_SC.sub(comment, body)
        if "{{<" in out.replace("{{</*", "") or "{{%" in out.replace("{{%/*", ""):
            notes.append("an unclosed '{{<' or '{{%' in code: Hugo will read it as a shortcode")
        return out


HUGO = register(Hugo())
