"""Reading plain files (``.html``, ``.htm``, ``.txt``, ``.md``): one file, one post."""
from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any, Iterator

from ..common.fileio import read_text
from .post import PathLike, Post

__all__ = ["TEXT_SUFFIXES", "read_text_file", "read_text_posts", "text_post"]

#: Plain-file suffixes and the :attr:`Post.fmt` each gives.
TEXT_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text", ".md": "markdown", ".markdown": "markdown"}


def read_text_file(path: PathLike, *, id: "str | None" = None) -> Post:
    """Read one ``.html``/``.htm``/``.txt``/``.md`` file as one post.

    The whole file (UTF-8, a BOM dropped) is the ``content``; ``id`` defaults
    to the file name and ``slug`` is the name without its suffix.  Offsets in
    the content map to the file directly (see :meth:`Post.position`).
    """
    return text_post(path, read_text(path), id=id)


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.S | re.I)
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_TAG = re.compile(r"<[^>]*>?")


def text_title(text: str, fmt: str, limit: int = 200) -> str:
    r"""A plain file's title: its first heading (``<h1>``…``<h6>``; in Markdown ``# …``), else its first
    line with text (tags removed, references decoded), cut at ``limit`` characters.

    >>> text_title("<p>intro</p><h2>Caf&eacute; <em>news</em></h2>", "html"), text_title("\n\n# Notes\nx", "markdown")
    ('Café news', 'Notes')
    >>> text_title("  [gallery]\nFirst real line", "text")
    '[gallery]'
    """
    found = _MD_HEADING.search(text) if fmt == "markdown" else None
    if found is None and fmt != "markdown":
        found = _HEADING.search(text)
    candidates = [found.group(found.lastindex or 0)] if found else text.splitlines()
    for raw in candidates:
        line = " ".join(html.unescape(_TAG.sub(" ", raw)).split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def text_post(path: PathLike, text: str, *, id: "str | None" = None) -> Post:
    """The post of a plain file ``path`` whose text is ``text`` (see :func:`read_text_file`): its title is
    :func:`text_title`'s, its slug the file name without its suffix (other dots kept)."""
    name = Path(path).name
    suffix = os.path.splitext(name)[1].lower()
    fmt = TEXT_SUFFIXES.get(suffix, "text")
    return Post(
        id=id if id is not None else name,
        title=text_title(text, fmt),
        slug=os.path.splitext(name)[0],
        content=text,
        content_field="file",
        fmt=fmt,
        source_file=str(path),
        content_anchors=((0, 1, 1),),
    )


def read_text_posts(path: PathLike, **_options: Any) -> Iterator[Post]:
    """The reader of the plain-file formats: one post (the options of other readers are ignored)."""
    yield read_text_file(path)
