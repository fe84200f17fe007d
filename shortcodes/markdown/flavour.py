"""Flavours: one per static-site generator, looked up by name in a registry.

Adding a flavour is one module with a :class:`Flavour` subclass and one
:func:`register` call (the built-in ones register themselves when
:mod:`shortcodes.markdown` is imported).

>>> sorted(names())
['astro', 'commonmark', 'hugo', 'jekyll']
>>> get("hugo").extension, get("astro").syntax.mdx
('.md', True)
>>> get("wordpress")
Traceback (most recent call last):
...
KeyError: "unknown Markdown flavour 'wordpress': expected one of astro, commonmark, hugo, jekyll"
"""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Any, ClassVar

from .convert import Syntax

if TYPE_CHECKING:
    from .kept import Style
    from .options import MarkdownOptions
    from .page import Page

__all__ = ["Flavour", "get", "names", "register", "unfenced_lines", "relative_url"]


def relative_url(source: str, target: str, *, folder: bool = False) -> str:
    """The relative, URL-quoted link from the file ``source`` to ``target`` (site paths, ``/``-separated);
    ``folder``: to ``target``'s folder, with a trailing ``/`` (a page served as ``folder/index.html``).

    >>> relative_url("posts/a.md", "uploads/2021/10/a b.jpg"), relative_url("c/p/a/index.md", "c/p/b/index.md", folder=True)
    ('../uploads/2021/10/a%20b.jpg', '../b/')
    """
    from urllib.parse import quote

    if folder:
        rel = posixpath.relpath(posixpath.dirname(target) or ".", posixpath.dirname(source) or ".")
        return "./" if rel == "." else quote(rel) + "/"
    return quote(posixpath.relpath(target, posixpath.dirname(source) or "."))

_REGISTRY: dict[str, Flavour] = {}


class Flavour:
    """What one generator needs: where files go, their front matter, and the last escapes.

    Subclasses set the class attributes and override :meth:`path` and
    :meth:`front_matter`; :meth:`finish_body` escapes what the generator
    would otherwise read as its own syntax in the converted body (before
    kept shortcodes are put back, so those are never escaped).
    :meth:`asset_path`, :meth:`asset_url`, :meth:`front_matter_url` and
    :meth:`page_url` say where the files a post uses are copied
    (``--uploads``) and how a page links them and the other pages, as the
    generator lays a site out (the defaults: relative to the file).
    """

    name: ClassVar[str] = ""
    syntax: ClassVar[Syntax] = Syntax()
    extension: ClassVar[str] = ".md"
    native_style: ClassVar[Style] = "verbatim"
    front_matter_default: ClassVar[bool] = True
    title_heading: ClassVar[bool] = False

    def path(self, page: Page) -> str:
        """The file's path relative to the site root, with ``/`` separators."""
        raise NotImplementedError

    def front_matter(self, page: Page, options: MarkdownOptions) -> dict[str, Any]:
        """The front matter mapping (keys in the order they are written)."""
        raise NotImplementedError

    def finish_body(self, body: str, notes: list[str]) -> str:
        """The body after conversion; the default changes nothing."""
        return body

    # -- where the files a post uses go, and how the site links (``--uploads``, links between posts) --

    def asset_path(self, page_path: str, upload: str) -> str:
        """Where the file ``upload`` (its path under ``wp-content/uploads``) of the page written at
        ``page_path`` is copied, relative to the site root; the default: ``uploads/<upload>``."""
        return f"uploads/{upload}"

    def asset_url(self, page_path: str, asset: str) -> str:
        """The URL the text of the page at ``page_path`` uses for the copied file ``asset`` (a site
        path); the default: relative to the page's file."""
        return relative_url(page_path, asset)

    def front_matter_url(self, page_path: str, asset: str) -> str:
        """The same, in the front matter (where the generator's template language does not run)."""
        return self.asset_url(page_path, asset)

    def page_url(self, page_path: str, target: str) -> str:
        """The URL the page at ``page_path`` links the page written at ``target`` with; the default:
        relative to the page's file."""
        return relative_url(page_path, target)

    def __repr__(self) -> str:
        return f"<Markdown flavour {self.name}>"


def register(flavour: Flavour) -> Flavour:
    """Add (or replace) ``flavour`` under its ``name``; returns it."""
    if not flavour.name:
        raise ValueError("a flavour needs a name")
    _REGISTRY[flavour.name] = flavour
    return flavour


def get(name: str | Flavour) -> Flavour:
    """The flavour registered as ``name`` (a flavour object is returned as it is)."""
    if isinstance(name, Flavour):
        return name
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown Markdown flavour {name!r}: expected one of {', '.join(sorted(_REGISTRY))}") from None


def names() -> tuple[str, ...]:
    """The registered flavour names."""
    return tuple(_REGISTRY)


_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def unfenced_lines(lines: list[str]) -> list[bool]:
    """For each line, True when it is outside a fenced code block (top-level fences only)."""
    inside = ""
    flags = []
    for line in lines:
        m = _FENCE.match(line)
        if m:
            mark = m.group(1)
            if not inside:
                inside = mark
                flags.append(False)
                continue
            if mark[0] == inside[0] and len(mark) >= len(inside):
                inside = ""
                flags.append(False)
                continue
        flags.append(not inside)
    return flags
