"""Shortcodes to HTML: a table of rules keyed by tag name, Jinja templates by default.

A :class:`Renderer` turns a post (HTML with shortcodes in it) into HTML.  The
text between shortcodes is copied as it is (it is already HTML in a post);
each shortcode is rendered by

1. a Python **handler** registered for its name (``@renderer.handler("tag")``
   or :meth:`Renderer.register`), which wins over
2. a Jinja **template** named after the tag: tag ``t`` is rendered by
   ``t.html``, looked up in the folders given as ``templates=[...]`` first,
   then in the plugins' template folders (see :mod:`.templates`).

Every other tag is *unknown* and follows the ``unknown=`` policy (see
:mod:`.policies`: ``"keep"`` by default, ``"strip"``, ``"comment"``,
``"error"``).  ``[[tag]]`` (escaped) prints ``[tag]`` for a known tag.

What the bundled tags need comes from **plugins** (:mod:`.plugins`): a
``Renderer()`` uses :data:`~.plugins.DEFAULT_PLUGINS` (the
``[covid19-ultimate-card]`` card); ``Renderer(plugins=())`` is the bare
engine, and ``plugins=[...]`` or :meth:`Renderer.use` choose others.

A template receives ``attrs`` (named attributes, lower-case names),
``positional`` (values without a name), ``content`` (the rendered children,
as :class:`~markupsafe.Markup`), ``raw_content`` (the enclosed source text,
or ``None``), ``node`` (the :class:`~shortcodes.core.nodes.Shortcode`), ``tag``
(its name), ``post`` and ``ctx`` (a
:class:`~shortcodes.renderer.context.RenderContext`).  Autoescaping is on:
attribute values are escaped wherever a template writes them.

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
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

import jinja2
from markupsafe import Markup

from ..common.dates import coerce_date
from ..common.errors import RenderError
from ..common.locales import coerce_locale, locale_tag
from ..core.grammar import tag_name_regex
from ..core.nodes import Document, Node, Shortcode, Span, Text
from ..core.parser import parse
from ..wordpress.autop import shortcode_unautop, wpautop
from .context import COUNT_KEYS, RenderCall, RenderContext, RenderResult
from .page import first_line, page_language
from .plugins import DEFAULT_PLUGINS, PluginSpec, plugin_name, resolve
from .policies import POLICIES, UNKNOWN_POLICIES, UnknownTagPolicy
from .templates import PAGE_TEMPLATE, TEMPLATE_SUFFIX, TraversableLoader, bundled_templates, style_element
from .variants import Variant

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

    from ..exports.post import Post

__all__ = [
    "RenderError",
    "RenderResult",
    "RenderContext",
    "Renderer",
    "render",
    "UNKNOWN_POLICIES",
    "COUNT_KEYS",
    "Handler",
]

#: ``fn(node, ctx) -> str``: a Python handler (HTML out).
Handler = Callable[[Shortcode, RenderContext], "str | Markup"]
F = TypeVar("F", bound=Callable[..., Any])


def _valid_name(name: str) -> bool:
    return tag_name_regex().fullmatch(name) is not None


def _map_origin(doc: Document, original: Document) -> dict[int, Span]:
    """Pair the shortcodes of a transformed text with those of the original, in order."""
    out: dict[int, Span] = {}
    for a, b in zip(doc.shortcodes, original.shortcodes):
        if a.name != b.name:
            break
        out[id(a)] = b.span
    return out


def _post_mapping(post: "Mapping[str, Any] | Post | None") -> "tuple[Mapping[str, Any] | None, Post | None]":
    """(metadata mapping, the Post itself) of what was given as ``post=``."""
    if post is None:
        return None, None
    metadata = getattr(post, "metadata", None)
    if callable(metadata):  # an exports.Post
        return metadata(), post  # type: ignore[return-value]
    if isinstance(post, Mapping):
        return post, None
    raise TypeError(f"post must be a mapping of metadata or a shortcodes.exports.Post, not {type(post).__name__}")


class Renderer:
    """Renders shortcodes with handlers and Jinja templates (see the module docs).

    ``templates``: folders searched first for ``<tag>.html`` (and
    ``_page.html``, stylesheets); ``locale``: a locale such as ``"ar-EG"``
    (number formatting, default labels, page ``lang``); ``as_of``: the date
    of the figures (``None``: the latest); ``provider``: a data source for
    the plugins (the card's figures: see :mod:`shortcodes.cards.figures`;
    default: the bundled dataset); ``unknown``: the policy for tags without
    handler or template (:data:`~.policies.POLICIES`); ``autop``: run
    WordPress's ``wpautop`` + ``shortcode_unautop`` before rendering, as
    ``the_content`` does; ``strict``: raise :class:`RenderError` when a
    handler or template fails; ``tags``: the names to recognise as
    shortcodes at all (``None``: every valid name); ``plugins``: what to set
    the renderer up with (default :data:`~.plugins.DEFAULT_PLUGINS`).

    ``env`` is the Jinja environment (add filters or globals there).

    >>> Renderer(unknown="strip").render("a [b]c[/b] d")
    'a c d'
    >>> Renderer(plugins=()).render('[covid19-ultimate-card region="EG"]')   # the bare engine
    '[covid19-ultimate-card region="EG"]'
    """

    def __init__(self, *, templates: Sequence["str | os.PathLike[str]"] = (), locale: "str | Locale | None" = None,
                 as_of: "_dt.date | str | None" = None, provider: Any = None,
                 unknown: str = "keep", autop: bool = False, strict: bool = False,
                 tags: Iterable[str] | None = None, plugins: "Iterable[PluginSpec] | None" = None) -> None:
        if unknown not in POLICIES:
            raise ValueError(f"unknown={unknown!r}: expected one of {', '.join(POLICIES.names())}")
        if isinstance(templates, (str, os.PathLike)):
            templates = [templates]
        folders = []
        for folder in templates:
            if not os.path.isdir(folder):
                raise ValueError(f"templates: {os.fspath(folder)!r} is not a folder")
            folders.append(os.fspath(folder))
        self.template_folders: tuple[str, ...] = tuple(folders)
        self.locale = coerce_locale(locale)
        self.locale_tag = None if self.locale is None else locale_tag(self.locale)
        self.as_of = coerce_date(as_of)
        self._provider = provider
        self._provider_factory: "Callable[[], Any] | None" = None
        self.unknown = unknown
        self.autop = bool(autop)
        self.strict = bool(strict)
        self.tags: tuple[str, ...] | None = None if tags is None else tuple(
            dict.fromkeys([tags] if isinstance(tags, str) else tags))
        self._user_loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(f) for f in folders]
        self._plugin_loaders: list[jinja2.BaseLoader] = []
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(self._loaders()),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self._handlers: dict[str, Handler] = {}
        self._variants: dict[str, Callable[[], tuple[Variant, ...]]] = {}
        self.plugins: list[str] = []
        for spec in DEFAULT_PLUGINS if plugins is None else plugins:
            self.use(spec)

    # -- set-up: plugins, handlers, templates ----------------------------------
    def use(self, plugin: PluginSpec, **options: Any) -> "Renderer":
        """Set the renderer up with ``plugin(self, **options)``; returns ``self`` (chainable).

        ``plugin`` is a function, a name registered in
        :data:`~.plugins.PLUGINS` or an entry point, or ``"package.module:function"``.
        """
        resolve(plugin)(self, **options)
        self.plugins.append(plugin_name(plugin))
        self.refresh_templates()
        return self

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

    def add_variants(self, name: str, variants: Callable[[], tuple[Variant, ...]]) -> None:
        """For plugins: the examples of tag ``name`` that ``shortcodes gallery`` shows (``variants()``)."""
        self._variants[name] = variants

    def variants(self, name: str) -> tuple[Variant, ...]:
        """The examples a plugin gave for tag ``name`` (``()`` when none)."""
        fn = self._variants.get(name)
        return () if fn is None else tuple(fn())

    def add_templates(self, folder: "str | os.PathLike[str] | Traversable") -> None:
        """Add a folder of templates after the user's folders and the plugins added before.

        For plugins: ``renderer.add_templates(bundled_templates("my-plugin"))``
        or any folder path.
        """
        if isinstance(folder, (str, os.PathLike)):
            loader: jinja2.BaseLoader = jinja2.FileSystemLoader(os.fspath(folder))
        else:
            loader = TraversableLoader(folder)
        self._plugin_loaders.append(loader)
        self.env.loader = jinja2.ChoiceLoader(self._loaders())
        self.refresh_templates()

    def _loaders(self) -> list[jinja2.BaseLoader]:
        return [*self._user_loaders, *self._plugin_loaders, TraversableLoader(bundled_templates())]

    def set_default_provider(self, factory: Callable[[], Any]) -> None:
        """For plugins: make :attr:`provider` call ``factory()`` (once) when none was given."""
        self._provider_factory = factory

    @property
    def provider(self) -> Any:
        """The data provider given as ``provider=``, else the default a plugin set (the bundled figures)."""
        if self._provider is None and self._provider_factory is not None:
            self._provider = self._provider_factory()
        return self._provider

    @provider.setter
    def provider(self, value: Any) -> None:
        self._provider = value

    def template_tags(self) -> frozenset[str]:
        """Tags that have a template (``<tag>.html`` in a template folder or a plugin's).

        The folders are listed once per renderer (rendering a site calls this
        for every post); call :meth:`refresh_templates` after adding templates.
        """
        tags = self.__dict__.get("_template_tags")
        if tags is None:
            names = self.env.list_templates(
                filter_func=lambda n: n.endswith(TEMPLATE_SUFFIX) and "/" not in n and not n.startswith("_"))
            tags = frozenset(n for n in (t[: -len(TEMPLATE_SUFFIX)] for t in names) if _valid_name(n))
            self.__dict__["_template_tags"] = tags
        return tags

    def refresh_templates(self) -> None:
        """Forget the listed template folders (see :meth:`template_tags`)."""
        self.__dict__.pop("_template_tags", None)

    @property
    def known_tags(self) -> frozenset[str]:
        """Tags with a handler or a template."""
        return frozenset(self._handlers) | self.template_tags()

    @property
    def handlers(self) -> Mapping[str, Handler]:
        """The registered handlers, by tag (read-only view)."""
        return MappingProxyType(self._handlers)

    def stylesheet_text(self, name: str) -> str:
        """The text of stylesheet ``name`` (user folders first, then the plugins')."""
        loader = self.env.loader
        assert loader is not None
        return loader.get_source(self.env, name)[0]

    # -- rendering ------------------------------------------------------------
    def render(self, text: str, *, post: "Mapping[str, Any] | Post | None" = None,
               as_of: "_dt.date | str | None" = None) -> str:
        """Render ``text`` to an HTML fragment (see :meth:`render_result`)."""
        return self.render_result(text, post=post, as_of=as_of).html

    def render_result(self, text: str, *, post: "Mapping[str, Any] | Post | None" = None,
                      as_of: "_dt.date | str | None" = None, inline_styles: bool = True) -> RenderResult:
        """Render ``text``; return the HTML, the diagnostics and per-tag counts.

        ``as_of`` overrides the renderer's date for this call; ``post`` is
        the post: a :class:`~shortcodes.exports.Post`, or a mapping of its
        metadata (``title``, ``date``, …), given to templates as ``post``
        and ``ctx.post``.  ``inline_styles=False`` leaves the stylesheets out
        of the fragment: :attr:`RenderResult.stylesheets` names them, for the
        caller to write once (a page's ``<head>``, a site's CSS file).

        >>> res = Renderer().render_result("[[x]] [y]")
        >>> res.html, dict(res.counts["y"])
        ('[[x]] [y]', {'rendered': 0, 'kept': 1, 'stripped': 0, 'failed': 0})
        """
        html, call = self._run(text, post=post, as_of=as_of, page=False, inline_styles=inline_styles)
        return call.result(html)

    def render_page(self, text: str, *, title: str | None = None, post: "Mapping[str, Any] | Post | None" = None,
                    as_of: "_dt.date | str | None" = None) -> str:
        """Render ``text`` as a whole HTML5 document (template ``_page.html``).

        ``<html lang dir>`` comes from the locale, else from the script of
        the text (mostly Arabic letters: ``ar``/``rtl``; otherwise ``en``);
        the title is ``title``, else ``post["title"]``, else the first line of
        text.  Stylesheets asked for by templates go into ``<head>``, once.
        """
        return self.render_page_result(text, title=title, post=post, as_of=as_of).html

    def render_page_result(self, text: str, *, title: str | None = None,
                           post: "Mapping[str, Any] | Post | None" = None,
                           as_of: "_dt.date | str | None" = None) -> RenderResult:
        """:meth:`render_page`, with the diagnostics and counts."""
        body, call = self._run(text, post=post, as_of=as_of, page=True, inline_styles=False)
        lang, direction = page_language(self.locale, call.doc)
        meta = call.post
        if title is None and meta is not None and meta.get("title"):
            title = str(meta["title"])
        if title is None:
            title = first_line(call.doc) or "Document"
        styles = Markup("\n").join(style_element(self.stylesheet_text(n), n) for n in call.styles)
        page = self.env.get_template(PAGE_TEMPLATE).render(
            lang=lang, dir=direction, title=title, styles=styles, body=Markup(body), post=meta,
            ctx=RenderContext(call))
        if not page.endswith("\n"):
            page += "\n"
        return call.result(page)

    # -- internals ------------------------------------------------------------
    def _run(self, text: str, *, post: "Mapping[str, Any] | Post | None", as_of: Any,
             page: bool, inline_styles: bool) -> tuple[str, RenderCall]:
        if not isinstance(text, str):
            raise TypeError(f"render() needs a str, not {type(text).__name__}")
        when = coerce_date(as_of) if as_of is not None else self.as_of
        meta, record = _post_mapping(post)
        known = self.known_tags
        source = text
        if self.autop:
            source = shortcode_unautop(wpautop(text), sorted(known))
        doc = parse(source, self.tags)
        if source != text:
            original = parse(text, self.tags)
            call = RenderCall(self, source, doc, text, _map_origin(doc, original), as_of=when, post=meta,
                              post_record=record, page=page, inline_styles=inline_styles)
            parse_diags = original.diagnostics
        else:
            call = RenderCall(self, text, doc, text, {}, as_of=when, post=meta, post_record=record, page=page,
                              inline_styles=inline_styles)
            parse_diags = doc.diagnostics
        call.diagnostics.extend(parse_diags)
        return self._render_document(doc, call, known), call

    def _render_document(self, doc: Document, call: RenderCall, known: frozenset[str]) -> str:
        # Iterative post-order walk: any nesting depth renders.
        # A frame is (iterator over children, output parts, finish(parts) -> str).
        root: list[str] = []
        stack: list[tuple[Iterator[Node], list[str], Callable[[str], str] | None]] = [
            (iter(doc.children), root, None)]
        source = call.source
        policy: UnknownTagPolicy = POLICIES[self.unknown]
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
                call.count(name, "kept")
                if name in known or not policy.keeps_escapes:
                    parts.append(source[start + 1:end - 1])
                else:
                    parts.append(source[start:end])
                continue
            if name in known:
                finish = self._finisher(node, call)
            else:
                close = (node.close_tag if node.close_tag is not None else f"[/{name}]") if node.enclosing else ""
                before, after = policy.wrap(node, close, _locator(call, node))
                call.count(name, policy.count)
                finish = _wrap(before, after)
            if node.children:
                stack.append((iter(node.children), [], finish))
            else:
                parts.append(finish(""))
        return "".join(root)

    def _finisher(self, node: Shortcode, call: RenderCall) -> Callable[[str], str]:
        def finish(content: str) -> str:
            return self._invoke(node, content, call)
        return finish

    def _invoke(self, node: Shortcode, content: str, call: RenderCall) -> str:
        name = node.name
        ctx = RenderContext(call, node, content)
        try:
            fn = self._handlers.get(name)
            if fn is not None:
                out = fn(node, ctx)
                if out is None:
                    raise TypeError(f"the handler for [{name}] returned None (return a string)")
            else:
                template = self.env.get_template(name + TEMPLATE_SUFFIX)
                out = template.render(attrs=node.attrs, positional=node.positional, content=ctx.content,
                                      raw_content=node.content, node=node, tag=name, post=call.post, ctx=ctx)
            html = str(out)
        except RenderError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken tag must not take the page down
            what = "handler" if name in self._handlers else f"template {name}{TEMPLATE_SUFFIX}"
            message = f"[{name}] not rendered: the {what} failed: {type(exc).__name__}: {exc}"
            if self.strict:
                _span, line, col, note = call.where(node)
                raise RenderError(message + note, line=line, column=col, tag=name) from exc
            call.count(name, "failed")
            call.diagnose("render-failed", message + "; its source is kept", node, "error")
            start, end = node.span
            return call.source[start:end]
        for style in ctx._pending_styles:
            if style not in call.styles:
                call.styles.append(style)
        call.count(name, "rendered")
        return html


def _locator(call: RenderCall, node: Shortcode) -> Callable[[], tuple[int, int, str]]:
    def locate() -> tuple[int, int, str]:
        _span, line, col, note = call.where(node)
        return line, col, note
    return locate


def _wrap(before: str, after: str) -> Callable[[str], str]:
    return lambda inner: before + inner + after


def render(text: str, **options: Any) -> str:
    """Render ``text`` with a :class:`Renderer` made from ``options``.

    ``post`` and ``as_of`` are passed to :meth:`Renderer.render`; everything
    else to the constructor.

    >>> render('<p>[[gallery]] [gallery ids="1"]</p>', unknown="strip")
    '<p>[gallery] </p>'
    """
    post = options.pop("post", None)
    as_of = options.pop("as_of", None)
    return Renderer(**options).render(text, post=post, as_of=as_of)
