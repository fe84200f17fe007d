"""Examples of a tag for galleries and tests: :class:`Variant`, and the variants plugins give their tags.

A plugin offers variants for its tags with
``renderer.add_variants(tag, fn)`` (``fn() -> tuple[Variant, ...]``); a tag
without any gets :func:`default_variants`.  ``shortcodes gallery`` renders
them side by side (:mod:`shortcodes.jobs.gallery`).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from ..core.serialize import build_shortcode

__all__ = ["Variant", "default_variants"]


@dataclass(frozen=True)
class Variant:
    """One way of writing a tag, shown in the gallery.

    ``name`` becomes the HTML id (``v-<name>``) and must be unique within its
    page; ``source`` is the shortcode text rendered; ``as_of`` and
    ``locale`` are given to the renderer; ``dir`` is the direction of the
    page around the variant (``None``: the gallery's, left to right).

    >>> Variant("demo", "A demo", "[x]").section
    'Variants'
    """

    name: str
    title: str
    source: str
    section: str = "Variants"
    note: str = ""
    as_of: _dt.date | None = None
    locale: str | None = None
    dir: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", self.name):
            raise ValueError(f"variant name {self.name!r}: use letters, digits, '-', '_' and '.'")
        if self.dir not in (None, "ltr", "rtl"):
            raise ValueError(f"variant {self.name}: dir={self.dir!r} is not 'ltr' or 'rtl'")


def default_variants(tag: str, *, uses_content: bool = False) -> tuple[Variant, ...]:
    """What a template without a known variant set gets: the bare tag, and enclosing text if it uses it.

    >>> [v.source for v in default_variants("pullquote", uses_content=True)]
    ['[pullquote]', '[pullquote]An example sentence, with <em>markup</em>.[/pullquote]']
    """
    out = [Variant("bare", "No attributes", build_shortcode(tag), "Defaults")]
    if uses_content:
        out.append(Variant("bare-content", "No attributes, enclosing text",
                           build_shortcode(tag, None, "An example sentence, with <em>markup</em>."), "Defaults"))
    return tuple(out)
