"""The export model: :class:`Post` (one exported item, whatever the format), :class:`Term`, :class:`Meta`.

A leaf: readers import it, nothing here imports a reader.
"""
from __future__ import annotations

import bisect
import operator
import os
from dataclasses import dataclass, field, fields
from typing import Any, Union

__all__ = ["Post", "Term", "Meta", "Anchor", "PathLike", "TEXT_FORMATS"]

PathLike = Union[str, "os.PathLike[str]"]

#: The :attr:`Post.fmt` of posts read from plain files (their ``id`` is a path).
TEXT_FORMATS = frozenset({"html", "text", "markdown"})


@dataclass(frozen=True, slots=True)
class Term:
    """A category, tag or other taxonomy term of a post.

    ``domain`` is the taxonomy (``category``, ``post_tag``; WXR 1.0 writes
    ``tag``), ``nicename`` the slug and ``name`` the display name.
    """

    domain: str
    nicename: str
    name: str

    def __reduce__(self) -> tuple[Any, ...]:  # by value: no dataclass __setstate__ per term
        return (Term, (self.domain, self.nicename, self.name))


@dataclass(frozen=True, slots=True)
class Meta:
    """One custom field (``wp:postmeta``): the raw ``key`` and ``value`` strings.

    Values are exactly as exported: serialized PHP stays serialized.
    """

    key: str
    value: str

    def __reduce__(self) -> tuple[Any, ...]:
        return (Meta, (self.key, self.value))


Anchor = tuple[int, int, int]  # (offset in the text, line, column), 1-based line/column


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    """One exported post (or page, attachment, menu item...), whatever the format.

    Data fields (missing ones are ``""``, or ``0`` for numbers):

    * ``id``: the post ID as text (``wp:post_id``, REST ``id``), or for a plain
      file its path relative to the folder given (the file name for a file
      given directly);
    * ``type`` (``post``, ``page``, ``attachment``...), ``status``,
      ``title``, ``slug`` (``wp:post_name``), ``author`` (the login in WXR,
      the user ID or embedded slug in REST JSON), ``date`` (local time, as
      exported) and ``date_gmt``, ``modified``/``modified_gmt`` (the last
      edit: ``wp:post_modified``, REST ``modified``),
      ``link``, ``guid``;
    * ``content`` and ``excerpt``: the post body and excerpt, decoded (CDATA
      and entities resolved) but otherwise exactly as stored; ``content_field``
      names where ``content`` came from: ``content:encoded`` (WXR),
      ``content.raw`` or ``content.rendered`` (REST; *rendered* content has
      been through ``the_content`` filters, so quotes are usually texturized
      and shortcodes already expanded), or ``file``;
    * ``terms`` (categories and tags, see :attr:`categories` and
      :attr:`tags`), ``meta`` (custom fields, in order), ``attachment_url``,
      ``parent`` (post ID, 0 for none), ``menu_order`` and ``password``
      (``wp:post_password``, REST ``password`` (with ``context=edit``), or
      a placeholder when REST says only ``content.protected``; ``""`` for
      none: see :attr:`protected`).

    Where and how the post was read (not part of equality, so a post read
    back from a rewritten file compares equal to the original):

    * ``content_field`` (above), ``fmt``: a reader's name (:data:`~shortcodes.exports.readers.FORMATS`); ``source_file``; ``item_index``
      (0-based position of the item in its file);
    * ``source_line``/``source_column``: where the item starts (the
      ``<item>`` tag, the JSON object or line, or 1:1 for a plain file);
    * ``content_line``/``content_column``: where the content starts in the
      file, i.e. just after the ``<content:encoded>`` tag in WXR (``None``
      when not known, as in JSON);
    * ``recovered``: read by the tolerant scanner after an XML error (see
      :func:`shortcodes.exports.wxr.read_wxr`), so fields may be incomplete;
    * ``content_anchors``/``excerpt_anchors``: how offsets in the text map to
      the file, set by the reader: ``(offset, line, column)`` triples, one at
      the start and one after every place where the text and the file stop
      running in step (a CDATA boundary, an entity); :meth:`position` reads them.

    Use :meth:`position` or :meth:`where` to turn an offset in ``content``
    (such as a shortcode's ``span[0]``) into a place in the file.

    >>> p = Post(id="12", source_file="site.xml", fmt="wxr", content="a\\n[b]",
    ...          source_line=40, content_anchors=((0, 45, 35),))
    >>> p.position(2), p.where(2), p.label
    ((46, 1), 'site.xml:46:1', 'post 12')
    """

    id: str = ""
    type: str = ""
    status: str = ""
    title: str = ""
    slug: str = ""
    author: str = ""
    date: str = ""
    date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    link: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    terms: tuple[Term, ...] = ()
    meta: tuple[Meta, ...] = ()
    attachment_url: str = ""
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    # -- where and how it was read: not compared
    content_field: str = field(default="", compare=False)
    fmt: str = field(default="", compare=False)
    source_file: str = field(default="", compare=False)
    item_index: int = field(default=0, compare=False)
    source_line: int = field(default=1, compare=False)
    source_column: int = field(default=1, compare=False)
    recovered: bool = field(default=False, compare=False)
    content_anchors: tuple[Anchor, ...] = field(default=(), compare=False, repr=False)
    excerpt_anchors: tuple[Anchor, ...] = field(default=(), compare=False, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as the tuple of its fields, rebuilt without the dataclass __setstate__ (a Python loop
        # over fields() per post): posts travel between processes in bulk (``--jobs N``, clusters).
        return (_post_from_values, (_post_values(self),))

    # -- convenience -------------------------------------------------------

    @property
    def label(self) -> str:
        """A short human name: ``post 12``, ``page 3``, ``item 5`` (no ID) or the file name."""
        if self.fmt in TEXT_FORMATS:
            return self.id
        if self.id:
            return f"{self.type or 'post'} {self.id}"
        return f"item {self.item_index + 1}"

    def metadata(self) -> dict[str, Any]:
        """The post's metadata as templates see it (``post`` / ``ctx.post``): id, type, status, title, slug, dates, link, author.

        >>> Post(id="7", title="Hi").metadata()["title"]
        'Hi'
        """
        return {"id": self.id, "type": self.type, "status": self.status, "title": self.title, "slug": self.slug,
                "date": self.date, "date_gmt": self.date_gmt, "link": self.link, "author": self.author}

    @property
    def protected(self) -> bool:
        """True for a password-protected post (its text is not public on the site)."""
        return bool(self.password)

    @property
    def categories(self) -> tuple[Term, ...]:
        """The terms whose domain is ``category``."""
        return tuple(t for t in self.terms if t.domain == "category")

    @property
    def tags(self) -> tuple[Term, ...]:
        """The terms whose domain is ``post_tag`` (or ``tag``, as WXR 1.0 writes it)."""
        return tuple(t for t in self.terms if t.domain in ("post_tag", "tag"))

    @property
    def is_rendered(self) -> bool:
        """True when ``content`` is REST ``content.rendered`` (filtered HTML, not the stored text)."""
        return self.content_field.endswith(".rendered")

    def meta_value(self, key: str, default: "str | None" = None) -> "str | None":
        """The value of the first custom field named ``key`` (``default`` if none)."""
        for m in self.meta:
            if m.key == key:
                return m.value
        return default

    @property
    def content_line(self) -> "int | None":
        """Line in the file of the first character of ``content`` (``None`` if unknown)."""
        return self.content_anchors[0][1] if self.content_anchors else None

    @property
    def content_column(self) -> "int | None":
        """Column in the file of the first character of ``content`` (``None`` if unknown)."""
        return self.content_anchors[0][2] if self.content_anchors else None

    def position(self, offset: int, *, field: str = "content") -> tuple[int, int]:
        """The 1-based ``(line, column)`` in :attr:`source_file` of ``content[offset]``.

        Exact for WXR (across CDATA sections, split ``]]>`` and entity
        references) and plain files; for JSON, where text is escaped, it is
        the start of the post's object.  ``field="excerpt"`` maps an offset
        in ``excerpt`` instead.
        """
        text, anchors = self._field(field)
        if not anchors:
            return self.source_line, self.source_column
        offset = max(0, min(offset, len(text)))
        i = bisect.bisect_right(anchors, offset, key=lambda a: a[0]) - 1
        a_off, a_line, a_col = anchors[max(i, 0)]
        if offset < a_off:  # before the first anchor: cannot happen, be safe
            return a_line, a_col
        newlines = text.count("\n", a_off, offset)
        if not newlines:
            return a_line, a_col + offset - a_off
        return a_line + newlines, offset - text.rfind("\n", a_off, offset)

    def where(self, offset: "int | None" = None, *, field: str = "content") -> str:
        """``file:line:column`` of ``content[offset]`` (of the item when ``offset`` is None)."""
        if offset is None:
            line, col = self.source_line, self.source_column
        else:
            line, col = self.position(offset, field=field)
        return f"{self.source_file}:{line}:{col}"

    def _field(self, name: str) -> tuple[str, tuple[Anchor, ...]]:
        if name == "content":
            return self.content, self.content_anchors
        if name == "excerpt":
            return self.excerpt, self.excerpt_anchors
        raise ValueError(f"field must be 'content' or 'excerpt', not {name!r}")


_POST_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Post))
_post_values = operator.attrgetter(*_POST_FIELDS)


def _post_from_values(values: tuple[Any, ...]) -> Post:
    """The :class:`Post` whose fields are ``values`` (in field order): what a pickled post is rebuilt by."""
    post = object.__new__(Post)
    for name, value in zip(_POST_FIELDS, values):
        object.__setattr__(post, name, value)
    return post
