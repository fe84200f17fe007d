"""Shortcodes to HTML: a table of rules keyed by tag name, Jinja templates by default.

A :class:`Renderer` turns a post (HTML with shortcodes in it) into HTML.  The
text between shortcodes is copied as it is (it is already HTML in a post);
each shortcode is rendered by

1. a Python **handler** registered for its name (``@renderer.handler("tag")``
   or :meth:`Renderer.register`), which wins over
2. a Jinja **template** named after the tag: tag ``t`` is rendered by
   ``t.html``, looked up in the folders given as ``templates=[...]`` first,
   then in the templates bundled with the package (``shortcodes._templates``).

Every other tag is *unknown* and follows the ``unknown=`` policy:

``"keep"`` (default)
    the tags are written back exactly as they are in the source (enclosed
    content is still rendered, so a known tag inside an unknown one works, as
    in WordPress, where unregistered tags are plain text);
``"strip"``
    the tags are dropped and the enclosed content is kept (rendered).
    WordPress's ``strip_shortcodes()`` drops the enclosed content too; here
    only the tags go, so no text of the post is lost;
``"comment"``
    each tag becomes an HTML comment holding its source (``--`` written as
    ``- -``, so the comment cannot end early); enclosed content is rendered;
``"error"``
    :class:`RenderError` naming the tag and its line:column.

``[[tag]]`` (escaped) prints ``[tag]`` for a known tag.  An escaped unknown
tag prints ``[tag]`` too, except under ``"keep"``, which keeps ``[[tag]]``
byte for byte, as WordPress does for an unregistered tag.

A template receives ``attrs`` (named attributes, lower-case names),
``positional`` (values without a name), ``content`` (the rendered children,
as :class:`~markupsafe.Markup`), ``raw_content`` (the enclosed source text,
or ``None``), ``node`` (the :class:`~shortcodes.nodes.Shortcode`), ``tag``
(its name), ``post`` and ``ctx`` (a :class:`RenderContext`: locale, as-of
date, data provider, post metadata, ``ctx.diagnose(...)``).  Autoescaping is
on: attribute values are escaped wherever a template writes them.

A handler is ``fn(node, ctx) -> str``; what it returns is HTML, written as it
is (like a WordPress shortcode callback), so it must escape what it takes
from attributes (``ctx.escape``).  ``ctx.content`` holds the rendered
children.

A template or handler that raises does not take the page down: the tag's
source is kept and a ``render-failed`` diagnostic names its line:column
(``strict=True`` raises :class:`RenderError` instead; a handler that raises
:class:`RenderError` itself always stops the rendering).

Stylesheets: a template asks for one with ``{{ ctx.stylesheet("name.css") }}``
(looked up like templates, so a user folder can replace it).  In a fragment
(:meth:`Renderer.render`) the first request writes a ``<style>`` element
right there, before the first card; later requests write nothing.  In a
whole page (:meth:`Renderer.render_page`) every stylesheet asked for goes
into ``<head>`` once.  A tag whose rendering fails does not use up its
stylesheet.

>>> r = Renderer()
>>> @r.handler("shout")
... def shout(node, ctx):
...     who = ctx.escape(node.get("who", "you"))
...     return f"<strong>{ctx.content} {who}</strong>"
>>> r.render('<p>[shout who="<me>"]hi [[shout]][/shout] [other x="1"]</p>')
'<p><strong>hi [shout] &lt;me&gt;</strong> [other x="1"]</p>'
>>> Renderer(unknown="comment").render('a [x y="--"] b')
'a <!-- [x y="- -"] --> b'
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence, TypeVar

import jinja2
from markupsafe import Markup, escape

from .grammar import terminal_regex
from .nodes import Diagnostic, Document, LineIndex, Node, Shortcode, Span, Text
from .parser import parse

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

    from .sources import Provider

__all__ = [
    "RenderError",
    "RenderResult",
    "RenderContext",
    "Renderer",
    "render",
    "UNKNOWN_POLICIES",
    "COUNT_KEYS",
]

UnknownPolicy = Literal["keep", "strip", "comment", "error"]
UNKNOWN_POLICIES: tuple[str, ...] = ("keep", "strip", "comment", "error")
#: The keys of every entry of :attr:`RenderResult.counts`.
COUNT_KEYS: tuple[str, ...] = ("rendered", "kept", "stripped", "failed")

Handler = Callable[[Shortcode, "RenderContext"], "str | Markup"]
F = TypeVar("F", bound=Callable[..., Any])

_TEMPLATE_SUFFIX = ".html"
_PAGE_TEMPLATE = "_page.html"


class RenderError(Exception):
    """Rendering was refused (``unknown="error"``, or ``strict=True``).

    ``line`` and ``column`` (1-based) and ``tag`` say where and what; the
    message starts with ``line:column:``.

    >>> str(RenderError("unknown shortcode [x]", line=3, column=7, tag="x"))
    '3:7: unknown shortcode [x]'
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 tag: str | None = None) -> None:
        self.line = line
        self.column = column
        self.tag = tag
        self.reason = message
        super().__init__(f"{line}:{column}: {message}" if line is not None else message)


@dataclass(frozen=True)
class RenderResult:
    """The output of :meth:`Renderer.render_result`.

    ``html`` is the rendered text; ``diagnostics`` the parse diagnostics
    followed by those found while rendering (positions refer to the text
    given to the renderer, before ``autop``); ``counts`` maps each tag name
    met to ``{"rendered": n, "kept": n, "stripped": n, "failed": n}``
    (``kept`` covers tags written back as source, as comments, or escaped).
    """

    html: str
    diagnostics: tuple[Diagnostic, ...] = ()
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def problems(self) -> tuple[Diagnostic, ...]:
        """Diagnostics that are warnings or errors (not ``info``)."""
        return tuple(d for d in self.diagnostics if d.severity != "info")

    def __str__(self) -> str:
        return self.html


class RenderContext:
    """What a template (as ``ctx``) or a handler knows while a text is rendered.

    One context lives for one :meth:`Renderer.render` call.  ``node``,
    ``content`` and ``raw_content`` describe the tag being rendered.

    Attributes: ``renderer``; ``locale`` (a :class:`babel.Locale` or
    ``None``); ``locale_tag`` (``"ar-EG"`` or ``None``); ``as_of`` (a
    :class:`datetime.date` or ``None`` = the latest figures); ``post`` (the
    post's metadata mapping, or ``None``); ``page`` (``True`` inside
    :meth:`Renderer.render_page`).
    """

    escape = staticmethod(escape)

    def __init__(self, renderer: "Renderer", state: "_State", *, as_of: _dt.date | None,
                 post: Mapping[str, Any] | None, page: bool) -> None:
        self.renderer = renderer
        self._state = state
        self.locale: "Locale | None" = renderer.locale
        self.locale_tag: str | None = renderer.locale_tag
        self.as_of = as_of
        self.post: Mapping[str, Any] | None = None if post is None else MappingProxyType(dict(post))
        self.page = page
        self.node: Shortcode | None = None
        self.content: Markup = Markup("")
        self.raw_content: str | None = None
        self._pending_styles: list[str] = []

    @property
    def provider(self) -> "Provider":
        """The data provider: the renderer's, or the bundled dataset."""
        if self.renderer.provider is not None:
            return self.renderer.provider
        from .sources import default_provider

        return default_provider()

    def diagnose(self, kind: str, message: str, *, severity: str = "warning",
                 node: Shortcode | None = None) -> Diagnostic:
        """Record a diagnostic about ``node`` (default: the tag being rendered)."""
        return self._state.diagnose(kind, message, node or self.node, severity)

    def stylesheet(self, name: str) -> Markup:
        """Ask for the stylesheet ``name`` (looked up like a template) once per output.

        In a whole page (:meth:`Renderer.render_page`) it goes into ``<head>``
        and this returns ``""``; in a fragment (:meth:`Renderer.render`) the
        first call returns a ``<style>`` element and later calls ``""``.
        """
        state = self._state
        if name in state.styles or name in self._pending_styles:
            return Markup("")
        self._pending_styles.append(name)
        if self.page:
            return Markup("")
        return style_element(self.renderer.stylesheet_text(name), name)

    def unique_id(self, prefix: str) -> str:
        """``prefix-1``, ``prefix-2``, … unique within this output."""
        self._state.ids[prefix] += 1
        return f"{prefix}-{self._state.ids[prefix]}"


def style_element(css: str, name: str = "") -> Markup:
    """``<style>`` holding ``css``, which can never close the element early."""
    safe = css.replace("</", "<\\/")
    label = f' data-sc-style="{escape(name)}"' if name else ""
    return Markup(f"<style{label}>\n{safe}\n</style>")


class _PackageTemplates(jinja2.BaseLoader):
    """Loads the templates installed with the package (works from a wheel or a zip)."""

    def __init__(self) -> None:
        self.root = resources.files("shortcodes._templates")

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        path = self.root
        for piece in pieces:
            path = path / piece
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        return path.read_text(encoding="utf-8"), str(path), lambda: True

    def list_templates(self) -> list[str]:
        found: list[str] = []
        stack = [(self.root, "")]
        while stack:
            folder, prefix = stack.pop()
            for item in folder.iterdir():
                if item.is_dir():
                    if not item.name.startswith("__"):
                        stack.append((item, f"{prefix}{item.name}/"))
                elif not item.name.endswith((".py", ".pyc")):
                    found.append(prefix + item.name)
        return sorted(found)


_NAME_RX: "re.Pattern[str] | None" = None


def _valid_name(name: str) -> bool:
    global _NAME_RX
    if _NAME_RX is None:
        _NAME_RX = re.compile(terminal_regex("TAG_NAME"))
    return _NAME_RX.fullmatch(name) is not None


def _parse_date(value: "_dt.date | str | None", what: str = "as_of") -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{what}: {value!r} is not a date (use YYYY-MM-DD)") from None
    raise TypeError(f"{what}: expected a date or a YYYY-MM-DD string, not {type(value).__name__}")


def _parse_locale(value: "str | Locale | None") -> "Locale | None":
    if value is None or value == "":
        return None
    from babel import Locale, UnknownLocaleError

    if isinstance(value, Locale):
        return value
    try:
        return Locale.parse(str(value).strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"locale: {value!r} is not a known locale ({exc})") from None


def locale_tag(locale: "Locale") -> str:
    """The BCP 47 tag of a Babel locale: ``ar_EG`` → ``ar-EG``."""
    return "-".join(p for p in (locale.language, locale.script, locale.territory, locale.variant) if p)


def _comment(source: str) -> str:
    body = re.sub("-(?=-)", "- ", source)
    if body.endswith("-"):
        body += " "
    return f"<!-- {body} -->"


class _State:
    """Per-call state: source positions, diagnostics, counts, emitted styles."""

    def __init__(self, source: str, doc: Document, original: str, origin: dict[int, Span]) -> None:
        self.source = source
        self.doc = doc
        self.original = original
        self.origin = origin  # id(node in doc) -> span in the original text
        self.index = LineIndex(original)
        self.transformed_index = LineIndex(source) if source is not original else self.index
        self.diagnostics: list[Diagnostic] = []
        self.counts: dict[str, dict[str, int]] = {}
        self.styles: list[str] = []
        self.ids: dict[str, int] = defaultdict(int)

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
        if span is not None or self.source is self.original:
            span = span or node.span
            return span, *self.index.line_col(span[0]), ""
        line, col = self.transformed_index.line_col(node.span[0])
        return node.span, line, col, " (position after autop)"

    def diagnose(self, kind: str, message: str, node: "Node | None", severity: str = "warning") -> Diagnostic:
        span, line, col, note = self.where(node)
        d = Diagnostic(kind, message + note, span, line, col, severity)
        self.diagnostics.append(d)
        return d


def _map_origin(doc: Document, original: Document) -> dict[int, Span]:
    """Pair the shortcodes of a transformed text with those of the original, in order."""
    out: dict[int, Span] = {}
    for a, b in zip(doc.shortcodes, original.shortcodes):
        if a.name != b.name:
            break
        out[id(a)] = b.span
    return out


class Renderer:
    """Renders shortcodes with handlers and Jinja templates (see the module docs).

    ``templates``: folders searched first for ``<tag>.html`` (and
    ``_page.html``, stylesheets); ``locale``: a locale such as ``"ar-EG"``
    (number formatting, default labels, page ``lang``); ``as_of``: the date
    of the figures (``None``: the latest); ``provider``: a data source (see
    :mod:`shortcodes.sources`; default: the bundled dataset); ``unknown``:
    the policy for tags without handler or template; ``autop``: run
    WordPress's ``wpautop`` + ``shortcode_unautop`` before rendering, as
    ``the_content`` does; ``strict``: raise :class:`RenderError` when a
    handler or template fails; ``tags``: the names to recognise as
    shortcodes at all (``None``: every valid name).

    >>> Renderer(unknown="strip").render("a [b]c[/b] d")
    'a c d'
    """

    def __init__(self, *, templates: Sequence["str | os.PathLike[str]"] = (), locale: "str | Locale | None" = None,
                 as_of: "_dt.date | str | None" = None, provider: "Provider | None" = None,
                 unknown: UnknownPolicy = "keep", autop: bool = False, strict: bool = False,
                 tags: Iterable[str] | None = None) -> None:
        if unknown not in UNKNOWN_POLICIES:
            raise ValueError(f"unknown={unknown!r}: expected one of {', '.join(UNKNOWN_POLICIES)}")
        if isinstance(templates, (str, os.PathLike)):
            templates = [templates]
        folders = []
        for folder in templates:
            if not os.path.isdir(folder):
                raise ValueError(f"templates: {os.fspath(folder)!r} is not a folder")
            folders.append(os.fspath(folder))
        self.template_folders: tuple[str, ...] = tuple(folders)
        self.locale = _parse_locale(locale)
        self.locale_tag = None if self.locale is None else locale_tag(self.locale)
        self.as_of = _parse_date(as_of)
        self.provider = provider
        self.unknown: UnknownPolicy = unknown
        self.autop = bool(autop)
        self.strict = bool(strict)
        self.tags: tuple[str, ...] | None = None if tags is None else tuple(
            dict.fromkeys([tags] if isinstance(tags, str) else tags))
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(f) for f in folders]
        loaders.append(_PackageTemplates())
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        from . import cards

        self.env.globals["covid19_card"] = cards.card_view
        self._handlers: dict[str, Handler] = {}

    # -- registry -------------------------------------------------------------
    def handler(self, name: str) -> Callable[[F], F]:
        """Decorator: register ``fn(node, ctx) -> str`` for tag ``name``."""
        def decorate(fn: F) -> F:
            self.register(name, fn)
            return fn
        return decorate

    def register(self, name: str, fn: Handler) -> None:
        """Register the handler ``fn(node, ctx) -> str`` (HTML) for tag ``name``.

        A handler wins over a template of the same name.
        """
        if not isinstance(name, str) or not _valid_name(name):
            raise ValueError(f"{name!r} is not a valid shortcode name")
        if not callable(fn):
            raise TypeError(f"handler for [{name}] is not callable")
        self._handlers[name] = fn

    def template_tags(self) -> frozenset[str]:
        """Tags that have a template (``<tag>.html`` in a template folder or the package).

        The folders are listed once per renderer (rendering a site calls this
        for every post); call :meth:`refresh_templates` after adding templates.
        """
        tags = self.__dict__.get("_template_tags")
        if tags is None:
            names = self.env.list_templates(
                filter_func=lambda n: n.endswith(_TEMPLATE_SUFFIX) and "/" not in n and not n.startswith("_"))
            tags = frozenset(n for n in (t[: -len(_TEMPLATE_SUFFIX)] for t in names) if _valid_name(n))
            self.__dict__["_template_tags"] = tags
        return tags

    def refresh_templates(self) -> None:
        """Forget the listed template folders (see :meth:`template_tags`)."""
        self.__dict__.pop("_template_tags", None)

    @property
    def known_tags(self) -> frozenset[str]:
        """Tags with a handler or a template."""
        return frozenset(self._handlers) | self.template_tags()

    def stylesheet_text(self, name: str) -> str:
        """The text of stylesheet ``name`` (user folders first, then the package)."""
        loader = self.env.loader
        assert loader is not None
        return loader.get_source(self.env, name)[0]

    # -- rendering ------------------------------------------------------------
    def render(self, text: str, *, post: Mapping[str, Any] | None = None,
               as_of: "_dt.date | str | None" = None) -> str:
        """Render ``text`` to an HTML fragment (see :meth:`render_result`)."""
        return self.render_result(text, post=post, as_of=as_of).html

    def render_result(self, text: str, *, post: Mapping[str, Any] | None = None,
                      as_of: "_dt.date | str | None" = None) -> RenderResult:
        """Render ``text``; return the HTML, the diagnostics and per-tag counts.

        ``as_of`` overrides the renderer's date for this call; ``post`` is
        the post's metadata (``title``, ``date``, …), given to templates as
        ``post`` and ``ctx.post``.

        >>> res = Renderer().render_result("[[x]] [y]")
        >>> res.html, dict(res.counts["y"])
        ('[[x]] [y]', {'rendered': 0, 'kept': 1, 'stripped': 0, 'failed': 0})
        """
        html, state, _ctx = self._run(text, post=post, as_of=as_of, page=False)
        return self._result(html, state)

    def render_page(self, text: str, *, title: str | None = None, post: Mapping[str, Any] | None = None,
                    as_of: "_dt.date | str | None" = None) -> str:
        """Render ``text`` as a whole HTML5 document (template ``_page.html``).

        ``<html lang dir>`` comes from the locale, else from the script of
        the text (mostly Arabic letters: ``ar``/``rtl``; otherwise ``en``);
        the title is ``title``, else ``post["title"]``, else the first line of
        text.  Stylesheets asked for by templates go into ``<head>``, once.
        """
        return self.render_page_result(text, title=title, post=post, as_of=as_of).html

    def render_page_result(self, text: str, *, title: str | None = None, post: Mapping[str, Any] | None = None,
                           as_of: "_dt.date | str | None" = None) -> RenderResult:
        """:meth:`render_page`, with the diagnostics and counts."""
        from .cards import script_language

        body, state, ctx = self._run(text, post=post, as_of=as_of, page=True)
        if self.locale is not None:
            lang, direction = self.locale_tag, self.locale.text_direction
        else:
            plain = " ".join(n.text for n in state.doc.walk() if isinstance(n, Text))
            guessed = script_language(_strip_html(plain))
            lang = guessed or "en"
            direction = "rtl" if guessed in _RTL_LANGUAGES else "ltr"
        if title is None and post is not None and post.get("title"):
            title = str(post["title"])
        if title is None:
            title = _first_line(state.doc) or "Document"
        styles = Markup("\n").join(style_element(self.stylesheet_text(n), n) for n in state.styles)
        page = self.env.get_template(_PAGE_TEMPLATE).render(
            lang=lang, dir=direction, title=title, styles=styles, body=Markup(body), post=ctx.post, ctx=ctx)
        if not page.endswith("\n"):
            page += "\n"
        return self._result(page, state)

    # -- internals ------------------------------------------------------------
    def _result(self, html: str, state: _State) -> RenderResult:
        counts = MappingProxyType({k: MappingProxyType(dict(v)) for k, v in state.counts.items()})
        return RenderResult(html, tuple(state.diagnostics), counts)

    def _run(self, text: str, *, post: Mapping[str, Any] | None, as_of: Any,
             page: bool) -> tuple[str, _State, RenderContext]:
        if not isinstance(text, str):
            raise TypeError(f"render() needs a str, not {type(text).__name__}")
        when = _parse_date(as_of) if as_of is not None else self.as_of
        known = self.known_tags
        source = text
        if self.autop:
            from .autop import shortcode_unautop, wpautop

            source = shortcode_unautop(wpautop(text), sorted(known))
        doc = parse(source, self.tags)
        if source != text:
            original = parse(text, self.tags)
            state = _State(source, doc, text, _map_origin(doc, original))
            parse_diags = original.diagnostics
        else:
            source = text
            state = _State(text, doc, text, {})
            parse_diags = doc.diagnostics
        state.diagnostics.extend(parse_diags)
        ctx = RenderContext(self, state, as_of=when, post=post, page=page)
        html = self._render_document(doc, state, ctx, known)
        return html, state, ctx

    def _render_document(self, doc: Document, state: _State, ctx: RenderContext, known: frozenset[str]) -> str:
        # Iterative post-order walk: any nesting depth renders.
        # A frame is (iterator over children, output parts, finish(parts) -> str).
        root: list[str] = []
        stack: list[tuple[Iterator[Node], list[str], Callable[[str], str] | None]] = [
            (iter(doc.children), root, None)]
        source = state.source
        while stack:
            it, parts, finish = stack[-1]
            node = next(it, None)
            if node is None:
                stack.pop()
                if stack:
                    inner = "".join(parts)
                    stack[-1][1].append(inner if finish is None else finish(inner))
                continue
            if isinstance(node, Text):
                parts.append(node.text)
                continue
            name = node.name
            start, end = node.span
            if node.escaped:
                state.count(name, "kept")
                if name in known or self.unknown != "keep":
                    parts.append(source[start + 1:end - 1])
                else:
                    parts.append(source[start:end])
                continue
            close = (node.close_tag if node.close_tag is not None else f"[/{name}]") if node.enclosing else ""
            if name in known:
                finish = self._finisher(node, state, ctx)
            elif self.unknown == "keep":
                state.count(name, "kept")
                finish = _wrap(node.open_tag, close)
            elif self.unknown == "strip":
                state.count(name, "stripped")
                finish = None
            elif self.unknown == "comment":
                state.count(name, "kept")
                finish = _wrap(_comment(node.open_tag), _comment(close) if close else "")
            else:
                _span, line, col, note = state.where(node)
                raise RenderError(f"unknown shortcode [{name}]: no handler and no template {name}{_TEMPLATE_SUFFIX}"
                                  f"{note}", line=line, column=col, tag=name)
            if node.children:
                stack.append((iter(node.children), [], finish))
            elif finish is not None:
                parts.append(finish(""))
        return "".join(root)

    def _finisher(self, node: Shortcode, state: _State, ctx: RenderContext) -> Callable[[str], str]:
        def finish(content: str) -> str:
            return self._invoke(node, content, state, ctx)
        return finish

    def _invoke(self, node: Shortcode, content: str, state: _State, ctx: RenderContext) -> str:
        name = node.name
        ctx.node, ctx.content, ctx.raw_content = node, Markup(content), node.content
        ctx._pending_styles = []
        try:
            fn = self._handlers.get(name)
            if fn is not None:
                out = fn(node, ctx)
                if out is None:
                    raise TypeError(f"the handler for [{name}] returned None (return a string)")
            else:
                template = self.env.get_template(name + _TEMPLATE_SUFFIX)
                out = template.render(attrs=node.attrs, positional=node.positional, content=ctx.content,
                                      raw_content=node.content, node=node, tag=name, post=ctx.post, ctx=ctx)
            html = str(out)
        except RenderError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken tag must not take the page down
            what = "handler" if name in self._handlers else f"template {name}{_TEMPLATE_SUFFIX}"
            message = f"[{name}] not rendered: the {what} failed: {type(exc).__name__}: {exc}"
            if self.strict:
                _span, line, col, note = state.where(node)
                raise RenderError(message + note, line=line, column=col, tag=name) from exc
            state.count(name, "failed")
            state.diagnose("render-failed", message + "; its source is kept", node, "error")
            start, end = node.span
            return state.source[start:end]
        finally:
            ctx.node, ctx.content, ctx.raw_content = None, Markup(""), None
        for style in ctx._pending_styles:
            if style not in state.styles:
                state.styles.append(style)
        ctx._pending_styles = []
        state.count(name, "rendered")
        return html


def _wrap(before: str, after: str) -> Callable[[str], str]:
    return lambda inner: before + inner + after


_RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "sd", "ug", "yi", "dv"})
_TAG_RX = re.compile(r"<[^>]*>?")


def _strip_html(text: str) -> str:
    return _TAG_RX.sub(" ", text)


def _first_line(doc: Document, limit: int = 120) -> str:
    import html as _html

    for node in doc.children:
        if not isinstance(node, Text):
            continue
        for line in _strip_html(node.text).splitlines():
            line = " ".join(_html.unescape(line).split())
            if line:
                return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def render(text: str, **options: Any) -> str:
    """Render ``text`` with a :class:`Renderer` made from ``options``.

    ``post`` and ``as_of`` are passed to :meth:`Renderer.render`; everything
    else to the constructor.

    >>> render('<p>[[gallery]] [gallery ids="1"]</p>', unknown="strip")
    '<p>[gallery] </p>'
    """
    post = options.pop("post", None)
    return Renderer(**options).render(text, post=post)
