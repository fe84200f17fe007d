"""``--to markdown``: one Markdown file per post for a static-site generator (``--flavor``).

The posts a site takes (:meth:`~shortcodes.jobs.options.PostFilter.for_site`)
are rendered first (the card, the media shortcodes: the converter's
renderer, with ``the_content``'s formatting), then written by
:func:`shortcodes.markdown.write_markdown` for the flavour
(:func:`shortcodes.markdown.flavour_names`: ``hugo``, ``jekyll``, ``astro``,
``commonmark``): each at the path that generator expects, with its front
matter.  The tags of ``--keep-shortcodes`` are not rendered: each is
replaced by a placeholder that carries its source and written through as
the mapping says (verbatim, a Hugo shortcode, an MDX component…).  The
stylesheets the rendered tags need go into one site-level file
(:data:`STYLESHEET`), never into the content.  The folder is written as the
HTML site is (:class:`~shortcodes.jobs.writing.StagedSite`).
"""
from __future__ import annotations

import re
from typing import Any

from ...common.errors import InputError
from ...common.fileio import OverwriteGuard
from ...markdown import MarkdownOptions, Page, Term, get_flavour, write_markdown
from ...markdown.page import wp_datetime
from ..kept import kept_shortcodes
from ..writing import StagedSite
from . import OVERWRITE_HINT, Run
from .html import _site_notes
from .site import DynamicBlocks, Entry, SiteData, used_dynamic_blocks

__all__ = ["write", "page_of", "STYLESHEET", "site_stylesheet", "unique_path"]

#: Where each flavour's site-level stylesheet goes (the generator copies it as is).
STYLESHEET = {"hugo": "static/css/shortcodes.css", "jekyll": "assets/css/shortcodes.css",
              "astro": "public/shortcodes.css", "commonmark": "shortcodes.css"}

def page_of(entry: Entry, data: SiteData, locale_tag: "str | None" = None, model: Any = None) -> Page:
    """The :class:`~shortcodes.markdown.Page` of a written post: its metadata, the rendered HTML, the
    featured image's URL, the author's display name, the page's language and direction.  A
    password-protected post (written only with ``--protected``) starts with :data:`PROTECTED_NOTICE`
    and is a draft (``status`` ``private``), so a generator does not publish it unasked."""
    post = entry.post
    lang, direction = data.language_of(entry.content, locale_tag)
    featured = data.featured_image(post, model)
    html, status = entry.content, post.status or "publish"
    if post.protected:  # asked for with --protected: never silently public
        html = f"<p><strong>{PROTECTED_NOTICE}</strong></p>\n{html}"
        status = "private"
    return Page(
        id=post.id, title=post.title.strip(), html=html, type="page" if post.type == "page" else "post",
        excerpt=" ".join(_TAG.sub(" ", entry.excerpt).split()), date=wp_datetime(post.date),
        date_gmt=wp_datetime(post.date_gmt), modified_gmt=wp_datetime(post.modified_gmt),
        status=status, slug=post.slug or (post.id.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                                                            if post.fmt in ("html", "text", "markdown") else ""),
        link=post.link, categories=tuple(Term(t.name or t.nicename, t.nicename) for t in post.categories),
        tags=tuple(Term(t.name or t.nicename, t.nicename) for t in post.tags),
        author=data.author(post.author).name if post.author else "", featured_image=featured[0] if featured else "",
        menu_order=post.menu_order, lang=lang, dir=direction)


_TAG = re.compile(r"<[^>]*>?")
#: The first paragraph of a password-protected post written with ``--protected`` (which is also a draft).
PROTECTED_NOTICE = "This post was password-protected on the original site."


def write(run: Run) -> None:
    """Write the Markdown site into the folder ``run.output`` (see the module docs)."""
    folder = run.output
    assert folder is not None
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: --to markdown writes a folder, and this is a file")
    flavour = get_flavour(run.flavor)
    options = run.markdown or MarkdownOptions()
    data = SiteData.of_inputs(run.paths, run.site_title, run.media_urls)
    blocks = DynamicBlocks()
    renderer = run.converter.renderer
    used: set[str] = set()
    css: dict[str, str] = {}
    refuse_overwrite = OverwriteGuard(run.originals, hint=OVERWRITE_HINT)
    with StagedSite(folder, clean=run.clean) as staged:
        # each file is written as its post comes (no post is kept): a featured image whose attachment
        # comes later in the export is found in the export's site model, read before the posts
        for post, result, names in run.convert_inputs(used_dynamic_blocks):
            run.step(post, result)
            data.see(post)
            if result.skipped:
                continue
            blocks.add(names, post.label)
            e = Entry.of(post, result, data)
            file = write_markdown(page_of(e, data, renderer.locale_tag, run.converter.site_for(post)), flavour,
                                  options, shortcodes=kept_shortcodes(e.content))
            rel = unique_path(file.path, used)
            target = folder.joinpath(*rel.split("/"))
            refuse_overwrite(target)
            staged.write(rel, file.text)
            run.report.outputs.append(str(target))
            for name in e.stylesheets:
                css.setdefault(name, renderer.stylesheet_text(name))
            for sheet in file.stylesheets:
                css.setdefault(sheet.name or sheet.css, sheet.css)
            run.report.posts_written += 1
        run.finish()
        if css:
            rel, text, note = site_stylesheet(flavour.name, css)
            staged.write(rel, text)
            run.report.outputs.append(str(folder.joinpath(*rel.split("/"))))
            run.report.notes.append(note)
    run.report.notes.extend(_site_notes(staged))
    run.report.notes.extend(blocks.notes())


def site_stylesheet(flavour: str, css: dict[str, str]) -> tuple[str, str, str]:
    """``(relative path, text, note)`` of the site-level stylesheet holding ``css`` (name -> text, in the
    order first needed) for ``flavour``.

    >>> site_stylesheet("hugo", {"gallery": "a{} "})
    ('static/css/shortcodes.css', '/* gallery */\\na{}\\n', 'the stylesheets of the rendered shortcodes are in static/css/shortcodes.css: link it from the hugo layout')
    """
    rel = STYLESHEET.get(flavour, "shortcodes.css")
    text = "\n\n".join(f"/* {name} */\n{body.strip()}" if name != body else body.strip()
                       for name, body in css.items()) + "\n"
    return rel, text, f"the stylesheets of the rendered shortcodes are in {rel}: link it from the {flavour} layout"


def unique_path(path: str, used: set[str]) -> str:
    """``path``, or with ``-2``, ``-3``… before its suffix (Hugo bundles: on the folder) when taken (the
    new name is added to ``used``).

    >>> used = set()
    >>> unique_path("posts/a.md", used), unique_path("posts/A.md", used), unique_path("a/index.md", used)
    ('posts/a.md', 'posts/A-2.md', 'a/index.md')
    """
    stem, dot, ext = path.rpartition(".")
    bundle = path.endswith("/index.md")
    n, candidate = 1, path
    while candidate.lower() in used:
        n += 1
        if bundle:
            head = path[: -len("/index.md")]
            candidate = f"{head}-{n}/index.md"
        else:
            candidate = f"{stem}-{n}{dot}{ext}"
    used.add(candidate.lower())
    return candidate

