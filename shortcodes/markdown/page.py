"""The input record: one post or page, with what the flavours need and nothing else.

A later step maps :class:`shortcodes.exports.Post` to :class:`Page` (every
field has a Post counterpart: ``post_name`` → ``slug``, ``terms`` →
``categories``/``tags``, ``_thumbnail_id`` → ``featured_image``...), so
this module depends on nothing else in the project.

>>> p = Page(id="7", title="Hello", html="<p>x</p>", date=wp_datetime("2021-10-10 15:00:00"),
...          date_gmt=wp_datetime("2021-10-10 12:00:00"), slug="%d9%85%d8%b1%d8%ad%d8%a8%d8%a7")
>>> p.published.isoformat(), p.path_slug, p.draft
('2021-10-10T15:00:00+03:00', 'مرحبا', False)
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

__all__ = ["PUBLISHED_STATUSES", "Page", "Term", "slugify", "wp_datetime"]

#: WordPress statuses whose posts are public (``future`` is published at its date).
PUBLISHED_STATUSES = frozenset({"publish", "future", "inherit"})


@dataclass(frozen=True, slots=True)
class Term:
    """A category or tag: display ``name`` and ``slug`` (WordPress's nicename)."""

    name: str
    slug: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One post or page to write as Markdown.

    * ``id``: the WordPress post ID (text); ``type``: ``post`` or ``page``
      (anything but ``page`` is written as a post);
    * ``title``, ``excerpt``: plain text (no HTML); ``html``: the rendered body;
    * ``date``: local wall time as WordPress shows it (``post_date``),
      ``date_gmt``/``modified_gmt``: UTC; naive or aware datetimes, ``None``
      when unknown (see :func:`wp_datetime`);
    * ``status``: WordPress's (``publish``, ``draft``, ``pending``, ``private``, ``future``...);
    * ``slug``: ``post_name`` (percent-encoded or not); ``link``: the old URL;
    * ``categories``, ``tags``: :class:`Term`; ``author``: display name or login;
    * ``featured_image``: URL; ``menu_order``: pages' order;
    * ``lang`` (BCP 47, ``ar``) and ``dir`` (``rtl``/``ltr``) of the whole post.
    """

    id: str
    title: str
    html: str
    type: str = "post"
    excerpt: str = ""
    date: _dt.datetime | None = None
    date_gmt: _dt.datetime | None = None
    modified_gmt: _dt.datetime | None = None
    status: str = "publish"
    slug: str = ""
    link: str = ""
    categories: tuple[Term, ...] = ()
    tags: tuple[Term, ...] = ()
    author: str = ""
    featured_image: str = ""
    menu_order: int = 0
    lang: str = ""
    dir: str = ""

    @property
    def is_page(self) -> bool:
        """True for a WordPress page (written where the flavour puts pages)."""
        return self.type == "page"

    @property
    def draft(self) -> bool:
        """True unless the status is public (:data:`PUBLISHED_STATUSES`)."""
        return self.status not in PUBLISHED_STATUSES

    @property
    def published(self) -> _dt.datetime | None:
        """The publication time with its UTC offset (from ``date`` − ``date_gmt``), or UTC."""
        return _aware(self.date, self.date_gmt)

    @property
    def modified(self) -> _dt.datetime | None:
        """``modified_gmt`` as an aware datetime in the post's own offset."""
        if self.modified_gmt is None:
            return None
        m = _utc(self.modified_gmt)
        pub = self.published
        return m.astimezone(pub.tzinfo) if pub is not None and pub.tzinfo is not None else m

    @property
    def path_slug(self) -> str:
        """A safe single path segment: the slug decoded, else the title slugified, else the ID."""
        return slugify(unquote(self.slug)) or slugify(self.title) or slugify(self.id) or "untitled"

    @property
    def old_path(self) -> str:
        """The path of the old URL (``/2021/10/hello/``), or ``""``."""
        if not self.link:
            return ""
        parts = urlsplit(self.link)
        path = parts.path or "/"
        return path + ("?" + parts.query if parts.query else "")


def _utc(d: _dt.datetime) -> _dt.datetime:
    return d.replace(tzinfo=_dt.UTC) if d.tzinfo is None else d.astimezone(_dt.UTC)


def _aware(local: _dt.datetime | None, gmt: _dt.datetime | None) -> _dt.datetime | None:
    if local is not None and local.tzinfo is not None:
        return local
    if local is not None and gmt is not None:
        minutes = round((local - gmt.replace(tzinfo=None)).total_seconds() / 60)
        if abs(minutes) <= 18 * 60:
            return local.replace(tzinfo=_dt.timezone(_dt.timedelta(minutes=minutes)))
    if gmt is not None:
        return _utc(gmt)
    if local is not None:
        return local.replace(tzinfo=_dt.UTC)
    return None


def wp_datetime(text: str) -> _dt.datetime | None:
    """WordPress's ``YYYY-MM-DD HH:MM:SS`` (or REST's ISO 8601) → datetime; ``None`` for empty/zero dates.

    >>> wp_datetime("2021-10-10 12:00:00"), wp_datetime("0000-00-00 00:00:00"), wp_datetime("")
    (datetime.datetime(2021, 10, 10, 12, 0), None, None)
    """
    text = text.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a WordPress date: {text!r} (expected YYYY-MM-DD HH:MM:SS)") from None


_UNSAFE = re.compile(r"[^\w\-.~]+", re.UNICODE)


def slugify(text: str) -> str:
    """A file-name-safe slug that keeps Unicode letters (Arabic slugs stay Arabic).

    >>> slugify("Hello, World: 2!"), slugify("../../etc"), slugify("المرصد السوري")
    ('hello-world-2', 'etc', 'المرصد-السوري')
    """
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = _UNSAFE.sub("-", text).strip("-._~")
    text = re.sub(r"-{2,}", "-", text)
    return text[:120].rstrip("-._~")
