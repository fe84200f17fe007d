"""What to do with each post: :class:`ConvertOptions`."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal, Mapping

from ..common.dates import coerce_date
from ..exports.post import Post
from ..wordpress.theme import Theme
from .modes import MODES

__all__ = ["ConvertOptions", "Mode", "PostFilter"]

#: The built-in modes' names (any name in :data:`~.modes.MODES` is accepted).
Mode = Literal["render", "normalize", "strip", "unwrap", "keep"]


@dataclass(frozen=True)
class PostFilter:
    """Which posts a job takes: by ``post_types`` and ``statuses`` (empty: all).

    >>> f = PostFilter(post_types=("posts",))
    >>> f.accepts(Post(type="post")), bool(f), bool(PostFilter())
    (False, True, False)
    >>> f.unmatched({"post": 12, "page": 3}, {"publish": 15})
    ["no post has the type 'posts' (the inputs have: post 12, page 3)"]
    """

    post_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.post_types or self.statuses)

    def accepts(self, post: Post) -> bool:
        """True when ``post`` passes both filters."""
        if self.post_types and post.type not in self.post_types:
            return False
        if self.statuses and post.status not in self.statuses:
            return False
        return True

    def describe(self) -> str:
        parts = []
        if self.post_types:
            parts.append(f"type {' or '.join(map(repr, self.post_types))}")
        if self.statuses:
            parts.append(f"status {' or '.join(map(repr, self.statuses))}")
        return "no post has " + " and ".join(parts)

    def unmatched(self, types: Mapping[str, int], statuses: Mapping[str, int]) -> list[str]:
        """A sentence per filter value that no post has, listing the values the posts do have."""
        out = []
        for what, wanted, seen in (("type", self.post_types, types), ("status", self.statuses, statuses)):
            missing = [v for v in wanted if v not in seen]
            if missing:
                have = ", ".join(f"{v or '(none)'} {n}" for v, n in sorted(seen.items(), key=lambda kv: -kv[1]))
                out.append(f"no post has the {what} {' or '.join(map(repr, missing))} "
                           f"(the inputs have: {have or 'no posts'})")
        return out


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
    (:meth:`Renderer.render_page`) instead of a fragment; ``xml``: the
    output is XML 1.0 (``--to wxr``), so a post whose new text holds a
    character XML cannot hold (a C0 control a template wrote) fails alone
    and is written through unchanged.  ``post_types``,
    ``statuses``: convert only posts of these types / statuses (empty: all).
    ``plugins``: the renderer's plugins (names or ``module:function``;
    ``None``: the default ones).  ``the_content``: run WordPress's
    ``the_content`` filters around the shortcodes (``render`` mode;
    :func:`shortcodes.wordpress.content.the_content`; ``autop`` is then
    the chain's).  ``theme``: the :class:`~shortcodes.wordpress.theme.Theme`
    the media tags are rendered for (``None``: the default), ``rtl``: the
    site's direction (``None``: each export's ``<language>`` decides).

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
    xml: bool = False
    unknown: str = "keep"
    strict: bool = False
    post_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    plugins: "tuple[str, ...] | None" = None
    the_content: bool = False
    theme: "Theme | None" = None
    rtl: "bool | None" = None

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

    def theme_for(self, site_rtl: bool) -> Theme:
        """The theme to render an export with: :attr:`theme`, its direction ``rtl`` or else the export's."""
        theme = self.theme if self.theme is not None else Theme()
        rtl = self.rtl if self.rtl is not None else site_rtl
        return theme if theme.rtl == rtl else theme.with_(rtl=rtl)

    @property
    def filter(self) -> PostFilter:
        """The ``post_types`` and ``statuses`` filters."""
        return PostFilter(self.post_types, self.statuses)

    def accepts(self, post: Post) -> bool:
        """True when ``post`` passes the ``post_types`` and ``statuses`` filters."""
        return self.filter.accepts(post)
