"""``--to html``: a static site, one whole page per post plus an ``index.html`` listing them.

Pages go to :func:`page_path`; the index is the overridable template
``_index.html`` (a theme folder given as ``templates`` replaces it).

The site is built in a hidden folder beside the target and moved into place
when complete (:class:`~shortcodes.jobs.writing.StagedSite`): an interrupted
or failed run leaves the previous site as it was, never half a site.  The
folder's manifest (``.shortcodes-site.json``) records what was written, so a
later run says how many pages of an earlier one it did not write again
(with an example) and ``clean`` (``--clean``) removes those, and only
those: files this tool did not write are never touched.
"""
from __future__ import annotations

import dataclasses
import functools
import html as _html
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import quote, unquote

from markupsafe import Markup

from ...common.errors import InputError
from ...common.fileio import OverwriteGuard
from ...exports.post import TEXT_FORMATS, Post
from ...renderer.engine import Renderer
from ...renderer.templates import PAGE_TEMPLATE, style_element
from ..parallel import in_order, worker_converter
from ..results import PostResult
from ..units import UnitPool
from ..writing import StagedSite, write_staged, writing
from . import OVERWRITE_HINT, Run
from .links import HtmlLayout, Marked, MarkJob, SiteLinks, attachment_page, mark_entry, mark_in_worker, site_links
from .site import DynamicBlocks, Entry, SiteData, post_datetime, site_extra

__all__ = ["write", "page_path", "marked_text", "index_page", "INDEX", "INDEX_TEMPLATE", "MAX_NAME_BYTES"]

#: The index's file name, and its template.
INDEX = "index.html"
INDEX_TEMPLATE = "_index.html"
#: The longest file name a page gets, in bytes of UTF-8 (file systems allow 255; the rest is room for
#: a ``-N`` that keeps names unique and for the temporary names outputs are written under).
MAX_NAME_BYTES = 200
_MAX_STEM_BYTES = MAX_NAME_BYTES - len("-99999.html")


def write(run: Run) -> None:
    """Write the site into the folder ``run.output`` (see the module docs)."""
    folder = run.output
    assert folder is not None
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: --to html writes a folder, and this is a file")
    data = SiteData.of_inputs(run.paths, run.site_title, run.media_urls)
    links = site_links(run)
    entries: list[Entry] = []
    blocks = DynamicBlocks()
    refuse_overwrite = OverwriteGuard(run.originals, hint=OVERWRITE_HINT, within=folder)
    with StagedSite(folder, clean=run.clean) as staged:
        # with --jobs N each worker marks the texts of the posts it converts (mark_in_worker)
        finish = functools.partial(site_extra, marked_text, MarkJob.of(run, links) if run.jobs > 1 else None)
        for post, result, (names, marked) in run.convert_inputs(finish):
            data.see(post)
            if not result.skipped:
                e = Entry.of(post, result)
                links.wrote(post)
                if not (post.type == "attachment" and links.attachment_pages):
                    result = mark_entry(links, data, e, run.converter.site_for(post), result, marked) or result
                entries.append(e)
                blocks.add(names, post.label)
            run.step(post, result)
        run.finish()
        for e in entries:  # attachment pages: once it is known whether the post they belong to is written
            if e.post.type == "attachment" and links.attachment_pages:
                e.content = attachment_page(e.post, e.content, links.attachment(e.post), links.site(e.post),
                                            parent_written=(e.post.source_file, e.post.parent) in links.written)
                mark_entry(links, data, e, run.converter.site_for(e.post), None)
        plan = plan_site(data, entries, links)
        renderer = run.converter.renderer
        for page in plan.pages:
            refuse_overwrite(folder.joinpath(*page.entry.path.split("/")))
        workers = run.workers()
        listed: list[tuple[str, str]] = []

        def list_pages() -> None:
            listed.extend(listing_pages(renderer, data, plan))

        if workers is None:
            for page in plan.pages:
                run.report.outputs.append(str(staged.write(page.entry.path, post_page(renderer, data, page))))
            list_pages()
        else:  # the conversion's processes render and write the post pages, this one the listing pages
            _write_on(workers, staged, dataclasses.replace(data, attachments={}), plan.pages, run.report.outputs,
                      while_waiting=list_pages)
        for rel, text in listed:
            target = folder.joinpath(*rel.split("/"))
            refuse_overwrite(target)
            staged.write(rel, text)
            run.report.outputs.append(str(target))
        links.copy_into(staged.copy)
        run.report.posts_written += len(entries)
    run.report.notes.extend(_site_notes(staged))
    run.report.notes.extend(blocks.notes())
    run.report.notes.extend(links.notes())


def _write_on(workers: UnitPool, staged: StagedSite, data: SiteData, pages: list[PostPage], outputs: list[str],
              *, while_waiting: "Callable[[], None]") -> None:
    """:func:`write_post_pages` on ``workers``, a window of tasks in flight, each page recorded in ``staged``
    in order (``data``: the site data without the attachments, which the plan has looked up).
    ``while_waiting``: called once, when the first window is in flight (this process's own work)."""
    assert staged.staging is not None
    write = functools.partial(workers.call, write_post_pages, str(staged.staging), data)
    chunks = (pages[i:i + PAGES_PER_TASK] for i in range(0, len(pages), PAGES_PER_TASK))
    for written in in_order(write, chunks, workers.jobs, when_busy=while_waiting):
        _record(staged, written, outputs)


def _record(staged: StagedSite, written: "list[tuple[str, str | OSError]]", outputs: list[str]) -> None:
    for rel, digest in written:
        final = staged.target.joinpath(*rel.split("/"))
        if isinstance(digest, OSError):
            with writing(final):
                raise digest
        outputs.append(str(staged.record(rel, digest)))


def marked_text(job: MarkJob, post: Post, result: PostResult) -> "Marked | None":
    """An HTML run's share of the workers (:func:`~.site.site_extra`): the post's text marked in the worker
    (:func:`~.links.mark_in_worker`), ``None`` where the parent marks it."""
    found = mark_in_worker(job, post, result)
    return None if found is None else Marked(*found)


def _site_notes(site: StagedSite) -> list[str]:
    """What the run says about the pages it found in the folder."""
    out = []
    where = f"{site.target}{'/' if not str(site.target).endswith('/') else ''}"
    if site.removed:
        n = len(site.removed)
        out.append(f"--clean removed {n} file{'s' if n != 1 else ''} an earlier run wrote into {where} "
                   f"and this one did not (e.g. {site.removed[0]})")
    elif site.stale:
        n = len(site.stale)
        out.append(f"{where} holds {n} page{'s' if n != 1 else ''} from an earlier run that this run did not "
                   f"write (e.g. {site.stale[0]}); kept, and not in index.html: --clean removes them")
    if site.foreign:
        n = len(site.foreign)
        out.append(f"{where} holds {n} file{'s' if n != 1 else ''} that this tool did not write or that changed "
                   f"since it wrote {'them' if n != 1 else 'it'} (e.g. {site.foreign[0]}): never touched, not even "
                   "by --clean")
    return out


_SLUG_UNSAFE = re.compile(r"[^\w.\-]+")


def _slugify(text: str, limit: int = 80) -> str:
    text = unicodedata.normalize("NFC", unquote(text))
    text = _SLUG_UNSAFE.sub("-", text).strip("-._")
    text = re.sub(r"-{2,}", "-", text)
    return _cut_bytes(text[:limit], _MAX_STEM_BYTES).rstrip("-._")


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character boundary.

    >>> _cut_bytes("مصر", 5), len(_cut_bytes("日本語" * 30, 200).encode())
    ('مص', 198)
    """
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def page_path(post: Post, used: "set[str] | None" = None) -> str:
    """Where ``post``'s page goes in a site: ``YYYY/MM/slug.html`` (relative, ``/``-separated).

    The slug is ``wp:post_name`` (percent-encoding decoded), else the
    title, else ``<type>-<id>``; a post without a date goes under
    ``undated/``; a plain file keeps its relative path.  Names already in
    ``used`` get ``-2``, ``-3``… (and the new name is added to ``used``).

    >>> page_path(Post(id="site.wordpress__post-1031-" + "x" * 80 + ".html", fmt="html"))[:40]
    'site.wordpress__post-1031-xxxxxxxxxxxxxx'
    >>> page_path(Post(id="5", type="post", slug="hello-world", date="2021-10-10 12:00:00"))
    '2021/10/hello-world.html'
    >>> page_path(Post(id="9", type="page", slug="%d9%85%d8%b5%d8%b1", date="2020-01-02 00:00:00"))
    '2020/01/مصر.html'
    >>> used = {"2021/10/a.html"}
    >>> page_path(Post(slug="a", date="2021-10-01"), used), page_path(Post(id="3", title="../../etc"), used)
    ('2021/10/a-2.html', 'undated/etc.html')
    """
    if post.fmt in TEXT_FORMATS:  # its name without the suffix (other dots kept), as long as names may be
        *folders, name = post.id.split("/")
        parts = [p for p in (_slugify(f) for f in folders) if p]
        stem = "/".join(parts + [_slugify(os.path.splitext(name)[0], _MAX_STEM_BYTES) or "post"])
    else:
        slug = _slugify(post.slug) or _slugify(post.title) or _slugify(
            f"{post.type or 'post'}-{post.id}" if post.id else f"item-{post.item_index + 1}")
        m = re.match(r"(\d{4})-(\d{2})", post.date or "")
        folder = f"{m.group(1)}/{m.group(2)}" if m and m.group(1) != "0000" else "undated"
        stem = f"{folder}/{slug}"
    path = stem + ".html"
    if used is not None:
        n = 1
        while path.lower() in used or path in used:
            n += 1
            path = f"{stem}-{n}.html"
        used.add(path.lower())
    return path


def _html_escape(value: object) -> Markup:
    """Python's :func:`html.escape` as a Jinja filter (``&quot;``, ``&#x27;``)."""
    return Markup(_html.escape(str(value)))


def index_page(renderer: Renderer, entries: Sequence[tuple[Any, ...]], title: str, *,
               lang: str = "en", direction: str = "ltr", heading: "str | None" = None,
               home: str = "", listings: Sequence[Mapping[str, Any]] = (), site_title: str = "") -> str:
    """An index page: template ``_index.html`` with ``title`` and ``entries``.

    Each entry is ``(relative path, label, date, post type, failed[, protected])``; the
    template gets it as ``href`` (URL-quoted), ``label``, ``day``
    (``YYYY-MM-DD`` or ``""``), ``kind``, ``failed`` and ``protected``, and the filter
    ``html_escape``; also ``lang``, ``dir``, ``heading`` (the listing's
    heading, ``None`` for the site's index), ``home`` (the href of the
    site's index from a listing, ``""`` on it), ``site_title`` and ``listings`` (groups of
    links to the listing pages, each ``{"title", "links": [{"href", "label", "count"}]}``).
    """
    rows = []
    for path, label, date, kind, failed, *more in entries:
        day = date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date or "") and not date.startswith("0000") else ""
        rows.append({"href": quote(path), "label": label, "day": day, "kind": kind, "failed": failed,
                     "protected": bool(more and more[0])})
    env = renderer.env.overlay()
    env.filters["html_escape"] = _html_escape
    return env.get_template(INDEX_TEMPLATE).render(title=title, entries=rows, lang=lang, dir=direction,
                                                   heading=heading, home=home, listings=listings,
                                                   site_title=site_title or title) + "\n"


# -- the site -----------------------------------------------------------------------------------------

#: The listing pages, in the order the index offers them: (key, heading of one, heading of the group).
LISTINGS = (("category", "Category", "Categories"), ("tag", "Tag", "Tags"), ("author", "Author", "Authors"),
            ("year", "Year", "Years"))


def _href(source: str, target: str) -> str:
    """The relative, URL-quoted link from the page at ``source`` to ``target`` (both site paths).

    >>> _href("2021/10/a.html", "index.html"), _href("index.html", "tag/x/index.html")
    ('../../index.html', 'tag/x/index.html')
    """
    return quote(relative_path(target, posixpath.dirname(source) or "."))


def relative_path(target: str, start: str) -> str:
    """``posixpath.relpath(target, start)`` for two relative site paths, without asking the file system for
    the working folder (``relpath`` makes both absolute first).

    >>> relative_path("index.html", "2021/10"), relative_path("2021/10/b.html", "2021/11"), relative_path("a", "a")
    ('../../index.html', '../10/b.html', '.')
    """
    if target.startswith("/") or start.startswith("/") or ".." in target or ".." in start \
            or "//" in target or "//" in start:
        return posixpath.relpath(target, start)
    to = [p for p in target.split("/") if p and p != "."]
    here = [p for p in start.split("/") if p and p != "."]
    common = 0
    for a, b in zip(to, here):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def _day(post: Post) -> str:
    when = post_datetime(post.date) or post_datetime(post.date_gmt)
    return when.date().isoformat() if when else ""


def _datetime_attr(post: Post) -> str:
    """The ``<time datetime>`` of a post: its GMT date in UTC when exported, else its local date."""
    gmt = post_datetime(post.date_gmt)
    if gmt is not None:
        return gmt.isoformat() + "Z"
    local = post_datetime(post.date)
    return local.isoformat() if local else ""


class _Listings:
    """The listing pages' paths and members: category/<slug>/, tag/<slug>/, author/<slug>/, <year>/."""

    def __init__(self, data: SiteData, entries: Sequence[Entry]) -> None:
        self.groups: dict[tuple[str, str], list[Entry]] = {}
        self.names: dict[tuple[str, str], str] = {}
        for e in entries:
            for key, slug, name in self.keys(data, e):
                self.groups.setdefault((key, slug), []).append(e)
                self.names.setdefault((key, slug), name)

    @staticmethod
    def keys(data: SiteData, e: Entry) -> Iterator[tuple[str, str, str]]:
        post = e.post
        for term in post.categories:
            slug = _slugify(term.nicename) or _slugify(term.name)
            if slug:
                yield "category", slug, term.name or term.nicename
        for term in post.tags:
            slug = _slugify(term.nicename) or _slugify(term.name)
            if slug:
                yield "tag", slug, term.name or term.nicename
        if post.author:
            slug = _slugify(post.author)
            if slug:
                yield "author", slug, data.author(post.author).name
        day = _day(post)
        if day:
            yield "year", day[:4], day[:4]

    @staticmethod
    def path(key: str, slug: str) -> str:
        return f"{slug}/{INDEX}" if key == "year" else f"{key}/{slug}/{INDEX}"


@dataclass(frozen=True)
class PageLink:
    """A neighbouring page of a post's page: its path in the site and its title."""

    path: str
    title: str


@dataclass
class PostPage:
    """A post's page to render (:func:`post_page`): the entry (its ``path`` set, the links and media of its
    text placed) and the posts before and after it (newest first, pages left out)."""

    entry: Entry
    previous: "PageLink | None" = None
    following: "PageLink | None" = None


@dataclass
class SitePlan:
    """What :func:`plan_site` decides: each post's page, the listing pages' members, the entries newest first."""

    pages: list[PostPage]
    listings: "_Listings"
    newest: list[Entry]


def plan_site(data: SiteData, entries: list[Entry], links: "SiteLinks | None" = None) -> SitePlan:
    """Each entry's ``path`` and neighbours (and, with ``links``, the links and media each entry's text holds
    pointed at their place in the site: :meth:`SiteLinks.resolve`), the listing pages' members; each
    entry's featured image is looked up (:meth:`SiteData.featured_image`) where the output did not place it."""
    listings = _Listings(data, entries)
    used: set[str] = {INDEX}
    for key, slug in listings.groups:
        used.add(_Listings.path(key, slug).lower())
    for e in entries:
        e.path = page_path(e.post, used)
        if links is not None:
            links.wrote(e.post, e.path)
    if links is not None:
        layout = HtmlLayout()
        for e in entries:
            e.content = links.resolve(e.content, e.path, layout)
            if e.featured is not None:
                e.featured = (links.resolve(e.featured[0], e.path, layout, front_matter=True), e.featured[1])
    for e in entries:
        if e.featured is None:
            e.featured = data.featured_image(e.post)
    newest = sorted(entries, key=Entry.sort_key)
    chain = [e for e in newest if e.post.type != "page"]
    older = {id(a): PageLink(b.path, b.title) for a, b in zip(chain, chain[1:])}
    newer = {id(b): PageLink(a.path, a.title) for a, b in zip(chain, chain[1:])}
    pages = [PostPage(e, older.get(id(e)), newer.get(id(e))) for e in entries]
    return SitePlan(pages, listings, newest)


def listing_pages(renderer: Renderer, data: SiteData, plan: SitePlan) -> list[tuple[str, str]]:
    """The listing pages (categories, tags, authors, years) and the index, last: ``(relative path, text)``."""
    listings, newest = plan.listings, plan.newest
    out: list[tuple[str, str]] = []
    lang, direction = data.language_of("", renderer.locale_tag)
    groups = []
    for key, _, group in LISTINGS:
        members_of = sorted(((slug, members) for (k, slug), members in listings.groups.items() if k == key),
                            key=lambda kv: (-int(kv[0]), "") if key == "year" else (0, listings.names[(key, kv[0])]
                                                                                    .casefold()))
        listed = [{"href": quote(_Listings.path(key, slug)), "label": listings.names[(key, slug)],
                   "count": len(members)} for slug, members in members_of]
        if listed:
            groups.append({"title": group, "links": listed})
    one = {k: h for k, h, _ in LISTINGS}
    for (key, slug), members in listings.groups.items():
        rel = _Listings.path(key, slug)
        heading = one[key]
        rows = [(unquote(_href(rel, e.path)), e.title, e.post.date, e.post.type, e.failed, e.post.protected)
                for e in sorted(members, key=Entry.sort_key)]
        out.append((rel, index_page(renderer, rows, f"{heading}: {listings.names[(key, slug)]} – {data.title}",
                                    lang=lang, direction=direction,
                                    heading=f"{heading}: {listings.names[(key, slug)]}", home=_href(rel, INDEX),
                                    site_title=data.title)))
    rows = [(e.path, e.title, e.post.date, e.post.type, e.failed, e.post.protected) for e in newest]
    out.append((INDEX, index_page(renderer, rows, data.title, lang=lang, direction=direction, listings=groups)))
    return out


def build_site(renderer: Renderer, data: SiteData, entries: list[Entry],
               links: "SiteLinks | None" = None) -> list[tuple[str, str]]:
    """Every file of the site: ``(relative path, text)``, pages first, then the listing pages, the
    index last (:func:`plan_site`, :func:`post_page`, :func:`listing_pages`)."""
    plan = plan_site(data, entries, links)
    return [(p.entry.path, post_page(renderer, data, p)) for p in plan.pages] + listing_pages(renderer, data, plan)


#: Post pages a worker process renders and writes in one go (``--jobs N``, :func:`write_post_pages`).
PAGES_PER_TASK = 64


def write_post_pages(staging: str, data: SiteData, pages: list[PostPage]) -> "list[tuple[str, str | OSError]]":
    """In a worker process: render each of ``pages`` (:func:`post_page`, with the worker's renderer) and
    write it into the staged site ``staging`` (:func:`~shortcodes.jobs.writing.write_staged`): ``(path,
    SHA-256)`` for each, or ``(path, the OSError)`` for one that could not be written (the others are)."""
    renderer = worker_converter().renderer
    folders = _FOLDERS.setdefault(staging, set())
    out: "list[tuple[str, str | OSError]]" = []
    for page in pages:
        rel = page.entry.path
        try:
            out.append((rel, write_staged(staging, rel, post_page(renderer, data, page), folders)))
        except OSError as exc:
            out.append((rel, exc))
    return out


#: In a worker: the folders made in each staged site (:func:`write_post_pages`).
_FOLDERS: dict[str, set[Path]] = {}


#: A block element inside a paragraph: what wpautop leaves around a shortcode that shares its paragraph
#: (``text<br />\n[caption]…[/caption]</p>``: the ``<figure>`` closes the ``<p>``, whose ``</p>`` is then stray).
_BLOCK_IN_P = re.compile(
    r"<p[\s>](?:(?!</?p[\s>]).){0,100000}?<(?:address|article|aside|blockquote|details|div|dl|fieldset|figcaption|"
    r"figure|footer|form|h[1-6]|header|hr|main|menu|nav|ol|pre|section|table|ul)[\s>/]", re.S | re.I)


def well_formed(body: str) -> str:
    r"""``body`` as HTML5 parsers read it, where it has a block element inside a paragraph (see
    :data:`_BLOCK_IN_P`): the tree a browser builds, serialized, so the page validates and shows the
    same; any other body is returned as it is, byte for byte.

    >>> well_formed('<p>a<br />\n<figure><img src="x.png" alt="" /></figure></p>')
    '<p>a<br>\n</p><figure><img src="x.png" alt=""></figure><p></p>'
    >>> well_formed("<p>a</p>")
    '<p>a</p>'
    """
    if not _BLOCK_IN_P.search(body):
        return body
    import html5lib  # reason: html5lib is loaded only for the few pages that need it
    from html5lib import serializer, treewalkers

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    fragment = parser.parseFragment(body)
    if not parser.errors:
        return body
    walker = treewalkers.getTreeWalker("etree")
    out = serializer.HTMLSerializer(quote_attr_values="always", omit_optional_tags=False, resolve_entities=False,
                                    minimize_boolean_attributes=False, escape_lt_in_attrs=True)
    return "".join(out.serialize(walker(fragment)))


def post_page(renderer: Renderer, data: SiteData, page: PostPage) -> str:
    """The page of one entry (a :class:`PostPage` of :func:`plan_site`): template ``_page.html`` with the
    post's title, date, author, terms, featured image and links (see the template's header for the names it
    gets)."""
    e, previous, following = page.entry, page.previous, page.following
    post, rel = e.post, e.path
    lang, direction = data.language_of(e.content, renderer.locale_tag)
    keys = list(_Listings.keys(data, e))

    def link(key: str, slug: str, name: str) -> dict[str, str]:
        return {"href": _href(rel, _Listings.path(key, slug)), "label": name}

    featured = e.featured  # placed by the output, else looked up by plan_site
    author = data.author(post.author) if post.author else None
    entry = {
        "title": e.title,
        "day": _day(post),
        "datetime": _datetime_attr(post),
        "year": link("year", _day(post)[:4], _day(post)[:4]) if _day(post) else None,
        "author": ({"label": author.name, **(link("author", k[1], author.name) if (k := next(
            (k for k in keys if k[0] == "author"), None)) else {"href": ""})} if author else None),
        "categories": [link(*k) for k in keys if k[0] == "category"],
        "tags": [link(*k) for k in keys if k[0] == "tag"],
        "featured": {"src": featured[0], "alt": featured[1]} if featured else None,
        "protected": post.protected,
        "failed": e.failed,
        "type": post.type,
    }
    nav = {
        "home": {"href": _href(rel, INDEX), "label": data.title},
        "previous": {"href": _href(rel, previous.path), "label": previous.title} if previous else None,
        "next": {"href": _href(rel, following.path), "label": following.title} if following else None,
    }
    styles = Markup("\n").join(style_element(renderer.stylesheet_text(n), n) for n in e.stylesheets)
    text = renderer.env.get_template(PAGE_TEMPLATE).render(
        lang=lang, dir=direction, title=f"{e.title} – {data.title}", styles=styles, body=Markup(well_formed(e.content)),
        post=post.metadata(), entry=entry, nav=nav, site={"title": data.title, "lang": data.language})
    return text if text.endswith("\n") else text + "\n"
