"""Jekyll: ``_posts/YYYY-MM-DD-slug.md``, front matter as Jekyll and its common plugins read it.

Checked against Jekyll's documentation (jekyllrb.com "Front Matter" and
"Posts", read 2026-12-01):

* posts are ``_posts/YEAR-MONTH-DAY-title.md`` (the local date of ``post_date``);
  a post with no date at all goes to ``_drafts/<slug>.md``; pages are ``<slug>.md``;
* ``layout`` (``post``/``page``), ``title``, ``date`` (``YYYY-MM-DD HH:MM:SS +/-TTTT``:
  "a date here overrides the date from the name of the post"), ``published: false``
  for anything not public, ``categories`` and ``tags`` (YAML lists of names),
  ``permalink`` (``old_urls="keep"``: the page keeps its WordPress URL);
* plugin and theme fields, named as the plugins document them:
  ``redirect_from`` (jekyll-redirect-from; the default ``old_urls="alias"``),
  ``last_modified_at`` (jekyll-last-modified-at), ``author``, ``image`` and
  ``lang`` (jekyll-seo-tag), ``excerpt`` (Jekyll's own excerpt override), plus
  ``dir`` and ``wordpress_id``;
* Liquid runs over the whole file before Markdown, so text never carries
  ``{{``/``{%`` (kramdown-escaped ``\\{``, which also keeps kramdown from
  reading ``{:`` as an attribute list), and code that does is wrapped in
  ``{% raw %}…{% endraw %}`` (kept shortcodes stay outside it, so an
  ``{% include %}`` still runs).

>>> from .page import Page, wp_datetime
>>> JEKYLL.path(Page(id="1", title="Hi", html="", slug="hello", date=wp_datetime("2021-10-10 23:30:00")))
'_posts/2021-10-10-hello.md'
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from .convert import SC_TOKEN, Syntax
from .flavour import Flavour, register
from .options import MarkdownOptions
from .page import Page

__all__ = ["JEKYLL", "Jekyll", "liquid_raw"]

_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


def liquid_raw(text: str) -> str:
    """``text`` made inert for Liquid: wrapped in ``{% raw %}`` when it holds ``{{`` or ``{%``.

    >>> liquid_raw("a {{ b }}"), liquid_raw("plain")
    ('{% raw %}a {{ b }}{% endraw %}', 'plain')
    """
    if "{{" not in text and "{%" not in text:
        return text
    # An "{% endraw %}" in the text would end the raw block: write its "{%" from outside.
    text = _ENDRAW.sub(lambda m: "{% endraw %}{{ '{%' }}{% raw %}" + m.group()[2:], text)
    return "{% raw %}" + text + "{% endraw %}"


class Jekyll(Flavour):
    name = "jekyll"
    syntax = Syntax(text_style="kramdown", tables=True, strikethrough=False)
    native_style = "liquid"

    def path(self, page: Page) -> str:
        slug = page.path_slug
        if page.is_page:
            return f"{slug}.md"
        when = page.date or page.published
        if when is None:
            return f"_drafts/{slug}.md"
        return f"_posts/{when:%Y-%m-%d}-{slug}.md"

    def asset_path(self, page_path: str, upload: str) -> str:
        """Static files: any folder not starting with ``_`` is copied as is (jekyllrb.com "Static Files");
        the uploads go to ``assets/uploads/``, beside the stylesheet."""
        return f"assets/uploads/{upload}"

    def asset_url(self, page_path: str, asset: str) -> str:
        """``{% link path %}``: Jekyll resolves it (with ``baseurl``) and fails the build if the file is gone."""
        return "{% link " + asset + " %}"

    def front_matter_url(self, page_path: str, asset: str) -> str:
        return "/" + quote(asset)  # Liquid does not run in front matter

    def page_url(self, page_path: str, target: str) -> str:
        """``{% link _posts/….md %}`` (jekyllrb.com "Liquid: Tags, Links"): the post's URL whatever
        ``permalink`` style the site sets, checked at build time."""
        return "{% link " + target + " %}"

    def front_matter(self, page: Page, options: MarkdownOptions) -> dict[str, Any]:
        fm: dict[str, Any] = {"layout": "page" if page.is_page else "post", "title": page.title}
        if page.published is not None:
            fm["date"] = page.published.strftime("%Y-%m-%d %H:%M:%S %z")
        if page.modified is not None:
            fm["last_modified_at"] = page.modified.strftime("%Y-%m-%d %H:%M:%S %z")
        if page.draft:
            fm["published"] = False
        if page.categories:
            fm["categories"] = [t.name for t in page.categories]
        if page.tags:
            fm["tags"] = [t.name for t in page.tags]
        if page.author:
            fm["author"] = page.author
        if page.excerpt:
            fm["excerpt"] = page.excerpt
        if page.featured_image:
            fm["image"] = page.featured_image
        old = page.old_path
        if old and options.old_urls == "keep":
            fm["permalink"] = old
        elif old and options.old_urls == "alias":
            fm["redirect_from"] = [old]
        if page.is_page and page.menu_order:
            fm["nav_order"] = page.menu_order
        if page.lang:
            fm["lang"] = page.lang
        if page.dir:
            fm["dir"] = page.dir
        if options.wordpress_id and page.id:
            fm["wordpress_id"] = page.id
        return fm

    def finish_body(self, body: str, notes: list[str]) -> str:
        if "{{" not in body and "{%" not in body:
            return body
        # Kept shortcodes (placeholder tokens) stay outside the raw blocks.
        pieces = SC_TOKEN.split(body)
        for i in range(0, len(pieces), 2):
            pieces[i] = liquid_raw(pieces[i])
        return "".join(p if i % 2 == 0 else f"\ufdea{p}\ufdeb" for i, p in enumerate(pieces))


JEKYLL = register(Jekyll())
