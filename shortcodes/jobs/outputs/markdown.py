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

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...common.errors import InputError
from ...common.fileio import OverwriteGuard
from ...exports.post import Post
from ...markdown import Flavour, MarkdownOptions, Page, Term, convert_body, get_flavour, write_markdown
from ...markdown.convert import Converted
from ...markdown.page import wp_datetime
from ..kept import kept_shortcodes
from ..results import PostResult
from ..writing import StagedSite
from . import OVERWRITE_HINT, Run
from .html import _site_notes
from .links import Marked, MarkJob, attachment_page, mark_entry, mark_in_worker, site_links
from .site import DynamicBlocks, Entry, SiteData, site_extra

__all__ = ["write", "page_of", "post_body", "BodyJob", "WorkerBody", "STYLESHEET"]

#: Where each flavour's site-level stylesheet goes (the generator copies it as is).
STYLESHEET = {"hugo": "static/css/shortcodes.css", "jekyll": "assets/css/shortcodes.css",
              "astro": "public/shortcodes.css", "commonmark": "shortcodes.css"}

def page_of(entry: Entry, data: SiteData, locale_tag: "str | None" = None, model: Any = None, *,
            language: "tuple[str, str] | None" = None) -> Page:
    """The :class:`~shortcodes.markdown.Page` of a written post: its metadata, the rendered HTML, the
    featured image's URL, the author's display name, the page's language and direction (``language``:
    ``(lang, dir)`` found already, else :meth:`SiteData.language_of` the text).  A
    password-protected post (written only with ``--protected``) starts with :data:`PROTECTED_NOTICE`
    and is a draft (``status`` ``private``), so a generator does not publish it unasked."""
    post = entry.post
    lang, direction = language or data.language_of(entry.content, locale_tag)
    featured = entry.featured if entry.featured is not None else data.featured_image(post, model)
    html, status = _page_html(post, entry.content), post.status or "publish"
    if post.protected:  # asked for with --protected: never silently public
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


def _page_html(post: Post, content: str) -> str:
    if post.protected:
        return f"<p><strong>{PROTECTED_NOTICE}</strong></p>\n{content}"
    return content


_TAG = re.compile(r"<[^>]*>?")
#: The first paragraph of a password-protected post written with ``--protected`` (which is also a draft).
PROTECTED_NOTICE = "This post was password-protected on the original site."


@dataclass(frozen=True)
class BodyJob:
    """What a worker process needs to write the Markdown body of each post it converts (:func:`post_body`):
    with ``--jobs N`` the HTML→Markdown conversion, the largest part of writing a post, runs there, and
    the process that writes the site adds the front matter."""

    mark: MarkJob
    paths: tuple[str, ...]
    site_title: "str | None"
    flavour: str
    options: MarkdownOptions
    locale_tag: "str | None"


@dataclass(frozen=True)
class WorkerBody:
    """A post's Markdown body as a worker wrote it: ``body`` (:func:`~shortcodes.markdown.convert_body` of
    its marked text, the tokens numbered from 0), ``marked`` (the marks, without the text:
    :func:`~.links.mark_in_worker`) and the page's ``lang`` and ``dir``."""

    body: Converted
    marked: Marked
    lang: str
    dir: str


#: In a worker: the last :class:`BodyJob` and the site data it reads (the channels of its inputs).
_JOB: "list[tuple[BodyJob, SiteData]]" = []


def post_body(job: BodyJob, post: Post, result: PostResult) -> "WorkerBody | None":
    """A Markdown run's share of the workers (:func:`~.site.site_extra`): in a worker process, the Markdown body of ``post`` as :func:`write` writes it (its text marked,
    ``--media-url``, the page's language, the kept shortcodes), for the process that writes the site to
    take; ``None`` where :func:`~.links.mark_in_worker` leaves the marking to that process."""
    found = mark_in_worker(job.mark, post, result)
    if found is None:
        return None
    if not _JOB or _JOB[0][0] != job:
        _JOB[:] = [(job, SiteData.of_inputs([Path(p) for p in job.paths], job.site_title, job.mark.media_urls))]
    data = _JOB[0][1]
    content, marks = found
    lang, direction = data.language_of(content, job.locale_tag)
    body = convert_body(_page_html(post, content), get_flavour(job.flavour), job.options, lang=lang,
                        dir=direction, shortcodes=kept_shortcodes(content))
    return WorkerBody(body, Marked(None, marks), lang, direction)


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
    refuse_overwrite = OverwriteGuard(run.originals, hint=OVERWRITE_HINT, within=folder)
    links = site_links(run)
    deferred: list[tuple[str, str]] = []  # files linking to posts: written once every post's path is known
    attachments: list[Entry] = []  # attachment pages: once it is known whether their post is written

    job = None
    if run.jobs > 1:  # each worker writes the bodies of the posts it converts
        job = BodyJob(MarkJob.of(run, links), tuple(str(p) for p in run.paths), run.site_title, flavour.name,
                      options, renderer.locale_tag)

    def write_entry(e: Entry, worker: "WorkerBody | None" = None) -> None:
        post = e.post
        model = run.converter.site_for(post)
        page, rel = _unique(page_of(e, data, renderer.locale_tag, model,
                                    language=None if worker is None else (worker.lang, worker.dir)), flavour, used)
        links.wrote(post, rel)
        if e.featured is not None:
            page = dataclasses.replace(page, featured_image=links.resolve(e.featured[0], rel, flavour,
                                                                          front_matter=True))
        body = None
        if worker is not None:  # its tokens from this post's first on (mark_entry adopted its marks)
            md = worker.body
            body = Converted(links.renumber(md.markdown, e.first_token), md.stylesheets, md.notes)
        file = write_markdown(page, flavour, options, shortcodes=kept_shortcodes(e.content), body=body)
        target = folder.joinpath(*rel.split("/"))
        refuse_overwrite(target)
        if links.has_links(file.text):
            deferred.append((rel, file.text))
        else:
            staged.write(rel, file.text)
        run.report.outputs.append(str(target))
        for name in e.stylesheets:
            css.setdefault(name, renderer.stylesheet_text(name))
        for sheet in file.stylesheets:
            css.setdefault(sheet.name or sheet.css, sheet.css)
        run.report.posts_written += 1

    with StagedSite(folder, clean=run.clean) as staged:
        # each file is written as its post comes (no post is kept, but those that link to other posts or
        # are attachment pages): a featured image whose attachment comes later in the export is found in
        # the export's site model, read before the posts
        for post, result, (names, worker) in run.convert_inputs(functools.partial(site_extra, post_body, job)):
            data.see(post)
            if result.skipped:
                run.step(post, result)
                continue
            blocks.add(names, post.label)
            e = Entry.of(post, result)
            links.wrote(post)
            if post.type == "attachment" and links.attachment_pages:
                attachments.append(e)
                run.step(post, result)
                continue
            run.step(post, mark_entry(links, data, e, run.converter.site_for(post), result,
                                      None if worker is None else worker.marked) or result)
            write_entry(e, worker)
        run.finish()
        for e in attachments:
            e.content = attachment_page(e.post, e.content, links.attachment(e.post), links.site(e.post),
                                        parent_written=(e.post.source_file, e.post.parent) in links.written)
            mark_entry(links, data, e, run.converter.site_for(e.post), None)
            write_entry(e)
        for rel, text in deferred:
            staged.write(rel, links.resolve(text, rel, flavour))
        links.copy_into(staged.copy)
        if css:
            rel = STYLESHEET.get(flavour.name, "shortcodes.css")
            staged.write(rel, "\n\n".join(f"/* {name} */\n{text.strip()}" if name != text else text.strip()
                                          for name, text in css.items()) + "\n")
            run.report.outputs.append(str(folder.joinpath(*rel.split("/"))))
            run.report.notes.append(f"the stylesheets of the rendered shortcodes are in {rel}: link it from "
                                    f"the {flavour.name} layout")
    run.report.notes.extend(_site_notes(staged))
    run.report.notes.extend(blocks.notes())
    run.report.notes.extend(links.notes())


def _unique(page: Page, flavour: Flavour, used: set[str]) -> tuple[Page, str]:
    """``page`` and its path, or, when that path is taken, the page with the slug ``<slug>-2``, ``-3``…
    and its path: the slug changes, not only the file name, so that a generator that reads the slug
    from the front matter (Hugo) does not publish two pages at one URL."""
    n, candidate = 1, page
    path = flavour.path(page)
    while path.lower() in used:
        n += 1
        candidate = dataclasses.replace(page, slug=f"{page.path_slug}-{n}")
        path = flavour.path(candidate)
    used.add(path.lower())
    return candidate, path
