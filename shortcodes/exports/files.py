"""Reading plain files (``.html``, ``.htm``, ``.txt``, ``.md``): one file, one post."""
from __future__ import annotations

import os
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


def text_post(path: PathLike, text: str, *, id: "str | None" = None) -> Post:
    """The post of a plain file ``path`` whose text is ``text`` (see :func:`read_text_file`)."""
    name = Path(path).name
    suffix = os.path.splitext(name)[1].lower()
    return Post(
        id=id if id is not None else name,
        slug=os.path.splitext(name)[0],
        content=text,
        content_field="file",
        fmt=TEXT_SUFFIXES.get(suffix, "text"),
        source_file=str(path),
        content_anchors=((0, 1, 1),),
    )


def read_text_posts(path: PathLike, **_options: Any) -> Iterator[Post]:
    """The reader of the plain-file formats: one post (the options of other readers are ignored)."""
    yield read_text_file(path)
