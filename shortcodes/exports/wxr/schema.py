"""What a WXR file is made of: the namespaces WordPress uses, and which item children become :class:`Post` fields."""
from __future__ import annotations

import re

CHUNK_SIZE = 1 << 20

_WP_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/\Z")
_EXCERPT_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/excerpt/\Z")
_CONTENT_NS = ("http://purl.org/rss/1.0/modules/content/", "https://purl.org/rss/1.0/modules/content/")
_DC_NS = ("http://purl.org/dc/elements/1.1/", "https://purl.org/dc/elements/1.1/")
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_CONVENTIONAL = {"wp": "wp", "content": "content", "excerpt": "excerpt", "dc": "dc"}
_CANONICAL_URI = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": _CONTENT_NS[0],
    "dc": _DC_NS[0],
}


def is_wordpress_namespace(uri: "str | None") -> bool:
    """True for the URIs WordPress binds ``wp:`` to (any version, http or https).

    >>> is_wordpress_namespace("https://wordpress.org/export/1.2/")
    True
    >>> is_wordpress_namespace("http://malicious.example.com/hijack/")
    False
    """
    return bool(uri) and _WP_NS.match(uri) is not None  # type: ignore[arg-type]



_kind_cache: dict["str | None", str] = {}


def _ns_kind(uri: "str | None") -> str:
    """'rss' (no namespace), 'wp', 'excerpt', 'content', 'dc' or 'other'."""
    kind = _kind_cache.get(uri)
    if kind is None:
        if not uri:
            kind = "rss"
        elif _WP_NS.match(uri):
            kind = "wp"
        elif _EXCERPT_NS.match(uri):
            kind = "excerpt"
        elif uri in _CONTENT_NS:
            kind = "content"
        elif uri in _DC_NS:
            kind = "dc"
        else:
            kind = "other"
        if len(_kind_cache) < 256:
            _kind_cache[uri] = kind
    return kind


# Item children that become Post fields: (namespace kind, local name) -> field.
_FIELDS = {
    ("rss", "title"): "title",
    ("rss", "link"): "link",
    ("rss", "guid"): "guid",
    ("dc", "creator"): "author",
    ("content", "encoded"): "content",
    ("excerpt", "encoded"): "excerpt",
    ("wp", "post_id"): "id",
    ("wp", "post_date"): "date",
    ("wp", "post_date_gmt"): "date_gmt",
    ("wp", "post_modified"): "modified",
    ("wp", "post_modified_gmt"): "modified_gmt",
    ("wp", "post_name"): "slug",
    ("wp", "status"): "status",
    ("wp", "post_type"): "type",
    ("wp", "post_parent"): "parent",
    ("wp", "menu_order"): "menu_order",
    ("wp", "attachment_url"): "attachment_url",
    ("wp", "post_password"): "password",
}
# Channel children read (the first of each): (namespace kind, local name) -> key of WxrReader.channel.
_CHANNEL_FIELDS = {
    ("wp", "wxr_version"): "wxr_version",
    ("wp", "base_site_url"): "base_site_url",
    ("wp", "base_blog_url"): "base_blog_url",
    ("rss", "title"): "title",
    ("rss", "link"): "link",
    ("rss", "language"): "language",
    ("rss", "description"): "description",
}
_STRIPPED = frozenset({"id", "date", "date_gmt", "modified", "modified_gmt", "slug", "status", "type", "parent", "menu_order", "attachment_url"})
_INT_FIELDS = ("parent", "menu_order")
_EMPTY_ANCHORS: tuple = ()
