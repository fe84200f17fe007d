"""What the site outputs (``--to html``, ``--to markdown``) know about the site they write.

:class:`SiteData` is filled while the posts stream past: the channel of each
WXR input (title, language, authors: :func:`~shortcodes.exports.wxr.channel.read_channel`)
and every attachment's URL and alternative text, whether or not the
attachment itself is written, so that a post's featured image
(``_thumbnail_id``) is found wherever its attachment is in the export.
:class:`Entry` is one written post without its original text (the site
outputs keep every entry until the end, to link them to one another).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ...common.errors import ExportError
from ...common.locales import direction_of, script_language
from ...exports.post import TEXT_FORMATS, Post
from ...exports.readers import detect_format
from ...exports.wxr.channel import Author, Channel, read_channel
from ...renderer.page import strip_tags
from ...wordpress.blocks import dynamic_blocks, has_blocks
from ..results import PostResult

__all__ = ["SiteData", "Entry", "DynamicBlocks", "used_dynamic_blocks", "post_datetime", "DEFAULT_TITLE",
           "drop_title_heading"]

#: The site's title when neither ``--title`` nor the export gives one.
DEFAULT_TITLE = "Converted posts"

_WP_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")


def post_datetime(value: str) -> "_dt.datetime | None":
    """A WordPress date (``2021-10-10 08:30:00``, REST ``2021-10-10T08:30:00``) as a naive datetime;
    ``None`` for an empty or zero date (``0000-00-00 00:00:00``: a draft never published).

    >>> post_datetime("2021-10-10 08:30:00"), post_datetime("0000-00-00 00:00:00")
    (datetime.datetime(2021, 10, 10, 8, 30), None)
    """
    m = _WP_DATE.match(value.strip()) if value else None
    if m is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(g or 0) for g in m.groups())
        return _dt.datetime(year, month, day, hour, minute, second)
    except ValueError:  # year 0000, month 00...
        return None


@dataclass
class Entry:
    """One post as written: the post (its ``content`` and ``excerpt`` dropped), the converted text, the
    stylesheets it needs, whether its conversion failed, and where it goes (``path``, set by the output)."""

    post: Post
    content: str
    excerpt: str
    stylesheets: tuple[str, ...] = ()
    failed: bool = False
    path: str = ""
    #: ``(src, alt)`` of the featured image as the site output placed it (``None``: as :class:`SiteData` says)
    featured: "tuple[str, str] | None" = None
    #: The number of the first token :func:`~.links.mark_entry` gave ``content``'s references (the worker's
    #: Markdown body numbers them from 0)
    first_token: int = 0

    @classmethod
    def of(cls, post: Post, result: PostResult, data: "SiteData | None" = None) -> "Entry":
        """The entry of ``post`` converted as ``result`` (media URLs rewritten as ``data`` says).  A plain
        file whose title is its first heading loses that heading (the page shows the title)."""
        content = result.content
        if post.fmt in TEXT_FORMATS and post.title:
            content = drop_title_heading(content, post.title)
        content = data.media(content) if data is not None else content
        return cls(dataclasses.replace(post, content="", excerpt=""), content, result.excerpt,
                   result.stylesheets, result.failed)

    @property
    def title(self) -> str:
        """The title to show: the post's, else ``(post 12, no title)``."""
        return self.post.title.strip() or f"({self.post.label}, no title)"

    @property
    def published(self) -> "_dt.datetime | None":
        return post_datetime(self.post.date) or post_datetime(self.post.date_gmt)

    def sort_key(self) -> tuple:
        """Newest first, undated last, then by title."""
        when = self.published
        return (when is None, -(when.timestamp() if when else 0), self.title.casefold())


@dataclass
class SiteData:
    """The site (see the module docs): ``channels`` by input, ``attachments`` id -> (url, alt)."""

    title: str = ""
    channels: list[Channel] = field(default_factory=list)
    attachments: dict[str, tuple[str, str]] = field(default_factory=dict)
    media_urls: tuple[tuple[str, str], ...] = ()

    def media(self, text: str) -> str:
        """``text`` with every ``OLD`` prefix of :attr:`media_urls` (``--media-url OLD=NEW``) made ``NEW``.

        >>> SiteData(media_urls=(("https://old.example/wp-content/uploads/", "/media/"),)).media(
        ...     '<img src="https://old.example/wp-content/uploads/2021/10/a.jpg">')
        '<img src="/media/2021/10/a.jpg">'
        """
        for old, new in self.media_urls:
            if old in text:
                text = text.replace(old, new)
        return text

    @classmethod
    def of_inputs(cls, paths: Sequence[Path], title: "str | None" = None,
                  media_urls: Sequence[tuple[str, str]] = ()) -> "SiteData":
        """The channels of the WXR files among ``paths`` (folders: their ``.xml`` files)."""
        channels = []
        for path in _wxr_files(paths):
            channel = read_channel(path)
            if channel.title or channel.authors or channel.language:
                channels.append(channel)
        site = cls(channels=channels, media_urls=tuple(media_urls))
        site.title = title or next((c.title for c in channels if c.title), "") or DEFAULT_TITLE
        return site

    @property
    def language(self) -> str:
        """The site's language (BCP 47, from the first export that says), ``""`` when none does."""
        return next((c.language for c in self.channels if c.language), "")

    def author(self, login: str) -> Author:
        """The author whose login is ``login`` (a bare one when no export names it)."""
        for c in self.channels:
            if login in c.authors:
                return c.authors[login]
        return Author(login)

    def see(self, post: Post) -> None:
        """Note what the site needs of ``post`` (every post read, written or not)."""
        if post.type == "attachment" and post.id and post.attachment_url:
            self.attachments.setdefault(post.id, (post.attachment_url,
                                                  post.meta_value("_wp_attachment_image_alt", "") or ""))

    def featured_image(self, post: Post, model: Any = None) -> "tuple[str, str] | None":
        """:meth:`featured_source` with :meth:`media` applied to the URL."""
        found = self.featured_source(post, model)
        return (self.media(found[0]), found[1]) if found else None

    def featured_source(self, post: Post, model: Any = None) -> "tuple[str, str] | None":
        """``(url, alt)`` of the post's featured image (``_thumbnail_id``), ``None`` when it has none:
        from the attachments seen so far, else from ``model`` (the export's
        :class:`~shortcodes.exports.site.Site`, read before the posts: an attachment later in the file)."""
        ref = (post.meta_value("_thumbnail_id") or "").strip()
        if not ref:
            return None
        found = self.attachments.get(ref)
        if found is None and model is not None and ref.isdigit():
            att = model.attachments.get(int(ref))
            if att is not None and att.url:
                found = (att.url, att.alt)
        return found

    def language_of(self, text: str, locale_tag: "str | None" = None) -> tuple[str, str]:
        """``(lang, dir)`` of a page: the renderer's locale, else the script of the text where it says
        (Arabic, Hebrew), else the site's language, else ``en``."""
        lang = locale_tag or script_language(strip_tags(text)) or self.language or "en"
        return lang, direction_of(lang)


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>|^(?:<p>)?[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*(?:</p>|<br />)?$",
                      re.S | re.I | re.M)


def drop_title_heading(html: str, title: str) -> str:
    r"""``html`` without its first heading when that heading's text is ``title`` (a plain file's title is
    its first heading: shown as the page's title, it is not repeated in the text).

    >>> drop_title_heading("<p>lead</p>\n<h2>Egypt &amp; Sudan</h2>\n<p>x</p>", "Egypt & Sudan")
    '<p>lead</p>\n\n<p>x</p>'
    >>> drop_title_heading("<p># Notes</p>\n<p>text</p>", "Notes")
    '\n<p>text</p>'
    >>> drop_title_heading("<h2>Other</h2>", "Title")
    '<h2>Other</h2>'
    """
    import html as _html

    m = _HEADING.search(html)
    if m is None:
        return html
    text = " ".join(_html.unescape(re.sub(r"<[^>]*>?", " ", m.group(2) or m.group(3) or "")).split())
    if text != " ".join(title.split()):
        return html
    return html[: m.start()] + html[m.end():]


def _wxr_files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and _is_wxr(p))
        elif _is_wxr(path):
            yield path


def _is_wxr(path: Path) -> bool:
    try:
        return detect_format(path) == "wxr"
    except (ExportError, OSError):
        return False


def used_dynamic_blocks(post: Post, result: PostResult) -> list[str]:
    """The dynamic blocks ``post`` uses (none for a post left out): run where the post's text is, the
    worker of a byte-range unit included (a ``finish`` of :meth:`~shortcodes.jobs.outputs.Run.convert_inputs`)."""
    if result.skipped or not has_blocks(post.content):
        return []
    return dynamic_blocks(post.content)


def site_extra(work: "Callable[[Any, Post, PostResult], Any]", job: Any, post: Post,
               result: PostResult) -> tuple[list[str], Any]:
    """The ``finish`` of a site output (``functools.partial(site_extra, work, job)``, run where the post was
    converted): the dynamic blocks the post uses (:func:`used_dynamic_blocks`) and, with a ``job``,
    ``work(job, post, result)``, the worker's share of writing the post (``None`` without a job).  A run
    whose workers computed the blocks alone (a cluster's) gives ``(blocks, None)`` for it."""
    return used_dynamic_blocks(post, result), (work(job, post, result) if job is not None else None)


class DynamicBlocks:
    """The dynamic blocks (:func:`~shortcodes.wordpress.blocks.dynamic_blocks`) of the posts written: their
    output is computed by WordPress's PHP from the site's database, which an export does not hold."""

    def __init__(self) -> None:
        self.posts: dict[str, int] = {}
        self.example: dict[str, str] = {}

    def see(self, post: Post) -> None:
        if has_blocks(post.content):
            self.add(dynamic_blocks(post.content), post.label)

    def add(self, names: Iterable[str], label: str) -> None:
        """Count one post (``label``) using the dynamic blocks ``names``."""
        for name in names:
            self.posts[name] = self.posts.get(name, 0) + 1
            self.example.setdefault(name, label)

    def notes(self) -> list[str]:
        """One sentence naming them (none when no post uses one)."""
        if not self.posts:
            return []
        ranked = sorted(self.posts.items(), key=lambda kv: (-kv[1], kv[0]))
        listed = ", ".join(f"{name} ({n} post{'s' if n != 1 else ''}, e.g. {self.example[name]})"
                           for name, n in ranked[:6])
        if len(ranked) > 6:
            listed += f" and {len(ranked) - 6} more ({', '.join(name for name, _ in ranked[6:])})"
        return [f"dynamic blocks need WordPress's PHP and the site's database: {listed}; written as their "
                "saved HTML where they have some, else left out"]
