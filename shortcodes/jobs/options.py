"""What to do with each post: :class:`ConvertOptions`."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal, Mapping, Sequence

from ..common.dates import coerce_date
from ..exports.post import TEXT_FORMATS, Post
from ..wordpress.theme import Theme
from .modes import MODES

__all__ = ["ConvertOptions", "Mode", "PostFilter", "NEVER_PAGES", "ANY"]

#: The built-in modes' names (any name in :data:`~.modes.MODES` is accepted).
Mode = Literal["render", "normalize", "strip", "unwrap", "keep"]


#: Post types that are never pages of a site, whatever is asked: menu entries, reusable blocks, block
#: navigation menus, revisions and the other internals WordPress exports.
NEVER_PAGES: frozenset[str] = frozenset({
    "nav_menu_item", "wp_block", "wp_navigation", "revision", "wp_template", "wp_template_part",
    "wp_global_styles", "custom_css", "customize_changeset", "oembed_cache", "user_request", "wp_font_family",
    "wp_font_face"})
#: What a site output takes when not told otherwise.
SITE_TYPES = ("post", "page")
SITE_STATUSES = ("publish",)
#: The value of ``--post-type``/``--status`` that takes every type (but :data:`NEVER_PAGES` and
#: attachments, which are named to be taken) or every status.
ANY = "any"


@dataclass(frozen=True)
class PostFilter:
    """Which posts a job takes: by ``post_types`` and ``statuses`` (empty: all), never ``never_types``,
    password-protected posts only when ``protected``.

    ``named_types``/``named_statuses`` are the values a person asked for: a site output
    (:meth:`for_site`) refuses one that no post has (:meth:`unmatched`).

    >>> f = PostFilter(post_types=("posts",))
    >>> f.accepts(Post(type="post")), bool(f), bool(PostFilter())
    (False, True, False)
    >>> f.unmatched({"post": 12, "page": 3}, {"publish": 15})
    ["no post has the type 'posts' (the inputs have: post 12, page 3)"]
    >>> site = PostFilter.for_site()
    >>> [site.reason(p) for p in (Post(type="post", status="publish"), Post(type="post", status="draft"),
    ...                           Post(type="nav_menu_item", status="publish"), Post(type="post", status="publish",
    ...                                                                             password="x"))]
    [None, 'status draft', 'type nav_menu_item', 'password-protected']
    >>> PostFilter.for_site(("post", "attachment")).reason(Post(type="attachment", status="inherit")) is None
    True
    """

    post_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    never_types: frozenset[str] = frozenset()
    protected: bool = True
    named_types: tuple[str, ...] = ()
    named_statuses: tuple[str, ...] = ()
    strict: bool = False

    @classmethod
    def for_site(cls, post_types: Sequence[str] = (), statuses: Sequence[str] = (), *,
                 protected: bool = False) -> "PostFilter":
        """The filter of a site output (``--to html``/``markdown``): published posts and pages unless
        ``post_types``/``statuses`` say otherwise (``any``: every status; every type but
        :data:`NEVER_PAGES` and, unless named, attachments); password-protected posts only with
        ``protected``.  A type of :data:`NEVER_PAGES` asked for is a :class:`ValueError`."""
        never = sorted(t for t in post_types if t in NEVER_PAGES)
        if never:
            raise ValueError(f"--post-type {','.join(never)}: {'these are' if len(never) > 1 else 'this is'} "
                             "never a page of a site (menu items, reusable blocks, navigation menus, revisions "
                             f"are WordPress internals: {', '.join(sorted(NEVER_PAGES))})")
        named_types = tuple(t for t in post_types if t != ANY)
        named_statuses = tuple(s for s in statuses if s != ANY)
        excluded = set(NEVER_PAGES)
        if ANY in post_types:
            types: tuple[str, ...] = ()
            if "attachment" not in post_types:
                excluded.add("attachment")
        else:
            types = tuple(post_types) or SITE_TYPES
        status_list = () if ANY in statuses else (tuple(statuses) or SITE_STATUSES)
        return cls(types, status_list, frozenset(excluded), protected, named_types, named_statuses, strict=True)

    def __bool__(self) -> bool:
        return bool(self.post_types or self.statuses or self.never_types or not self.protected)

    def reason(self, post: Post) -> "str | None":
        """Why ``post`` is left out (``type X``, ``status X``, ``password-protected``), ``None`` when taken.

        For a site filter, a plain file (no type, no status) is a published post."""
        kind, status = post.type, post.status
        if self.strict and post.fmt in TEXT_FORMATS:
            kind, status = kind or "post", status or "publish"
        if self.strict and kind == "attachment" and status == "inherit":
            status = "publish"  # an attachment's page is as public as the post it belongs to
        if kind in self.never_types or (self.post_types and kind not in self.post_types):
            return f"type {kind or '(none)'}"
        if self.statuses and status not in self.statuses:
            return f"status {status or '(none)'}"
        if not self.protected and post.protected:
            return "password-protected"
        return None

    def accepts(self, post: Post) -> bool:
        """True when ``post`` passes the filters."""
        return self.reason(post) is None

    def describe(self) -> str:
        parts = []
        if self.post_types:
            parts.append(f"type {' or '.join(map(repr, self.post_types))}")
        if self.statuses:
            parts.append(f"status {' or '.join(map(repr, self.statuses))}")
        if not self.protected:
            parts.append("no password")
        return "no post has " + " and ".join(parts)

    def unmatched(self, types: Mapping[str, int], statuses: Mapping[str, int]) -> list[str]:
        """A sentence per filter value that no post has, listing the values the posts do have
        (for a site filter, only the values a person named)."""
        out = []
        wanted_types = self.named_types if self.strict else self.post_types
        wanted_statuses = self.named_statuses if self.strict else self.statuses
        for what, wanted, seen in (("type", wanted_types, types), ("status", wanted_statuses, statuses)):
            missing = [v for v in wanted if v not in seen]
            if missing:
                have = ", ".join(f"{v or '(none)'} {n}" for v, n in sorted(seen.items(), key=lambda kv: -kv[1]))
                out.append(f"no post has the {what} {' or '.join(map(repr, missing))} "
                           f"(the inputs have: {have or 'no posts'})")
        return out

    def left_out(self, reasons: Mapping[str, int], read: int) -> "str | None":
        """One sentence saying what was left out and why (``None`` when nothing was)."""
        if not reasons:
            return None
        total = sum(reasons.values())
        hints = {"type attachment": "--post-type attachment writes them",
                 "password-protected": "--protected writes them, marked as such"}
        parts = []
        statuses = False
        for why, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            kind, _, value = why.partition(" ")
            label = (value if value != "(none)" else f"with no {kind}") if kind in ("type", "status") else why
            if why in hints:
                label += f" ({hints[why]})"
            elif kind == "type" and value in NEVER_PAGES:
                label += " (never pages)"
            statuses = statuses or kind == "status"
            parts.append(f"{n} {label}")
        tail = "; --status and --post-type widen the selection (any: all)" if statuses or any(
            w.startswith("type ") and w.partition(" ")[2] not in NEVER_PAGES | {"attachment"} for w in reasons) else ""
        return f"left out {total} of {read} items: {', '.join(parts)}{tail}"


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
    ``site``: the output is a site (``--to
    html``/``markdown``): the filters are :meth:`PostFilter.for_site`'s
    (published posts and pages unless told otherwise, never menu items or
    revisions, ``any``), and ``protected`` takes password-protected posts too.
    ``keep_shortcodes``: tags not rendered but kept, for the Markdown output
    to write through (:mod:`shortcodes.jobs.kept`).  ``inline_styles=False``: the stylesheets the rendered tags ask for are
    left out of the text and named in :attr:`PostResult.stylesheets`, for the
    output to write once.

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
    site: bool = False
    protected: bool = False
    keep_shortcodes: tuple[str, ...] = ()
    inline_styles: bool = True
    _filter: PostFilter = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode={self.mode!r}: expected one of {', '.join(MODES.names())}")
        if self.tags is not None:
            object.__setattr__(self, "tags", tuple(dict.fromkeys(
                [self.tags] if isinstance(self.tags, str) else self.tags)))
        object.__setattr__(self, "templates", tuple(os.fspath(t) for t in (
            [self.templates] if isinstance(self.templates, (str, os.PathLike)) else self.templates)))
        object.__setattr__(self, "post_types", tuple(self.post_types))
        object.__setattr__(self, "keep_shortcodes", tuple(self.keep_shortcodes))
        object.__setattr__(self, "statuses", tuple(self.statuses))
        if self.plugins is not None:
            object.__setattr__(self, "plugins", tuple(self.plugins))
        object.__setattr__(self, "_filter", PostFilter.for_site(self.post_types, self.statuses,
                                                               protected=self.protected)
                           if self.site else PostFilter(self.post_types, self.statuses))
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
        """The ``post_types`` and ``statuses`` filters (:meth:`PostFilter.for_site` when ``site``)."""
        return self._filter

    def accepts(self, post: Post) -> bool:
        """True when ``post`` passes :attr:`filter`."""
        return self._filter.accepts(post)
