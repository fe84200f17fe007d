"""The site model: what WordPress's media code reads about a site, taken from its export.

A post's ``[gallery]``, ``[caption]``, ``[audio]`` or ``[embed]`` is rendered
from more than the post: the attachments (their files, sizes, captions, alt
text), the other posts (a gallery's parent, its status and password), the
cached oEmbed HTML in the post's meta, the site and upload URLs.  A
:class:`Site` holds exactly that, read from an export in one streaming pass
(:func:`read_site`) without keeping any post body, so its memory grows with the
number of attachments and posts, not with the size of the export.  Attachments
may come before or after the posts that use them.

* :class:`Attachment`: one ``attachment`` item: ``caption`` is its excerpt,
  ``description`` its content, ``alt`` the ``_wp_attachment_image_alt`` meta,
  ``url`` ``<wp:attachment_url>`` (what ``wp_get_attachment_url()`` said on the
  exporting site), ``attached_file`` the ``_wp_attached_file`` meta,
  ``metadata`` ``_wp_attachment_metadata`` through WordPress's
  :func:`~shortcodes.php.serialize.maybe_unserialize`, when first read
  (:class:`~shortcodes.php.serialize.SerializedArray`; ``None`` when absent,
  empty when PHP could not unserialize it, e.g. a broken byte count), ``mime_type``
  from the file name as WordPress's importer derives it
  (:func:`wp_check_filetype`);
* :class:`PostInfo`: every other item without its body: type, status,
  parent, password, ``_thumbnail_id``, the cached ``_oembed_*`` HTML (by the
  md5 WordPress keys it with), link, title, date, guid;
* :class:`Site`: the site and home URLs, the uploads URL, title, language, and
  the two tables.

The readers are in :data:`~shortcodes.exports.readers.READERS` (each
:class:`~shortcodes.exports.readers.Reader` names its site reader): WXR files
give everything above, REST JSON what it carries (media objects, and the
``_embedded`` featured media of ``?_embed`` responses), plain files nothing.

>>> site = Site.empty()
>>> dict(site.attachments), site.children(5)
({}, [])
>>> wp_check_filetype("https://example.org/wp-content/uploads/2021/10/Photo.JPG")
'image/jpeg'
"""
from __future__ import annotations

import bisect
import collections
import re
import urllib.parse
from array import array
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..common.locales import is_rtl
from ..common.mimes import ALLOWED_MIME_TYPES, check_filetype
from ..php.serialize import SerializedArray
from .post import PathLike, Post
from .problems import WarningHandler
from .readers import READERS, detect_format
from .rest import _records
from .wxr.reader import WxrReader

__all__ = ["Attachment", "PostInfo", "PostTable", "PostRows", "Site", "FrozenDict", "read_site", "read_wxr_site", "read_rest_site", "site_entry", "site_of",
           "wp_check_filetype",
           "sort_attachments", "uploads_base", "php_intval"]

class FrozenDict(dict):
    """A ``dict`` that refuses changes (unlike ``MappingProxyType`` it pickles, so a :class:`Site` goes to worker
    processes with the converter)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a site model's tables cannot be changed")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        return (FrozenDict, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


_EMPTY: Mapping[Any, Any] = FrozenDict()


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attachment of the site (see the module documentation for where each field comes from).

    ``status`` is the item's ``wp:status`` (``inherit`` for attachments),
    ``link`` its attachment page (``<link>``), ``guid`` what
    ``wp_get_attachment_url()`` falls back to, ``slug`` its ``post_name``,
    ``thumbnail_id`` its own ``_thumbnail_id`` (an audio file's cover).
    """

    id: int
    parent: int = 0
    menu_order: int = 0
    title: str = ""
    caption: str = ""
    description: str = ""
    alt: str = ""
    url: str = ""
    attached_file: str = ""
    metadata: "Mapping[Any, Any] | None" = None
    mime_type: str = ""
    date: str = ""
    status: str = "inherit"
    link: str = ""
    guid: str = ""
    slug: str = ""
    thumbnail_id: int = 0

    @property
    def is_image(self) -> bool:
        """The mime type is ``image/...`` (``wp_attachment_is_image()`` also needs a file: see ``attached_file``)."""
        return self.mime_type.lower().startswith("image/")


@dataclass(frozen=True, slots=True)
class PostInfo:
    """A post (page, any item that is not an attachment) without its body.

    ``oembed`` maps the md5 of WordPress's oEmbed cache keys (the part after
    ``_oembed_`` in the meta key, ``md5(url . serialize(attr))``) to the cached
    HTML (``{{unknown}}`` for a cached failure).
    """

    id: int
    type: str = "post"
    status: str = "publish"
    parent: int = 0
    password: str = ""
    thumbnail_id: int = 0
    oembed: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    link: str = ""
    title: str = ""
    date: str = ""
    #: the item's ``<guid>`` (its first address; not what WordPress's media code reads, so not compared)
    guid: str = field(default="", compare=False)

    @classmethod
    def from_post(cls, post: Post) -> "PostInfo":
        """The :class:`PostInfo` of an exported :class:`~shortcodes.exports.Post`.

        >>> from shortcodes.exports.post import Meta
        >>> info = PostInfo.from_post(Post(id="9", type="post", meta=(Meta("_thumbnail_id", "12"),
        ...                                                          Meta("_oembed_ab12", "<iframe>"))))
        >>> info.id, info.thumbnail_id, dict(info.oembed)
        (9, 12, {'ab12': '<iframe>'})
        """
        meta = _first_meta(post)
        oembed = {k[8:]: v for k, v in meta.items() if k.startswith("_oembed_") and not k.startswith("_oembed_time_")}
        return cls(id=php_intval(post.id), type=post.type or "post", status=post.status or "publish",
                   parent=post.parent, password=post.password, thumbnail_id=php_intval(meta.get("_thumbnail_id", "")),
                   oembed=FrozenDict(oembed) if oembed else _EMPTY, link=post.link, title=post.title,
                   date=post.date, guid=post.guid)


_STRINGS = 5  # a PostTable row's strings: password, link, title, date, guid
_INT64 = (-(2**63), 2**63 - 1)


class PostTable(Mapping[int, PostInfo]):
    """The posts of a site model, ID -> :class:`PostInfo`, kept in a few flat arrays instead of an object
    per post and per field (a 1 GB export has ~170,000 posts: 125 MB as a dict of :class:`PostInfo`).

    A mapping as the dict it replaces: the same keys in the same (file) order, each value an equal
    :class:`PostInfo` (made when asked for), equal to that dict and hashed as :class:`FrozenDict`
    hashes it, pickled by its arrays.  Its strings are one UTF-8 ``bytes`` with the offsets of each,
    the type and status are indices into a table of the names, the IDs are found by a binary search;
    a few objects in all, so that the pages of a table made before a ``fork`` stay shared with the
    worker processes (no reference count of a post's object is written there).  Made by
    :meth:`from_items` (or :class:`PostRows`); any key or number that is not a 64-bit ``int`` keeps the
    posts a :class:`FrozenDict` instead.

    >>> t = PostTable.from_items({7: PostInfo(7, title="Hé"), 3: PostInfo(3, type="page", parent=7)})
    >>> list(t), t[3].type, t.get(7).title, 5 in t, t == {7: PostInfo(7, title="Hé"), 3: PostInfo(3, type="page", parent=7)}
    ([7, 3], 'page', 'Hé', False, True)
    """

    __slots__ = ("_keys", "_ids", "_nums", "_codes", "_names", "_offsets", "_text", "_oembed", "_sorted",
                 "_rows")

    def __init__(self, keys: "array[int]", ids: "dict[int, int]", nums: "array[int]", codes: "array[int]",
                 names: tuple[str, ...], offsets: "array[int]", text: "bytes | bytearray",
                 oembed: "dict[int, Mapping[str, str]]") -> None:
        self._keys, self._ids, self._nums, self._codes, self._names = keys, ids, nums, codes, names
        self._offsets, self._text, self._oembed = offsets, text, oembed
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._sorted = array("q", [keys[i] for i in order])
        self._rows = array("q", order)

    @classmethod
    def from_items(cls, posts: Mapping[int, PostInfo]) -> "Mapping[int, PostInfo]":
        """The posts ``posts`` (key -> info) as a table, or as a :class:`FrozenDict` when a key or a number
        is not a 64-bit ``int``."""
        rows = PostRows()
        for key, info in posts.items():
            if not rows.add(key, info):
                return FrozenDict(posts)
        return rows.table()

    def _row(self, key: Any) -> int:
        keys = self._sorted
        try:
            i = bisect.bisect_left(keys, key)
        except TypeError:  # not a number: no such post, as a dict of int keys says
            return -1
        if i < len(keys) and keys[i] == key:
            return self._rows[i]
        return -1

    def _info(self, row: int) -> PostInfo:
        offsets, text, names = self._offsets, self._text, self._names
        at = row * _STRINGS
        password, link, title, date, guid = (
            text[offsets[at + k]:offsets[at + k + 1]].decode("utf-8", "surrogatepass") for k in range(_STRINGS))
        key = self._keys[row]
        return PostInfo(id=self._ids.get(row, key), type=names[self._codes[2 * row]],
                        status=names[self._codes[2 * row + 1]], parent=self._nums[2 * row], password=password,
                        thumbnail_id=self._nums[2 * row + 1], oembed=self._oembed.get(row, _EMPTY), link=link,
                        title=title, date=date, guid=guid)

    def __getitem__(self, key: Any) -> PostInfo:
        row = self._row(key)
        if row < 0:
            raise KeyError(key)
        return self._info(row)

    def get(self, key: Any, default: Any = None) -> Any:
        row = self._row(key)
        return default if row < 0 else self._info(row)

    def __contains__(self, key: object) -> bool:
        return self._row(key) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __hash__(self) -> int:
        return hash(tuple(self.items()))

    def __repr__(self) -> str:
        return f"PostTable({dict(self.items())!r})"

    def __reduce__(self) -> Any:
        return (PostTable, (self._keys, self._ids, self._nums, self._codes, self._names, self._offsets, self._text,
                            self._oembed))


class PostRows:
    """A :class:`PostTable` being made, one post at a time, in order (:meth:`add`, then :meth:`table`)."""

    def __init__(self) -> None:
        self.keys = array("q")
        self.ids: dict[int, int] = {}
        self.nums = array("q")
        self.codes = array("L")
        self.names: dict[str, int] = {}
        self.offsets = array("Q", [0])
        self.text = bytearray()
        self.oembed: dict[int, Mapping[str, str]] = {}

    def add(self, key: int, info: PostInfo) -> bool:
        """Add one post; ``False`` (and nothing added) when its key or a number is not a 64-bit ``int``."""
        low, high = _INT64
        for n in (key, info.id, info.parent, info.thumbnail_id):
            if type(n) is not int or not low <= n <= high:
                return False
        row = len(self.keys)
        self.keys.append(key)
        if info.id != key:
            self.ids[row] = info.id
        self.nums.append(info.parent)
        self.nums.append(info.thumbnail_id)
        names = self.names
        for name in (info.type, info.status):
            code = names.get(name)
            if code is None:
                code = names[name] = len(names)
            self.codes.append(code)
        out, offsets = self.text, self.offsets
        for text in (info.password, info.link, info.title, info.date, info.guid):
            out += text.encode("utf-8", "surrogatepass")
            offsets.append(len(out))
        if info.oembed:
            self.oembed[row] = info.oembed
        return True

    def table(self) -> PostTable:
        """The table of the posts added."""
        return PostTable(self.keys, self.ids, self.nums, self.codes, tuple(self.names), self.offsets, self.text,
                         self.oembed)


@dataclass(frozen=True)
class Site:
    """What WordPress's media code knows about a site (see the module documentation).

    ``url`` is ``siteurl`` (``<wp:base_site_url>``, or ``home`` for WordPress.com
    exports, whose base site URL is wordpress.com itself), ``home`` the blog's
    address (``<wp:base_blog_url>``, else the channel ``<link>``), ``upload_url``
    the uploads base URL (``wp_upload_dir()['baseurl']``: the prefix most
    attachment URLs share before ``/YYYY/MM/file``, else ``url`` +
    ``/wp-content/uploads``).
    """

    url: str = ""
    home: str = ""
    upload_url: str = ""
    title: str = ""
    language: str = ""
    attachments: Mapping[int, Attachment] = field(default_factory=lambda: _EMPTY)
    posts: Mapping[int, PostInfo] = field(default_factory=lambda: _EMPTY)

    @classmethod
    def empty(cls) -> "Site":
        """A site with nothing in it (what a plain file gives)."""
        return cls()

    @property
    def rtl(self) -> bool:
        """The export's ``<language>`` is written right to left (``ar``, ``he``, ``fa``...).

        >>> Site(language="ar").rtl, Site(language="en-US").rtl
        (True, False)
        """
        return is_rtl(self.language)

    def post(self, post_id: int) -> "PostInfo | Attachment | None":
        """The post or attachment with this ID (``get_post()``), or ``None``."""
        return self.posts.get(post_id) or self.attachments.get(post_id)

    def children(self, parent_id: int, mime_prefix: str = "image", *, orderby: str = "menu_order ID",
                 order: str = "ASC", status: "str | None" = "inherit",
                 exclude: Iterable[int] = ()) -> list[Attachment]:
        """The attachments of ``parent_id`` as ``get_children()`` gives them to ``[gallery]``.

        ``mime_prefix`` is WordPress's ``post_mime_type`` (``image`` matches
        ``image/*``, ``''`` anything), ``status`` the ``post_status`` asked
        (``None``: any), ``orderby``/``order`` as :func:`sort_attachments`.
        The defaults are the gallery's: images, ``menu_order ID``, ascending.

        >>> site = Site(attachments={3: Attachment(3, parent=1, mime_type="image/png", menu_order=2),
        ...                          4: Attachment(4, parent=1, mime_type="image/jpeg"),
        ...                          5: Attachment(5, parent=1, mime_type="audio/mpeg")})
        >>> [a.id for a in site.children(1)], [a.id for a in site.children(1, "audio")]
        ([4, 3], [5])
        """
        skip = set(exclude)
        found = [a for a in self.attachments.values()
                 if a.parent == parent_id and a.id not in skip and (status is None or a.status == status)
                 and mime_matches(a.mime_type, mime_prefix)]
        return sort_attachments(found, orderby, order)

    @classmethod
    def from_oracle_json(cls, d: Mapping[str, Any], *, metadata: "Mapping[int, Any] | None" = None) -> "Site":
        """The site the media oracle's site description ``d`` describes (``media_oracle.site_from_wxr(...)``).

        The oracle's posts carry their raw meta; ``derive_attached_file`` is
        applied as the harness applies it.  The oracle builds the metadata of
        the ``synthetic`` scenario in PHP: pass what it gave
        (``wp_get_attachment_metadata`` per attachment id) as ``metadata``,
        which also overrides any other attachment's.
        """
        home = str(d.get("home") or "http://example.org")
        upload = str(d.get("upload_url_path") or "")
        base = upload.rstrip("/")
        attachments: dict[int, Attachment] = {}
        posts: dict[int, PostInfo] = {}
        for p in d.get("posts", ()):
            meta = {str(k): _oracle_meta(v) for k, v in (p.get("meta") or {}).items()}
            pid = int(p.get("ID") or 0)
            if p.get("post_type", "post") == "attachment":
                url = str(p.get("attachment_url") or "")
                attached = meta.get("_wp_attached_file")
                if attached is None and p.get("derive_attached_file") and url and base and url.startswith(base + "/"):
                    attached = url[len(base) + 1:]
                raw = meta.get("_wp_attachment_metadata")
                md = _metadata(raw) if isinstance(raw, str) else (raw if isinstance(raw, dict) else None)
                if metadata is not None and pid in metadata:
                    md = metadata[pid] if isinstance(metadata[pid], dict) else None
                guid = str(p.get("guid") or "") or url
                mime = p.get("post_mime_type")
                attachments[pid] = Attachment(
                    id=pid, parent=int(p.get("post_parent") or 0), menu_order=int(p.get("menu_order") or 0),
                    title=str(p.get("post_title") or ""), caption=str(p.get("post_excerpt") or ""),
                    description=str(p.get("post_content") or ""), alt=_str(meta.get("_wp_attachment_image_alt")),
                    url=url, attached_file=_str(attached), metadata=md,
                    mime_type=str(mime) if mime is not None else wp_check_filetype(url or guid),
                    date=str(p.get("post_date") or ""), status=str(p.get("post_status", "inherit")),
                    link=str(p.get("link") or ""), guid=guid, slug=str(p.get("post_name") or ""),
                    thumbnail_id=php_intval(_str(meta.get("_thumbnail_id"))))
            else:
                oembed = {k[8:]: _str(v) for k, v in meta.items()
                          if k.startswith("_oembed_") and not k.startswith("_oembed_time_")}
                posts[pid] = PostInfo(
                    id=pid, type=str(p.get("post_type") or "post"), status=str(p.get("post_status") or "publish"),
                    parent=int(p.get("post_parent") or 0), password=str(p.get("post_password") or ""),
                    thumbnail_id=php_intval(_str(meta.get("_thumbnail_id"))),
                    oembed=FrozenDict(oembed) if oembed else _EMPTY, link=str(p.get("link") or ""),
                    title=str(p.get("post_title") or ""), date=str(p.get("post_date") or ""))
        return cls(url=str(d.get("siteurl") or home), home=home, upload_url=upload,
                   attachments=FrozenDict(attachments), posts=PostTable.from_items(posts))


# -- WordPress's rules -----------------------------------------------------------------

def wp_check_filetype(url: str) -> str:
    """The mime type WordPress's importer gives an attachment: ``wp_check_filetype()`` of the URL's file name.

    >>> wp_check_filetype("http://x/a.mp3?x=1"), wp_check_filetype("http://x/a.tar.gz"), wp_check_filetype("http://x/a")
    ('audio/mpeg', 'application/x-gzip', '')
    """
    try:
        path = urllib.parse.urlsplit(url).path
    except ValueError:  # parse_url() gives false: no path
        path = ""
    name = urllib.parse.unquote(path.replace("\\", "/").rsplit("/", 1)[-1])
    found = check_filetype(name, ALLOWED_MIME_TYPES)
    return "" if found is None else found[1]


def mime_matches(mime: str, wanted: str) -> bool:
    """WP_Query's ``post_mime_type``: ``image`` matches ``image/*``, ``image/png`` exactly, ``''`` anything."""
    if not wanted:
        return True
    mime, wanted = mime.lower(), wanted.lower()
    if "/" in wanted:
        main, _, sub = wanted.partition("/")
        return mime == wanted if sub not in ("", "*") else mime.startswith(main + "/")
    return mime.startswith(wanted + "/")


_ORDER_KEYS = {
    "post_name": "slug", "name": "slug", "post_date": "date", "date": "date", "post_title": "title", "title": "title",
    "post_parent": "parent", "parent": "parent", "ID": "id", "menu_order": "menu_order",
    "post_modified": "date", "modified": "date", "post_type": None, "type": None,
    "post_author": None, "author": None, "comment_count": None,
}


def sort_attachments(attachments: Iterable[Attachment], orderby: str = "menu_order ID", order: str = "ASC",
                     include: "list[int] | None" = None) -> list[Attachment]:
    """Attachments in the order WP_Query's ``orderby``/``order`` give (ties by ID ascending).

    ``orderby`` is a space-separated list of WP_Query's keys (``menu_order``,
    ``ID``, ``title``, ``date``, ``name``, ``parent``, ``post__in`` with
    ``include``); unknown keys are dropped, and none left means ``date``; every
    key takes ``order``'s direction, as in WP_Query.  ``rand`` (MySQL's
    ``RAND()``) has no fixed order: ID order is given.

    >>> a = [Attachment(5, title="b"), Attachment(6, title="A"), Attachment(7, title="b")]
    >>> [x.id for x in sort_attachments(a, "title", "DESC")]
    [5, 7, 6]
    >>> [x.id for x in sort_attachments(a, "post__in", include=[7, 5, 6])]
    [7, 5, 6]
    >>> a = [Attachment(5, date="2020-01-03"), Attachment(6, date="2020-01-01")]
    >>> [x.id for x in sort_attachments(a, "post__in", "DESC")]   # no list: by date, and ascending
    [6, 5]
    """
    items = list(attachments)
    desc = not (isinstance(order, str) and order.upper() == "ASC")
    keys: list[str] = []
    for ob in urllib.parse.unquote(orderby or "").split(" "):
        if ob == "post__in" and include:
            keys.append("post__in")
        elif ob in _ORDER_KEYS and _ORDER_KEYS[ob]:
            keys.append(_ORDER_KEYS[ob])  # type: ignore[arg-type]
        elif ob == "rand" or re.fullmatch(r"RAND\([0-9]+\)", ob, re.I):
            keys.append("rand")
    if not orderby:
        keys = ["date"]
    elif not keys and orderby != "none":
        keys = ["date"]
    if orderby in ("post__in", "post_name__in", "post_parent__in"):
        desc = False  # WP_Query drops the direction for these, whether or not ``include`` gives the list
    pos = {n: i for i, n in enumerate(include or ())}
    items.sort(key=lambda a: a.id)
    for k in reversed(keys):
        if k == "rand":
            continue
        if k == "post__in":
            items.sort(key=lambda a: pos.get(a.id, len(pos)))
        elif k in ("id", "menu_order", "parent"):
            items.sort(key=lambda a, k=k: getattr(a, k), reverse=desc)  # type: ignore[misc]
        else:
            items.sort(key=lambda a, k=k: getattr(a, k).lower(), reverse=desc)  # type: ignore[misc]
    return items  # reverse=True keeps equal items in order: ties stay by ID ascending, as the oracle has them


def uploads_base(urls: Iterable[str], fallback: str) -> str:
    """The uploads URL: the prefix most attachment URLs share before ``/YYYY/MM/file`` (the first on a tie).

    >>> uploads_base(["https://s.org/wp-content/uploads/2021/10/a.jpg", "https://cdn.s.org/x.png"], "f")
    'https://s.org/wp-content/uploads'
    """
    votes: collections.Counter[str] = collections.Counter()
    for u in urls:
        m = _UPLOADS.match(u or "")
        if m:
            votes[m.group(1)] += 1
    return votes.most_common(1)[0][0] if votes else fallback


_UPLOADS = re.compile(r"^(https?://.+?)/\d{4}/\d{2}/[^/]+$", re.S)
_INTVAL = re.compile(r"[ \t\n\r\v\f]*([+-]?[0-9]+)")


def php_intval(value: str) -> int:
    """PHP's ``(int)`` of a string: leading blanks, a sign and digits; 0 otherwise (saturated to 64 bits).

    >>> php_intval(" 12abc"), php_intval("x"), php_intval("-3")
    (12, 0, -3)
    """
    m = _INTVAL.match(value or "")
    if m is None:
        return 0
    return max(-(2**63), min(2**63 - 1, int(m.group(1))))


def _str(v: Any) -> str:
    return v if isinstance(v, str) else "" if v is None else str(v)


def _oracle_meta(v: Any) -> Any:
    """A meta value as the oracle's site gives it: a string, a decoded value, or a list of repeated values."""
    if isinstance(v, list) and v and not isinstance(v[0], (list, dict)):
        return v[0]
    return v


def _metadata(raw: "str | None") -> "Mapping[Any, Any] | None":
    """``_wp_attachment_metadata`` as ``wp_get_attachment_metadata()`` reads it: ``None`` when absent, else the
    array, unserialized when first read (empty when broken or not an array: :class:`SerializedArray`)."""
    return None if raw is None else SerializedArray(raw)


def _first_meta(post: Post) -> dict[str, str]:
    """Meta key → its first value (``get_post_meta($id, $key, true)``)."""
    out: dict[str, str] = {}
    for m in post.meta:
        out.setdefault(m.key, m.value)
    return out


def attachment_from_post(post: Post) -> Attachment:
    """The :class:`Attachment` of an exported ``attachment`` item."""
    meta = _first_meta(post)
    url = post.attachment_url
    guid = post.guid or url
    return Attachment(
        id=php_intval(post.id), parent=post.parent, menu_order=post.menu_order, title=post.title,
        caption=post.excerpt, description=post.content, alt=meta.get("_wp_attachment_image_alt", ""), url=url,
        attached_file=meta.get("_wp_attached_file", ""), metadata=_metadata(meta.get("_wp_attachment_metadata")),
        mime_type=wp_check_filetype(url or guid), date=post.date, status=post.status or "publish", link=post.link,
        guid=guid, slug=post.slug, thumbnail_id=php_intval(meta.get("_thumbnail_id", "")))


# -- readers ---------------------------------------------------------------------------

def _quiet(_: object) -> None:
    return None


def read_wxr_site(path: PathLike, *, recover: bool = True, on_warning: "WarningHandler | None" = None) -> Site:
    """The :class:`Site` of a WXR export, in one streaming pass (post bodies are not kept).

    ``recover`` (default on: a site model is wanted even from a damaged
    export) and ``on_warning`` are :func:`~shortcodes.exports.wxr.read_wxr`'s;
    warnings are dropped by default, since reading the posts reports them.
    """
    reader = WxrReader(path, recover=recover, on_warning=on_warning or _quiet)
    # each entry joined as it is read (not all held at once); the channel's fields are known at the end
    return site_of(lambda: reader.channel, (e for e in map(site_entry, reader) if e is not None))


SiteEntry = tuple[int, "Attachment | PostInfo"]


def site_entry(post: Post) -> "SiteEntry | None":
    """What the site model keeps of one item of a WXR export: its ID and its :class:`Attachment` or
    :class:`PostInfo`; ``None`` for an item without an ID."""
    pid = php_intval(post.id)
    if not pid:
        return None
    return pid, (attachment_from_post(post) if post.type == "attachment" else PostInfo.from_post(post))


def site_of(channel: "Mapping[str, str] | Callable[[], Mapping[str, str]]", entries: Iterable[SiteEntry]) -> Site:
    """The :class:`Site` of a WXR export from its channel's fields (``WxrReader.channel``, or a function
    that gives them, asked once the entries are read) and the :func:`site_entry` of its items in file
    order, joined as they come: the first item with an ID wins, as WordPress's importer gives a later item
    with a taken ID a new one."""
    attachments: dict[int, Attachment] = {}
    rows = PostRows()
    posts: "dict[int, PostInfo] | None" = None  # when a post does not fit a table
    seen: set[int] = set()
    for pid, entry in entries:
        if pid in seen:
            continue
        seen.add(pid)
        if isinstance(entry, Attachment):
            attachments[pid] = entry
        elif posts is None and rows.add(pid, entry):
            continue
        else:
            if posts is None:
                posts = dict(rows.table().items())
            posts[pid] = entry
    fields = channel() if callable(channel) else channel
    return _site(fields.get("base_site_url", ""), fields.get("base_blog_url", ""), fields.get("link", ""),
                 fields.get("title", ""), fields.get("language", ""), attachments,
                 rows.table() if posts is None else posts)


def _site(base_site_url: str, base_blog_url: str, link: str, title: str, language: str,
          attachments: dict[int, Attachment], posts: Mapping[int, PostInfo]) -> Site:
    home = (base_blog_url or link or "http://example.org").rstrip("/")
    url = base_site_url.rstrip("/")
    if not url or re.match(r"^https?://(www\.)?wordpress\.com$", url):
        url = home  # WordPress.com exports name wordpress.com itself as the base site URL
    upload = uploads_base((a.url for a in attachments.values()), url + "/wp-content/uploads")
    return Site(url=url, home=home, upload_url=upload, title=title, language=language,
                attachments=FrozenDict(attachments),
                posts=posts if isinstance(posts, PostTable) else PostTable.from_items(posts))


def read_rest_site(path: PathLike, *, recover: bool = True, on_warning: "WarningHandler | None" = None) -> Site:
    """The :class:`Site` of REST API JSON: its media objects (``/wp/v2/media``), the ``_embedded``
    featured media and attachments of ``?_embed`` responses, and every post's :class:`PostInfo`.

    A REST response has no site URL or language: ``home`` is the scheme and
    host of the first post link, ``upload_url`` is found from the media URLs.
    """
    attachments: dict[int, Attachment] = {}
    posts: dict[int, PostInfo] = {}
    first_link = ""
    for record in _records(path, str(path), str(path).lower().removesuffix(".gz").endswith((".jsonl", ".ndjson"))):
        obj = record.value
        if record.error is not None or not isinstance(obj, dict):
            continue
        for media in _embedded_media(obj):
            att = _rest_attachment(media)
            if att is not None:
                attachments.setdefault(att.id, att)
        pid = _rest_int(obj.get("id"))
        if not pid:
            continue
        first_link = first_link or _str(obj.get("link"))
        if obj.get("type") == "attachment" or "media_details" in obj:
            att = _rest_attachment(obj)
            if att is not None:
                attachments[pid] = att
            continue
        posts[pid] = PostInfo(id=pid, type=_str(obj.get("type")) or "post", status=_str(obj.get("status")) or "publish",
                              parent=_rest_int(obj.get("parent")), password=_str(obj.get("password")),
                              thumbnail_id=_rest_int(obj.get("featured_media")), link=_str(obj.get("link")),
                              title=_rest_text(obj.get("title")), date=_str(obj.get("date")))
    parts = urllib.parse.urlsplit(first_link) if first_link else None
    home = f"{parts.scheme}://{parts.netloc}" if parts and parts.scheme and parts.netloc else ""
    return _site("", home, "", "", "", attachments, posts)


def _rest_int(v: Any) -> int:
    if isinstance(v, bool):
        return 0
    if isinstance(v, int):
        return v
    return php_intval(v) if isinstance(v, str) else 0


def _rest_text(v: Any) -> str:
    if isinstance(v, dict):
        for k in ("raw", "rendered"):
            if isinstance(v.get(k), str):
                return str(v[k])
        return ""
    return _str(v) if isinstance(v, str) else ""


def _embedded_media(obj: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    embedded = obj.get("_embedded")
    if not isinstance(embedded, dict):
        return
    for rel in ("wp:featuredmedia", "wp:attachment"):
        group = embedded.get(rel)
        for item in group if isinstance(group, list) else ():
            for media in item if isinstance(item, list) else (item,):
                if isinstance(media, dict):
                    yield media


def _rest_attachment(media: Mapping[str, Any]) -> "Attachment | None":
    """A REST media object (``/wp/v2/media``) as an :class:`Attachment`; its ``media_details`` is the metadata."""
    aid = _rest_int(media.get("id"))
    if not aid:
        return None
    url = _str(media.get("source_url"))
    details = media.get("media_details")
    metadata: "dict[str, Any] | None" = None
    attached = ""
    if isinstance(details, dict) and details:
        metadata = {k: v for k, v in details.items() if k != "sizes"}
        if isinstance(details.get("sizes"), dict):
            metadata["sizes"] = {name: {("mime-type" if k == "mime_type" else k): v for k, v in size.items()
                                        if k != "source_url"}
                                 for name, size in details["sizes"].items() if isinstance(size, dict)}
        attached = _str(details.get("file")) if isinstance(details.get("file"), str) else ""
    guid = _rest_text(media.get("guid")) or url
    mime = media.get("mime_type")
    return Attachment(
        id=aid, parent=_rest_int(media.get("post")), menu_order=_rest_int(media.get("menu_order")),
        title=_rest_text(media.get("title")), caption=_rest_text(media.get("caption")),
        description=_rest_text(media.get("description")), alt=_str(media.get("alt_text")) if isinstance(
            media.get("alt_text"), str) else "", url=url, attached_file=attached, metadata=metadata,
        mime_type=mime if isinstance(mime, str) and mime else wp_check_filetype(url or guid),
        date=_str(media.get("date")) if isinstance(media.get("date"), str) else "",
        status=_str(media.get("status")) if isinstance(media.get("status"), str) else "inherit",
        link=_str(media.get("link")) if isinstance(media.get("link"), str) else "", guid=guid,
        slug=_str(media.get("slug")) if isinstance(media.get("slug"), str) else "")


def read_site(path: PathLike, *, recover: bool = True, on_warning: "WarningHandler | None" = None) -> Site:
    """The :class:`Site` of an export file: the site reader its :class:`~shortcodes.exports.readers.Reader` names.

    WXR gives the whole model, REST JSON what it carries, plain files (and
    folders of them) :meth:`Site.empty`.
    """
    fmt = detect_format(path)
    spec = READERS[fmt] if fmt in READERS else None
    site_reader: "Callable[..., Site] | None" = spec.site_reader() if spec is not None else None
    if site_reader is None:
        return Site.empty()
    return site_reader(path, recover=recover, on_warning=on_warning)
