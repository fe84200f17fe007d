"""Converting one post: :class:`Converter`, and the date of a post's figures (:func:`post_as_of`)."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from .. import media
from ..cards.figures import provider_from_spec
from ..common.errors import RenderError, SourceUnavailable
from ..core.nodes import Diagnostic
from ..exports.post import Post
from ..exports.site import PostInfo, Site
from ..exports.wxr.rewriter import _XML_INVALID  # the characters XML 1.0 cannot hold: one definition, the writer's
from ..php.numbers import intval
from ..renderer.engine import Renderer
from .kept import keep_handler
from .modes import MODES, Outcome, TextJob
from .options import ConvertOptions
from .results import PostResult, Problem, merge_counts

__all__ = ["Converter", "post_as_of"]


def post_as_of(post: Post, as_of: str) -> "tuple[_dt.date | None, str | None]":
    """The date of the figures for ``post`` and, when it cannot be had, why.

    >>> post_as_of(Post(date="2021-10-10 08:30:00"), "post-date")
    (datetime.date(2021, 10, 10), None)
    >>> post_as_of(Post(date="0000-00-00 00:00:00"), "post-date")[1]
    "the post has no usable date ('0000-00-00 00:00:00'); the latest figures were used"
    >>> post_as_of(Post(), "2020-05-01")
    (datetime.date(2020, 5, 1), None)
    """
    if as_of == "latest":
        return None, None
    if as_of != "post-date":
        return _dt.date.fromisoformat(as_of), None
    raw = (post.date or post.date_gmt).strip()
    try:
        return _dt.date.fromisoformat(raw[:10]), None
    except ValueError:
        return None, f"the post has no usable date ({raw!r}); the latest figures were used"


def _offset_of(text: str, line: "int | None", column: "int | None") -> int:
    """The offset in ``text`` of 1-based ``line``:``column`` (clamped)."""
    if not line:
        return 0
    pos = 0
    for _ in range(line - 1):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return min(len(text), pos + max((column or 1) - 1, 0))


def _problem(post: Post, offset: "int | None", fld: str, severity: str, kind: str, message: str) -> Problem:
    if offset is None:
        line, col = post.source_line, post.source_column
    else:
        line, col = post.position(offset, field=fld)
    return Problem(file=post.source_file, line=line, column=col, post_id=post.id, title=post.title,
                   severity=severity, kind=kind, message=message, label=post.label)


class Converter:
    """Converts posts one at a time according to :class:`ConvertOptions`.

    ``renderer`` replaces the one built from the options (``render`` mode;
    its handlers are used; ``tags``/``autop``/``strict`` are the
    renderer's own).  A converter is reusable and keeps no state between
    posts.  With ``options.stats`` the figures are read when the converter
    is made (an unusable source raises
    :class:`~shortcodes.common.errors.SourceUnavailable` then).

    >>> conv = Converter(ConvertOptions(mode="keep"))
    >>> conv.convert_post(Post(content="[gallery]")).changed
    False
    """

    def __init__(self, options: "ConvertOptions | None" = None, *, renderer: "Renderer | None" = None) -> None:
        self.options = options = options or ConvertOptions()
        provider = None
        if options.stats:  # read once, now: an unusable source is one error, not one per card
            try:
                provider = provider_from_spec(options.stats, check=True)
            except OSError as exc:  # a file that does not exist
                raise SourceUnavailable(options.stats, exc.strerror or str(exc)) from None
        keep = options.keep_shortcodes
        if renderer is None:
            renderer = Renderer(templates=options.templates, locale=options.locale, provider=provider,
                                unknown=options.unknown, autop=options.autop, strict=options.strict,
                                plugins=options.plugins)
            for tag in keep:  # before the known tags are taken: a kept tag counts as one
                renderer.register(tag, keep_handler)
            if options.all_tags:
                tags: "tuple[str, ...] | None" = None
            elif options.tags is not None:
                tags = options.tags
            else:
                tags = tuple(sorted(renderer.known_tags))
            renderer.tags = tags
        elif keep:
            for tag in keep:
                renderer.register(tag, keep_handler)
            if renderer.tags is not None:
                renderer.tags = tuple(dict.fromkeys((*renderer.tags, *keep)))
        self.renderer = renderer
        self.tags: "tuple[str, ...] | None" = renderer.tags
        # Pages for the modes that do not render: nothing counts as a shortcode.
        self._plain = Renderer(templates=options.templates, locale=options.locale, autop=options.autop, tags=(),
                               plugins=options.plugins)
        self._unwrapper: "Renderer | None" = None
        #: Each export's site model by file name (:func:`~shortcodes.jobs.convert.convert` reads them).
        self.sites: dict[str, Site] = {}
        self._prepared: "tuple[str, Any] | None" = None

    def warm(self) -> None:
        """Load now what the first post converted would load on its own (module caches: the grammar's
        tables, compiled expressions, Babel's locale data, the bundled figures; this converter's compiled
        templates), so that the processes forked after this share them instead of each loading them
        again (``--jobs N``: ~0.2 CPU-s per process).  It converts one post with each known tag and drops
        the result: a converter keeps no state between posts (its memo of pure renderings may gain an
        entry, which gives what rendering gives), so nothing it gives changes, and nothing is said.
        Only in ``render`` mode with the bundled figures (a ``stats`` source may be remote)."""
        if self.options.mode != "render" or self.options.stats:
            return
        text = " ".join(f"[{tag}]" for tag in sorted(self.renderer.known_tags))
        self.convert_post(Post(id="1", title="t", date="2021-10-10 09:00:00", content=f"<p>{text}</p>"))

    def site_for(self, post: "Post | None") -> Site:
        """The site model of the export ``post`` comes from (empty when not read)."""
        if post is None:
            return Site.empty()
        return self.sites.get(post.source_file) or Site.empty()

    def prepare(self, post: "Post | None") -> Site:
        """Give the renderer's media plugin the site and theme of ``post``'s export; return the site."""
        site = self.site_for(post)
        key = (post.source_file if post is not None else "", id(site))
        if self._prepared != key:
            self._prepared = key
            theme = self.options.theme_for(site.rtl)
            try:
                media.configure(self.renderer, site=site, theme=theme)
            except LookupError:  # a renderer without the media plugin
                pass
        return site

    def plain_page(self, html: str, post: "Post | None") -> str:
        """``html`` as a whole page, no shortcode run (what the modes that do not render give)."""
        return self._plain.render_page(html, post=post)

    def post_info(self, post: "Post | None", site: Site) -> "PostInfo | None":
        """The displayed post as the site model has it (or as it was read)."""
        if post is None:
            return None
        found = site.posts.get(intval(post.id)) if post.id else None
        return found if found is not None else PostInfo.from_post(post)

    @property
    def unwrapper(self) -> Renderer:
        """The renderer of the ``unwrap`` mode: no tag is known, every counted one is stripped, nothing
        inside HTML tags runs (as ``strip_shortcodes()``)."""
        if self._unwrapper is None:
            self._unwrapper = Renderer(plugins=(), unknown="strip", tags=(), ignore_html=True)
        return self._unwrapper

    # -- one text -------------------------------------------------------------

    def convert_text(self, text: str, *, post: "Post | None" = None, as_of: "_dt.date | None" = None,
                     page: bool = False, fld: str = "content", stylesheets: "list[str] | None" = None) -> Outcome:
        """``(new text, counts, diagnostics)`` for one text; may raise.

        Diagnostics' spans are offsets in ``text``.  With ``options.inline_styles`` off, the
        stylesheets the text needs are appended to ``stylesheets`` instead of written into it.
        """
        mode = MODES[self.options.mode]
        job = TextJob(post, as_of, page, inline_styles=self.options.inline_styles)
        new, counts, diagnostics = mode.run(self, text, job)
        if stylesheets is not None:
            stylesheets.extend(n for n in job.stylesheets if n not in stylesheets)
        if page and not mode.makes_pages:
            new = self._plain.render_page(new, post=post)
        elif self.options.site and not mode.makes_pages and fld == "content":
            # a site's pages get the_content's formatting in every mode (wpautop or do_blocks)
            res = self._plain.render_result(new, post=post, inline_styles=False)
            new = res.html
            if stylesheets is not None:
                stylesheets.extend(n for n in res.stylesheets if n not in stylesheets)
        return new, counts, diagnostics

    # -- one post -------------------------------------------------------------

    def convert_post(self, post: Post) -> PostResult:
        """Convert ``post``'s content (and excerpt); never raises for a bad post."""
        opts = self.options
        if not opts.accepts(post):
            return PostResult(content=post.content, excerpt=post.excerpt, skipped=True)
        as_of, why_not = post_as_of(post, opts.as_of)
        problems: list[Problem] = []
        notes: list[Problem] = []
        counts: dict[str, dict[str, int]] = {}
        fld = "content"
        styles: list[str] = []
        try:
            content, c_counts, c_diags = self.convert_text(post.content, post=post, as_of=as_of,
                                                           page=opts.page, fld="content", stylesheets=styles)
            merge_counts(counts, c_counts)
            self._sort(post, "content", c_diags, problems, notes)
            excerpt = post.excerpt
            if "[" in post.excerpt:
                fld = "excerpt"
                excerpt, e_counts, e_diags = self.convert_text(post.excerpt, post=post, as_of=as_of, fld="excerpt",
                                                               stylesheets=styles)
                merge_counts(counts, e_counts)
                self._sort(post, "excerpt", e_diags, problems, notes)
        except Exception as exc:  # noqa: BLE001 - one bad post must not stop the run
            return self._failed(post, fld, exc)
        if opts.xml:
            for name, text, old in (("content", content, post.content), ("excerpt", excerpt, post.excerpt)):
                bad = _XML_INVALID.search(text) if text != old else None
                if bad:
                    return self._failed(post, name, ValueError(
                        f"the new {name} holds U+{ord(bad.group()):04X}, which XML 1.0 cannot hold"), typed=False)
        if why_not and any(e.get("rendered") for e in counts.values()):
            problems.append(_problem(post, None, "content", "warning", "no-post-date", why_not))
        changed = content != post.content or excerpt != post.excerpt
        return PostResult(content=content, excerpt=excerpt, page=content if opts.page else None, counts=counts,
                          problems=tuple(problems), notes=tuple(notes), changed=changed, stylesheets=tuple(styles))

    def _sort(self, post: Post, fld: str, diags: Iterable[Diagnostic], problems: list[Problem],
              notes: list[Problem]) -> None:
        for d in diags:
            p = _problem(post, d.span[0], fld, d.severity, d.kind, d.message)
            (notes if d.severity == "info" else problems).append(p)

    def _failed(self, post: Post, fld: str, exc: Exception, *, typed: bool = True) -> PostResult:
        text = post.content if fld == "content" else post.excerpt
        if isinstance(exc, RenderError):
            offset: "int | None" = _offset_of(text, exc.line, exc.column) if exc.line else None
            message = exc.reason
        else:
            offset = None
            message = f"{type(exc).__name__}: {exc}" if typed else str(exc)
        error = _problem(post, offset, fld, "error", "post-failed",
                         f"not converted ({message}); written through unchanged")
        page = None
        if self.options.page:
            page = self._plain.render_page(post.content, post=post)
        return PostResult(content=post.content, excerpt=post.excerpt, page=page, problems=(error,), error=error)
