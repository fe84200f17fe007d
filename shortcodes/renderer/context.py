"""What a handler or template knows while it renders, and what a rendering returns.

* :class:`RenderCall`: the state of one ``render*()`` call, shared by every
  tag in it (date, post, diagnostics, counts, stylesheets written, ids);
* :class:`RenderContext`: what one tag's handler or template gets as ``ctx``:
  its node, its rendered content, and the call's settings.  A context is
  made for each tag and never changed afterwards, so a handler may keep it;
* :class:`RenderResult`: the HTML, the diagnostics and the per-tag counts.
"""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Mapping

from markupsafe import Markup, escape

from ..common.lines import LineIndex
from ..core.nodes import Diagnostic, Document, Node, Shortcode, Span
from .templates import style_element

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

    from ..exports.post import Post
    from .engine import Renderer

__all__ = ["RenderResult", "RenderContext", "RenderCall", "COUNT_KEYS"]

#: The keys of every entry of :attr:`RenderResult.counts`.
COUNT_KEYS: tuple[str, ...] = ("rendered", "kept", "stripped", "failed")


@dataclass(frozen=True)
class RenderResult:
    """The output of :meth:`Renderer.render_result`.

    ``html`` is the rendered text; ``diagnostics`` the parse diagnostics
    followed by those found while rendering (positions refer to the text
    given to the renderer, before ``autop``); ``counts`` maps each tag name
    met to ``{"rendered": n, "kept": n, "stripped": n, "failed": n}``
    (``kept`` covers tags written back as source, as comments, or escaped);
    ``stylesheets`` names the stylesheets the rendered tags asked for, in
    order (see :meth:`RenderContext.stylesheet`).
    """

    html: str
    diagnostics: tuple[Diagnostic, ...] = ()
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: MappingProxyType({}))
    stylesheets: tuple[str, ...] = ()

    @property
    def problems(self) -> tuple[Diagnostic, ...]:
        """Diagnostics that are warnings or errors (not ``info``)."""
        return tuple(d for d in self.diagnostics if d.severity != "info")

    def __str__(self) -> str:
        return self.html


class RenderCall:
    """The state of one ``render*()`` call: positions, diagnostics, counts, styles, ids.

    ``source`` is the text that was parsed (after ``autop``), ``original``
    the text given; ``origin`` maps the nodes of the first to the spans of
    the second, so diagnostics point into what the user wrote.
    """

    def __init__(self, renderer: "Renderer", source: str, doc: Document, original: str,
                 origin: dict[int, Span], *, as_of: _dt.date | None, post: "Mapping[str, Any] | None",
                 post_record: "Post | None", page: bool, inline_styles: bool = True) -> None:
        self.renderer = renderer
        self.source = source
        self.doc = doc
        self.original = original
        self.origin = origin  # id(node in doc) -> span in the original text
        self.as_of = as_of
        self.post: Mapping[str, Any] | None = None if post is None else MappingProxyType(dict(post))
        self.post_record = post_record
        self.page = page
        self.inline_styles = inline_styles and not page
        self.diagnostics: list[Diagnostic] = []
        self.counts: dict[str, dict[str, int]] = {}
        self.styles: list[str] = []
        self.ids: dict[str, int] = defaultdict(int)
        self.transformed: dict[int, Span] = {}  # id(node of an attribute) -> span in source (after autop)
        self.depth = 0  # nested lazy content renderings (see Renderer)
        self._kept: list[Document] = []  # the attribute documents whose node ids are keys above
        self._index: LineIndex | None = None
        self._transformed_index: LineIndex | None = None

    def count(self, name: str, key: str) -> None:
        entry = self.counts.get(name)
        if entry is None:
            entry = self.counts[name] = dict.fromkeys(COUNT_KEYS, 0)
        entry[key] += 1

    def where(self, node: "Node | None") -> tuple[Span, int, int, str]:
        """(span, line, column, note) of ``node`` in the original text."""
        if node is None:
            return (0, 0), 1, 1, ""
        span = self.origin.get(id(node))
        if span is None and self.source is self.original:
            span = node.span
        if span is not None:
            return span, *self.line_col(span[0]), ""
        span = self.transformed.get(id(node)) or node.span
        if self._transformed_index is None:
            self._transformed_index = LineIndex(self.source)
        line, col = self._transformed_index.line_col(span[0])
        return span, line, col, " (position after autop)"

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset`` in the original text."""
        if self._index is None:
            self._index = LineIndex(self.original)
        return self._index.line_col(offset)

    def place(self, doc: Document, offset: int, original_offset: "int | None") -> None:
        """Record where the nodes of ``doc`` (a text parsed on its own: an attribute's shortcode) are.

        ``offset``: where ``doc``'s text starts in :attr:`source`;
        ``original_offset``: in the original text (``None``: not known, after autop).
        Its parse diagnostics join the call's.
        """
        self._kept.append(doc)
        for node in doc.walk():
            a, b = node.span
            if original_offset is not None:
                self.origin[id(node)] = (a + original_offset, b + original_offset)
            else:
                self.transformed[id(node)] = (a + offset, b + offset)
        for d in doc.diagnostics:
            a, b = d.span
            if original_offset is not None:
                line, col = self.line_col(a + original_offset)
                self.diagnostics.append(Diagnostic(d.kind, d.message, (a + original_offset, b + original_offset),
                                                   line, col, d.severity))
            else:
                if self._transformed_index is None:
                    self._transformed_index = LineIndex(self.source)
                line, col = self._transformed_index.line_col(a + offset)
                self.diagnostics.append(Diagnostic(d.kind, d.message + " (position after autop)",
                                                   (a + offset, b + offset), line, col, d.severity))

    def diagnose(self, kind: str, message: str, node: "Node | None", severity: str = "warning") -> Diagnostic:
        span, line, col, note = self.where(node)
        d = Diagnostic(kind, message + note, span, line, col, severity)
        self.diagnostics.append(d)
        return d

    def result(self, html: str) -> RenderResult:
        counts = MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.counts.items()})
        return RenderResult(html, tuple(self.diagnostics), counts, tuple(self.styles))


class RenderContext:
    """What a template (as ``ctx``) or a handler knows while one tag is rendered.

    ``node`` (the :class:`~shortcodes.core.nodes.Shortcode`), ``content``
    (its rendered children, :class:`~markupsafe.Markup`) and ``raw_content``
    (the enclosed source, or ``None``) describe the tag.  ``content`` is
    rendered on first use, once: a handler or template that never uses it
    does not pay for its children.  ``in_attribute``: the tag stands inside
    an HTML attribute value (``<a title="[tag]">``), where WordPress runs it
    too and then filters the attribute with KSES; stylesheets are not
    written there.  The settings of the call: ``renderer``; ``locale`` (a
    :class:`babel.Locale` or ``None``); ``locale_tag`` (``"ar-EG"`` or
    ``None``); ``as_of`` (a :class:`datetime.date`, or ``None`` = the
    latest figures); ``post`` (the post's metadata mapping: ``id``,
    ``title``, ``date``…, or ``None``); ``post_record`` (the
    :class:`~shortcodes.exports.Post` itself when one was given); ``page``
    (``True`` inside :meth:`Renderer.render_page`).

    A context is made for each tag and not changed afterwards (the rendered
    content is computed once and kept), so a handler may keep it.
    """

    escape = staticmethod(escape)

    __slots__ = ("_call", "node", "_content", "_render_content", "raw_content", "in_attribute",
                 "_pending_styles", "_recorded", "_pure")

    def __init__(self, call: RenderCall, node: Shortcode | None = None,
                 content: "str | Callable[[], str]" = "", *, in_attribute: bool = False,
                 record: bool = False) -> None:
        self._call = call
        self.node = node
        if callable(content):
            self._content: Markup | None = None
            self._render_content: "Callable[[], str] | None" = content
        else:
            self._content = Markup(content)
            self._render_content = None
        self.raw_content: str | None = None if node is None else node.content
        self.in_attribute = in_attribute
        self._pending_styles: list[str] = []
        # For the memo of pure tags (Renderer.add_templates(pure=...)): the diagnostics made, and
        # whether the output depended only on what the memo's key holds.
        self._recorded: "list[tuple[str, str, str]] | None" = [] if record else None
        self._pure = True

    @property
    def content(self) -> Markup:
        """The rendered children (:class:`~markupsafe.Markup`), rendered on first use."""
        if self._content is None:
            render = self._render_content
            assert render is not None
            self._render_content = None
            self._content = Markup(render())
        return self._content

    # -- the call's settings ----------------------------------------------------
    @property
    def renderer(self) -> "Renderer":
        return self._call.renderer

    @property
    def locale(self) -> "Locale | None":
        return self._call.renderer.locale

    @property
    def locale_tag(self) -> str | None:
        return self._call.renderer.locale_tag

    @property
    def as_of(self) -> _dt.date | None:
        return self._call.as_of

    @property
    def post(self) -> Mapping[str, Any] | None:
        self._pure = False
        return self._call.post

    @property
    def post_record(self) -> "Post | None":
        self._pure = False
        return self._call.post_record

    @property
    def page(self) -> bool:
        return self._call.page

    @property
    def provider(self) -> Any:
        """The renderer's data provider (see :attr:`Renderer.provider`)."""
        return self._call.renderer.provider

    # -- what a tag may do ------------------------------------------------------
    def diagnose(self, kind: str, message: str, *, severity: str = "warning",
                 node: Shortcode | None = None) -> Diagnostic:
        """Record a diagnostic about ``node`` (default: the tag being rendered)."""
        if self._recorded is not None:
            if node is None or node is self.node:
                self._recorded.append((kind, message, severity))
            else:
                self._pure = False
        return self._call.diagnose(kind, message, node or self.node, severity)

    def stylesheet(self, name: str) -> Markup:
        """Ask for the stylesheet ``name`` (looked up like a template) once per output.

        In a whole page (:meth:`Renderer.render_page`) it goes into ``<head>``
        and this returns ``""``; in a fragment (:meth:`Renderer.render`) the
        first call returns a ``<style>`` element and later calls ``""``
        (unless the caller collects them: ``inline_styles=False``).  A tag
        whose rendering fails does not use up its stylesheet, nor does a tag
        inside an HTML attribute value (a ``<style>`` cannot stand there).
        """
        call = self._call
        if self.in_attribute or name in call.styles or name in self._pending_styles:
            return Markup("")
        self._pending_styles.append(name)
        if not call.inline_styles:
            return Markup("")
        return style_element(call.renderer.stylesheet_text(name), name)

    def unique_id(self, prefix: str) -> str:
        """``prefix-1``, ``prefix-2``, … unique within this output."""
        self._pure = False
        ids = self._call.ids
        ids[prefix] += 1
        return f"{prefix}-{ids[prefix]}"
