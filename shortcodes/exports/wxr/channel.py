"""The site a WXR file describes, from its channel head: title, address, language, authors.

WordPress writes the channel's own elements before the first ``<item>``:
``<title>``, ``<link>``, ``<description>``, ``<language>`` (the site's
``WPLANG``, such as ``en-US`` or ``el``), ``<wp:base_site_url>``,
``<wp:base_blog_url>`` and one ``<wp:author>`` per author (login, display
name).  :func:`read_channel` reads only that head, streaming, and stops at
the first item, so it costs nothing on a large export.  It never raises for
a file the post reader would refuse: what could not be read is left empty
(the post reader reports the file's problems).

>>> import io
>>> xml = (b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Caf&#233; news</title>'
...        b'<language>el</language><wp:author><wp:author_login>ann</wp:author_login>'
...        b'<wp:author_display_name><![CDATA[Ann B.]]></wp:author_display_name></wp:author>'
...        b'<item><title>x</title></item></channel></rss>')
>>> ch = read_channel(io.BytesIO(xml))
>>> ch.title, ch.language, ch.authors["ann"].display_name
('Café news', 'el', 'Ann B.')
"""
from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass, field
from typing import IO

from ...common.errors import ShortcodesError
from ..post import PathLike
from .schema import _ns_kind
from .source import _open_source, _source_name

__all__ = ["Author", "Channel", "read_channel"]


@dataclass(frozen=True)
class Author:
    """One ``<wp:author>``: ``login`` (what posts' ``dc:creator`` names), ``display_name``, ``first_name``,
    ``last_name``."""

    login: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        """The name to show: the display name, else first and last name, else the login."""
        return self.display_name or " ".join(n for n in (self.first_name, self.last_name) if n) or self.login


@dataclass(frozen=True)
class Channel:
    """The site of one export (every field ``""`` when the file does not say)."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict[str, Author] = field(default_factory=dict)


class _Stop(Exception):
    pass


_CHANNEL_FIELDS = {("rss", "title"): "title", ("rss", "link"): "link", ("rss", "description"): "description",
                   ("rss", "language"): "language", ("wp", "base_site_url"): "base_site_url",
                   ("wp", "base_blog_url"): "base_blog_url"}
_AUTHOR_FIELDS = {"author_login": "login", "author_display_name": "display_name",
                  "author_first_name": "first_name", "author_last_name": "last_name"}


def read_channel(source: "PathLike | IO[bytes]", *, chunk_size: int = 1 << 16) -> Channel:
    """The :class:`Channel` of a WXR file (a path, ``.gz``, or a binary stream); see the module docs."""
    values: dict[str, str] = {}
    authors: dict[str, Author] = {}
    path: list[tuple[str, str]] = []
    text: list[str] = []
    author: dict[str, str] = {}

    def start(name: str, attrs: object) -> None:
        uri, _, local = name.rpartition("\x01")
        kind = _ns_kind(uri or None)
        path.append((kind, local))
        depth = len(path)
        if depth == 3 and kind == "rss" and local == "item":
            raise _Stop
        text.clear()

    def end(name: str) -> None:
        kind, local = path.pop()
        depth = len(path) + 1
        value = "".join(text).strip()
        text.clear()
        if depth == 3 and (kind, local) in _CHANNEL_FIELDS:
            values.setdefault(_CHANNEL_FIELDS[(kind, local)], value)
        elif depth == 4 and kind == "wp" and path[-1] == ("wp", "author") and local in _AUTHOR_FIELDS:
            author.setdefault(_AUTHOR_FIELDS[local], value)
        elif depth == 3 and (kind, local) == ("wp", "author"):
            if author.get("login"):
                authors.setdefault(author["login"], Author(**author))
            author.clear()

    def refuse(*_: object) -> None:
        raise _Stop  # a DOCTYPE: the post reader refuses the file, say nothing here

    parser = xml.parsers.expat.ParserCreate(namespace_separator="\x01")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        with _open_source(source, _source_name(source)) as stream:
            while True:
                chunk = stream.read(chunk_size)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except (_Stop, xml.parsers.expat.ExpatError, ShortcodesError, OSError, EOFError, ValueError):
        pass
    return Channel(authors=authors, **values)
