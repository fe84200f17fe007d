"""What to do with each post: :class:`ConvertOptions`."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from ..common.dates import coerce_date
from ..exports.post import Post
from .modes import MODES

__all__ = ["ConvertOptions", "Mode"]

#: The built-in modes' names (any name in :data:`~.modes.MODES` is accepted).
Mode = Literal["render", "normalize", "strip", "unwrap", "keep"]


@dataclass(frozen=True)
class ConvertOptions:
    """What to do with each post.

    ``mode``: one of :data:`MODES`.  ``tags``: the names that count as
    shortcodes (``None``: those with a template or handler, or, when
    ``all_tags``, those that count as shortcodes in each post by the rule
    of :mod:`shortcodes.core.classify`).  ``templates``, ``locale``, ``unknown``,
    ``strict``: passed to the :class:`~shortcodes.renderer.Renderer`
    (``render`` mode).  ``as_of``: ``"latest"``, ``"post-date"`` (each
    post's ``wp:post_date``) or a ``YYYY-MM-DD`` date.  ``stats``: a data
    source spec for :func:`shortcodes.sources.provider_from_spec` (default:
    the bundled data).  ``autop``: run WordPress's ``wpautop`` first (as
    ``the_content`` does); ``page``: produce a whole HTML5 page per post
    (:meth:`Renderer.render_page`) instead of a fragment.  ``post_types``,
    ``statuses``: convert only posts of these types / statuses (empty: all).
    ``plugins``: the renderer's plugins (names or ``module:function``;
    ``None``: the default ones).

    >>> ConvertOptions(as_of="2021-10-10").as_of
    '2021-10-10'
    >>> ConvertOptions(mode="paint")
    Traceback (most recent call last):
    ...
    ValueError: mode='paint': expected one of render, normalize, strip, unwrap, keep
    """

    mode: str = "render"
    tags: "tuple[str, ...] | None" = None
    all_tags: bool = False
    templates: tuple[str, ...] = ()
    locale: "str | None" = None
    as_of: str = "latest"
    stats: "str | None" = None
    autop: bool = False
    page: bool = False
    unknown: str = "keep"
    strict: bool = False
    post_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    plugins: "tuple[str, ...] | None" = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode={self.mode!r}: expected one of {', '.join(MODES.names())}")
        if self.tags is not None:
            object.__setattr__(self, "tags", tuple(dict.fromkeys(
                [self.tags] if isinstance(self.tags, str) else self.tags)))
        object.__setattr__(self, "templates", tuple(os.fspath(t) for t in (
            [self.templates] if isinstance(self.templates, (str, os.PathLike)) else self.templates)))
        object.__setattr__(self, "post_types", tuple(self.post_types))
        object.__setattr__(self, "statuses", tuple(self.statuses))
        if self.plugins is not None:
            object.__setattr__(self, "plugins", tuple(self.plugins))
        if self.as_of not in ("latest", "post-date"):
            try:
                coerce_date(self.as_of)
            except (TypeError, ValueError):
                raise ValueError(f"as_of={self.as_of!r}: expected 'latest', 'post-date' or a date "
                                 "YYYY-MM-DD") from None

    def accepts(self, post: Post) -> bool:
        """True when ``post`` passes the ``post_types`` and ``statuses`` filters."""
        if self.post_types and post.type not in self.post_types:
            return False
        if self.statuses and post.status not in self.statuses:
            return False
        return True
