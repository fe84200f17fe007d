"""Shortcodes to HTML: a table of rules keyed by tag name, Jinja templates by default.

A :class:`Renderer` turns a post (HTML with shortcodes in it) into HTML.  The
text between shortcodes is copied as it is (it is already HTML in a post);
each shortcode is rendered by

1. a Python **handler** registered for its name (``@renderer.handler("tag")``,
   :meth:`Renderer.register` or :meth:`Renderer.register_wp`), which wins over
2. a Jinja **template** named after the tag: tag ``t`` is rendered by
   ``t.html``, looked up in the folders given as ``templates=[...]`` first,
   then in the plugins' template folders (see :mod:`.templates`).

Every other tag is *unknown* and follows the ``unknown=`` policy (see
:mod:`.policies`: ``"keep"`` by default, ``"strip"``, ``"comment"``,
``"error"``).  ``[[tag]]`` (escaped) prints ``[tag]`` for a known tag.

**Where shortcodes run** is decided as WordPress's ``do_shortcode()`` decides
it (:mod:`.html`), for every policy: never inside HTML comments or CDATA
(the JSON of block comments, ``<!-- wp:image {"duotone":["#8c00b7"]} -->``,
is left alone), and inside an HTML tag only in attributes: in a quoted value
the new attribute goes through WordPress's KSES filter (so a template's
output cannot add an attribute or an element there), while a tag written
where markup goes (``<div [x]>``, ``href=[x]``) is the author's HTML, written
as it is, as in WordPress; a ``[`` or ``]`` elsewhere in a tag cannot start
or end a shortcode.  ``ignore_html=True`` leaves
everything inside HTML tags alone, as ``do_shortcode($text, true)`` does.

**Which names are shortcodes**: ``tags=[...]`` names them; with
``tags=None`` (the default) a name counts when it has a handler or template
here or by the rule of :mod:`shortcodes.core.classify` (a WordPress or
well-known plugin tag, or one with named attributes, content, ``/]`` or a
closing tag in the text), so ``[1]`` and ``[citation needed]`` are text
whatever the policy.

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

A handler has one of two contracts, told apart when it is registered:

* ``fn(node, ctx) -> str`` (the renderer's own): what it returns is HTML,
  written as it is, so it must escape what it takes from attributes
  (``ctx.escape``); ``ctx.content`` holds the rendered children;
* ``fn(atts, content, tag)`` (a WordPress ``add_shortcode()`` callback,
  :meth:`Renderer.register_wp`): ``atts`` is :meth:`Shortcode.php_atts`
  (``''`` or a dict), ``content`` the raw enclosed text (``''`` when none),
  as :func:`shortcodes.do_shortcode` passes them.

Children are rendered lazily, once: ``ctx.content`` is rendered when first
used, and a handler that renders ``node.content`` itself through
``ctx.renderer.render(node.content)`` gets that same result, so a handler
written the WordPress way costs one call per tag, not 2^depth.  Any depth of
nesting renders (deep chains are rendered without recursion).

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

A plugin may declare its templates **pure** (``add_templates(folder,
pure=[tag])``): their output depends only on the tag's attributes and
content, the date, the locale, whether it is a page and which stylesheets
were already written.  While that template is the one in use (no handler,
no theme template of the same name), equal tags are rendered once and the
result is reused (bounded; failures are never kept; diagnostics are made
again at each tag's own position).  The COVID-19 card is pure.

A plugin may also give a **fast path** for a template (``add_templates(folder,
fast={tag: fn})``): ``fn(node, ctx)`` returns the same text as the template
would, without Jinja.  It is used only while that template is the one in use
(no handler, no theme template of the same name): an override always wins.
The media tags have fast paths (``tests/test_media_fastpath.py`` compares
them with their templates).

>>> r = Renderer()
>>> @r.handler("shout")
... def shout(node, ctx):
...     who = ctx.escape(node.get("who", "you"))
...     return f"<strong>{ctx.content} {who}</strong>"
>>> r.render('<p>[shout who="<me>"]hi [[shout]][/shout] [other x="1"]</p>')
'<p><strong>hi [shout] &lt;me&gt;</strong> [other x="1"]</p>'
>>> Renderer(unknown="comment").render('a [x y="--"] b <!-- [x y="1"] -->')
'a <!-- [x y="- -"] --> b <!-- [x y="1"] -->'
>>> Renderer(unknown="strip").render('<a title="see [x k=1]">[x k=2]</a> [1]')
'<a title="see "></a> [1]'
"""
from __future__ import annotations

import bisect
import datetime as _dt
import inspect
import os
import threading
import weakref
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, TypeVar

import jinja2
import jinja2.meta
from markupsafe import Markup

from ..common.dates import coerce_date
from ..common.errors import RenderError
from ..common.locales import coerce_locale, locale_tag
from ..core.classify import classify_names, longest_first
from ..core.grammar import tag_name_regex
from ..core.nodes import Document, Node, Shortcode, Span, Text
from ..core.parser import parse
from ..wordpress.autop import shortcode_unautop, wpautop
from ..wordpress.blocks import do_blocks, has_blocks
from ..wordpress.shortcodes import WPMatch, expand_html_element, handler_output, shortcode_subn, tag_candidates
from .context import COUNT_KEYS, RenderCall, RenderContext, RenderResult
from .html import HtmlView, content_view, html_view, parse_view
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
    "WordPressHandler",
    "NODE_CONTRACT",
    "WORDPRESS_CONTRACT",
    "handler_contract",
]

#: ``fn(node, ctx) -> str``: a Python handler (HTML out).
Handler = Callable[[Shortcode, RenderContext], "str | Markup"]
#: ``fn(atts, content, tag) -> str``: a WordPress ``add_shortcode()`` callback.
WordPressHandler = Callable[..., Any]
F = TypeVar("F", bound=Callable[..., Any])

#: The two handler contracts (:func:`handler_contract`).
NODE_CONTRACT = "fn(node, ctx)"
WORDPRESS_CONTRACT = "fn(atts, content, tag)"

#: Nested lazy ``ctx.content`` renderings after which the rest of a subtree is rendered eagerly,
#: children first and without recursion (any depth renders; see :meth:`Renderer._content_of`).
LAZY_DEPTH = 48
#: Entries of the memo of pure templates, per renderer.
MEMO_SIZE = 4096

#: handler_contract() of the functions seen (one function is often registered for many tags).
_CONTRACT_OF: "weakref.WeakKeyDictionary[Callable[..., Any], str]" = weakref.WeakKeyDictionary()
# Names a WordPress callback's parameters go by (PHP: $atts, $content, $tag / $shortcode_tag).
_WP_FIRST = frozenset({"atts", "attrs", "attr", "attributes", "args", "a", "params", "options"})
_WP_SECOND = frozenset({"content", "c", "text", "body", "inner", "enclosed"})
_WP_THIRD = frozenset({"tag", "t", "name", "shortcode", "shortcode_tag", "tag_name", "code"})


def _valid_name(name: str) -> bool:
    return tag_name_regex().fullmatch(name) is not None


def handler_contract(fn: Callable[..., Any], name: str = "?") -> str:
    """Which contract ``fn`` has: :data:`NODE_CONTRACT` or :data:`WORDPRESS_CONTRACT`.

    Three required positional parameters, or a first one named like a
    WordPress callback's (``atts``, ``attrs``, ``args`` …): a WordPress
    callback.  One that can take ``(node, ctx)``: the renderer's own.
    Anything else is refused with a :class:`TypeError` naming both.

    >>> handler_contract(lambda node, ctx: ""), handler_contract(lambda atts, content, tag: "")
    ('fn(node, ctx)', 'fn(atts, content, tag)')
    >>> handler_contract(lambda atts: ""), handler_contract(lambda a, c, t: "")
    ('fn(atts, content, tag)', 'fn(atts, content, tag)')
    >>> handler_contract(lambda a, b, c, d: "", "x")
    Traceback (most recent call last):
    ...
    TypeError: the handler for [x] takes (a, b, c, d): a handler is fn(node, ctx) (Renderer.register) or a WordPress callback fn(atts, content, tag) (Renderer.register_wp)
    """
    try:
        known = _CONTRACT_OF.get(fn)
    except TypeError:  # not weakly referable
        known = None
    if known is not None:
        return known
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin or C callable: nothing to tell from
        return NODE_CONTRACT
    contract = _contract_of(sig, name)
    try:
        _CONTRACT_OF[fn] = contract
    except TypeError:
        pass
    return contract


def _contract_of(sig: inspect.Signature, name: str) -> str:
    positional = [p for p in sig.parameters.values()
                  if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is inspect.Parameter.empty]
    varargs = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in sig.parameters.values())
    names = [p.name.lstrip("_").lower() for p in positional]
    if names and names[0] in _WP_FIRST and len(required) <= 3:
        return WORDPRESS_CONTRACT
    if len(required) == 3 and len(positional) == 3:
        return WORDPRESS_CONTRACT
    if len(required) <= 2 and (len(positional) >= 2 or varargs):
        return NODE_CONTRACT
    shown = ", ".join(str(p) for p in sig.parameters.values())
    raise TypeError(f"the handler for [{name}] takes ({shown}): a handler is {NODE_CONTRACT} (Renderer.register) "
                    f"or a WordPress callback {WORDPRESS_CONTRACT} (Renderer.register_wp)")


def _wp_arity(fn: Callable[..., Any]) -> int:
    """How many of (atts, content, tag) a WordPress callback takes (PHP drops the others)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return 3
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in sig.parameters.values()):
        return 3
    return min(3, sum(1 for p in sig.parameters.values()
                      if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)))


def _map_origin(doc: Document, original: Document) -> dict[int, Span]:
    """Pair the shortcodes of a transformed text with those of the original, in order."""
    out: dict[int, Span] = {}
    for a, b in zip(doc.shortcodes, original.shortcodes):
        if a.name != b.name:
            break
        out[id(a)] = b.span
    return out


def _map_elements(view: HtmlView, original: HtmlView) -> dict[int, int]:
    """Pair the bracket-holding HTML elements of a transformed text with the original's (start -> start)."""
    out: dict[int, int] = {}
    for (a, b), (c, d) in zip(view.elements, original.elements):
        if view.source[a:b] != original.source[c:d]:
            break
        out[a] = c
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


class _LazyContent:
    """A tag's rendered children for a template that does not name ``content`` (an included partial may)."""

    __slots__ = ("_ctx",)

    def __init__(self, ctx: RenderContext) -> None:
        self._ctx = ctx

    def __html__(self) -> str:
        return str(self._ctx.content)

    def __str__(self) -> str:
        return str(self._ctx.content)

    def __bool__(self) -> bool:
        return bool(self._ctx.content)

    def __len__(self) -> int:
        return len(self._ctx.content)

    def __eq__(self, other: object) -> bool:
        return self._ctx.content == (str(other) if isinstance(other, _LazyContent) else other)

    __hash__ = None  # type: ignore[assignment]


class _Plan:
    """One text as WordPress sees it: its (masked) document and the elements whose attributes run shortcodes.

    The post is one plan; the text of a shortcode inside an attribute value is another, parsed on its
    own (as WordPress's ``do_shortcode_tag()`` runs it there).  ``offset``: where the text starts in the
    call's source; ``origin(start)``: where the element starting at ``start`` is in the original text
    (``None``: not known, after autop).
    """

    __slots__ = ("doc", "source", "acts", "order", "elements", "starts", "offset", "origin")

    def __init__(self, doc: Document, source: str, acts: Callable[[str], bool],
                 order: Callable[[Iterable[str]], list[str]], elements: list[tuple[int, int, list[str]]],
                 offset: int = 0, origin: "Callable[[int], int | None] | None" = None) -> None:
        self.doc = doc
        self.source = source
        self.acts = acts
        self.order = order
        self.elements = elements  # (start, end, names run there), in order
        self.starts = [e[0] for e in elements]
        self.offset = offset
        self.origin: "Callable[[int], int | None]" = origin or (lambda start: start)

    def expanding(self, view: HtmlView, ignore_html: bool) -> None:
        """Find the elements of ``view`` whose attributes hold tags that run."""
        if ignore_html:
            return
        for start, end in view.elements:
            names = [n for n in tag_candidates(view.source[start:end]) if self.acts(n)]
            if names:
                self.elements.append((start, end, self.order(names)))
        self.starts = [e[0] for e in self.elements]


class Renderer:
    """Renders shortcodes with handlers and Jinja templates (see the module docs).

    ``templates``: folders searched first for ``<tag>.html`` (and
    ``_page.html``, stylesheets); ``locale``: a locale such as ``"ar-EG"``
    (number formatting, default labels, page ``lang``); ``as_of``: the date
    of the figures (``None``: the latest); ``provider``: a data source for
    the plugins (the card's figures: see :mod:`shortcodes.cards.figures`;
    default: the bundled dataset); ``unknown``: the policy for tags without
    handler or template (:data:`~.policies.POLICIES`); ``autop``: prepare the
    text as ``the_content`` does before ``do_shortcode``: a block-editor post
    has its block delimiters removed (:func:`~shortcodes.wordpress.blocks.do_blocks`;
    no ``wpautop``, as WordPress switches it off for such posts), any other
    post goes through ``wpautop``; then ``shortcode_unautop``; ``strict``: raise :class:`RenderError` when a
    handler or template fails; ``tags``: the names to recognise as
    shortcodes at all (``None``: those with a handler or template, and the
    others that count as shortcodes by :mod:`shortcodes.core.classify`);
    ``ignore_html``: run no shortcode inside HTML tags (WordPress's
    ``do_shortcode($text, true)``); ``plugins``: what to set the renderer up
    with (default :data:`~.plugins.DEFAULT_PLUGINS`).

    ``env`` is the Jinja environment (add filters or globals there).

    >>> Renderer(unknown="strip").render("a [b]c[/b] d")
    'a c d'
    >>> Renderer(plugins=()).render('[covid19-ultimate-card region="EG"]')   # the bare engine
    '[covid19-ultimate-card region="EG"]'
    """

    def __init__(self, *, templates: Sequence["str | os.PathLike[str]"] = (), locale: "str | Locale | None" = None,
                 as_of: "_dt.date | str | None" = None, provider: Any = None,
                 unknown: str = "keep", autop: bool = False, strict: bool = False,
                 tags: Iterable[str] | None = None, ignore_html: bool = False,
                 plugins: "Iterable[PluginSpec] | None" = None) -> None:
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
        self.ignore_html = bool(ignore_html)
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
        self._handlers: dict[str, Callable[..., Any]] = {}
        self._contracts: dict[str, str] = {}
        self._arity: dict[str, int] = {}
        self._variants: dict[str, Callable[[], tuple[Variant, ...]]] = {}
        self._pure: dict[str, jinja2.BaseLoader] = {}  # tag -> the loader whose template of it is pure
        # tag -> (the loader whose template the function reproduces, the function)
        self._fast: dict[str, tuple[jinja2.BaseLoader, Callable[..., Any]]] = {}
        self._memo: dict[tuple[Any, ...], tuple[str, tuple[tuple[str, str, str], ...], tuple[str, ...]]] = {}
        #: When a list: every entry the memo of pure renderings gains is appended to it (``(key, entry)``,
        #: picklable), for :meth:`remember` in another copy of this renderer (``--jobs N``'s workers
        #: share what each rendered).
        self.memo_log: "list[tuple[tuple[Any, ...], Any]] | None" = None
        self._local = threading.local()
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
        """Decorator: register a handler for tag ``name`` (either contract, see :meth:`register`)."""
        def decorate(fn: F) -> F:
            self.register(name, fn)
            return fn
        return decorate

    def register(self, name: str, fn: "Handler | WordPressHandler") -> None:
        """Register a handler for tag ``name``; it wins over a template of the same name.

        ``fn(node, ctx) -> str`` (HTML) is the renderer's own contract.  A
        WordPress callback ``fn(atts, content, tag)`` is recognised by its
        parameters (see :func:`handler_contract`) and called as
        :meth:`register_wp` calls it; a function that fits neither is refused
        here with a :class:`TypeError` that names both contracts.

        >>> r = Renderer(plugins=())
        >>> r.register("b", lambda atts, content, tag: f"<b>{content}</b>")
        >>> r.handler_contract("b"), r.render("[b]x[/b]")
        ('fn(atts, content, tag)', '<b>x</b>')
        """
        self._check_name(name, fn)
        self._set_handler(name, fn, handler_contract(fn, name))

    def register_wp(self, name: str, fn: WordPressHandler) -> None:
        """Register a WordPress ``add_shortcode()`` callback ``fn(atts, content, tag)`` for tag ``name``.

        It is called exactly as :func:`shortcodes.do_shortcode` calls it:
        ``atts`` is :meth:`~shortcodes.core.nodes.Shortcode.php_atts` (``''``
        when the tag has no attributes, else a dict with ``str`` keys for
        named and ``int`` keys for positional values), ``content`` the raw
        enclosed text (``''`` for a tag that encloses nothing), ``tag`` the
        name.  It returns HTML (``None`` prints nothing, as in PHP); nested
        shortcodes in ``content`` are its own business, as in WordPress
        (``renderer.render(content)`` renders them, once).

        >>> r = Renderer(plugins=())
        >>> r.register_wp("box", lambda atts, content, tag: f'<div class="{atts["class"]}">{r.render(content)}</div>')
        >>> r.register_wp("year", lambda atts, content, tag: "2024")
        >>> r.render('[box class="note"]© [year][/box] [[year]]')
        '<div class="note">© 2024</div> [year]'
        """
        self._check_name(name, fn)
        self._set_handler(name, fn, WORDPRESS_CONTRACT)

    def _check_name(self, name: str, fn: object) -> None:
        if not isinstance(name, str) or not _valid_name(name):
            raise ValueError(f"{name!r} is not a valid shortcode name")
        if not callable(fn):
            raise TypeError(f"handler for [{name}] is not callable")

    def _set_handler(self, name: str, fn: Callable[..., Any], contract: str) -> None:
        self._handlers[name] = fn
        self._contracts[name] = contract
        self._arity[name] = _wp_arity(fn) if contract == WORDPRESS_CONTRACT else 2
        self._forget_pure()

    def handler_contract(self, name: str) -> "str | None":
        """The contract of the handler registered for ``name`` (:data:`NODE_CONTRACT` or
        :data:`WORDPRESS_CONTRACT`), or ``None`` when there is none."""
        return self._contracts.get(name)

    def add_variants(self, name: str, variants: Callable[[], tuple[Variant, ...]]) -> None:
        """For plugins: the examples of tag ``name`` that ``shortcodes gallery`` shows (``variants()``)."""
        self._variants[name] = variants

    def variants(self, name: str) -> tuple[Variant, ...]:
        """The examples a plugin gave for tag ``name`` (``()`` when none)."""
        fn = self._variants.get(name)
        return () if fn is None else tuple(fn())

    def add_templates(self, folder: "str | os.PathLike[str] | Traversable", *, pure: Iterable[str] = (),
                      fast: "Mapping[str, Callable[..., Any]] | None" = None) -> None:
        """Add a folder of templates after the user's folders and the plugins added before.

        For plugins: ``renderer.add_templates(bundled_templates("my-plugin"))``
        or any folder path.  ``pure``: tags whose template in this folder is
        pure (see the module docs): while it is the template in use, equal
        tags are rendered once.  A pure template must not read ``post``,
        ``ctx.post`` or ``ctx.unique_id`` (if it does, that rendering is not
        kept).  ``fast``: ``{tag: fn}``, where ``fn(node, ctx)`` writes what
        this folder's ``<tag>.html`` writes, without Jinja; used while that
        template is the one in use (see the module docs).
        """
        if isinstance(folder, (str, os.PathLike)):
            loader: jinja2.BaseLoader = jinja2.FileSystemLoader(os.fspath(folder))
        else:
            loader = TraversableLoader(folder)
        self._plugin_loaders.append(loader)
        for tag in [pure] if isinstance(pure, str) else pure:
            self._pure[tag] = loader
        for tag, fn in (fast or {}).items():
            self._fast[tag] = (loader, fn)
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
        self._memo.clear()

    def template_tags(self) -> frozenset[str]:
        """Tags that have a template (``<tag>.html`` in a template folder or a plugin's).

        The folders are listed once per renderer (rendering a site calls this
        for every post), and templates and stylesheets are loaded once; call
        :meth:`refresh_templates` after adding or editing templates.
        """
        tags = self.__dict__.get("_template_tags")
        if tags is None:
            names = self.env.list_templates(
                filter_func=lambda n: n.endswith(TEMPLATE_SUFFIX) and "/" not in n and not n.startswith("_"))
            tags = frozenset(n for n in (t[: -len(TEMPLATE_SUFFIX)] for t in names) if _valid_name(n))
            self.__dict__["_template_tags"] = tags
        return tags

    def remember(self, entries: "Iterable[tuple[tuple[Any, ...], Any]]") -> None:
        """Add ``entries`` of another copy's :attr:`memo_log` (made with the same templates, handlers,
        locale and figures: a forked copy) to this renderer's memo of pure renderings; a hit gives what
        rendering would, so the output does not change, only the work."""
        for key, entry in entries:
            if key not in self._memo:
                self._memorise(key, entry)

    def _memorise(self, key: tuple[Any, ...], entry: Any) -> None:
        """Keep ``entry`` in the memo of pure renderings (bounded: the oldest goes first)."""
        memo = self._memo
        if len(memo) >= MEMO_SIZE:
            del memo[next(iter(memo))]
        memo[key] = entry

    def refresh_templates(self) -> None:
        """Forget the listed template folders, the loaded templates and stylesheets (see :meth:`template_tags`)."""
        for key in ("_template_tags", "_templates", "_template_variables", "_stylesheets"):
            self.__dict__.pop(key, None)
        self._forget_pure()

    def _forget_pure(self) -> None:
        self.__dict__.pop("_pure_now", None)
        self.__dict__.pop("_fast_now", None)
        self._memo.clear()

    @property
    def known_tags(self) -> frozenset[str]:
        """Tags with a handler or a template."""
        return frozenset(self._handlers) | self.template_tags()

    @property
    def handlers(self) -> Mapping[str, Callable[..., Any]]:
        """The registered handlers, by tag, as they were given (read-only view)."""
        return MappingProxyType(self._handlers)

    def stylesheet_text(self, name: str) -> str:
        """The text of stylesheet ``name`` (user folders first, then the plugins')."""
        cache: dict[str, str] = self.__dict__.setdefault("_stylesheets", {})
        text = cache.get(name)
        if text is None:
            loader = self.env.loader
            assert loader is not None
            text = cache[name] = loader.get_source(self.env, name)[0]
        return text

    def _template(self, name: str) -> jinja2.Template:
        cache: dict[str, jinja2.Template] = self.__dict__.setdefault("_templates", {})
        template = cache.get(name)
        if template is None:
            template = cache[name] = self.env.get_template(name + TEMPLATE_SUFFIX)
        return template

    def _template_vars(self, name: str) -> frozenset[str]:
        """The variables the template of ``name`` reads from its context (``content``, ``ctx``, …)."""
        cache: dict[str, frozenset[str]] = self.__dict__.setdefault("_template_variables", {})
        found = cache.get(name)
        if found is None:
            loader = self.env.loader
            assert loader is not None
            try:
                source = loader.get_source(self.env, name + TEMPLATE_SUFFIX)[0]
                found = frozenset(jinja2.meta.find_undeclared_variables(self.env.parse(source)))
            except jinja2.TemplateError:
                found = frozenset({"content", "ctx"})  # it will fail when rendered, and say why
            cache[name] = found
        return found

    def _wants_content(self, name: str) -> bool:
        """Whether the handler or template of ``name`` may use its rendered children."""
        if name in self._handlers:
            return True
        return bool(self._template_vars(name) & {"content", "ctx"})

    def _pure_tags(self) -> frozenset[str]:
        """The pure tags whose pure template is the one in use now (no handler, not overridden)."""
        found = self.__dict__.get("_pure_now")
        if found is None:
            found = self.__dict__["_pure_now"] = frozenset(self._in_use(self._pure))
        return found

    def _fast_paths(self) -> Mapping[str, Callable[..., Any]]:
        """The fast paths whose template is the one in use now (no handler, not overridden)."""
        found = self.__dict__.get("_fast_now")
        if found is None:
            owners = {tag: owner for tag, (owner, _fn) in self._fast.items()}
            found = self.__dict__["_fast_now"] = {tag: self._fast[tag][1] for tag in self._in_use(owners)}
        return found

    def _in_use(self, owners: Mapping[str, jinja2.BaseLoader]) -> set[str]:
        """The tags of ``owners`` (tag -> loader) without a handler whose template comes from that loader."""
        loader = self.env.loader
        order = list(loader.loaders) if isinstance(loader, jinja2.ChoiceLoader) else []
        ok = set()
        for tag, owner in owners.items():
            if tag in self._handlers:
                continue
            for candidate in order:
                try:
                    candidate.get_source(self.env, tag + TEMPLATE_SUFFIX)
                except jinja2.TemplateNotFound:
                    continue
                if candidate is owner:
                    ok.add(tag)
                break
        return ok

    # -- rendering ------------------------------------------------------------
    def render(self, text: str, *, post: "Mapping[str, Any] | Post | None" = None,
               as_of: "_dt.date | str | None" = None) -> str:
        """Render ``text`` to an HTML fragment (see :meth:`render_result`).

        Called by a handler on its own tag's ``node.content`` (the WordPress
        way: ``do_shortcode($content)``), it returns the tag's rendered
        children, rendered once (``ctx.content``), in the same output.
        """
        if post is None and as_of is None:
            frames = getattr(self._local, "frames", None)
            if frames:
                ctx = frames[-1]
                node = ctx.node
                if node is not None and node.content is not None and (text is node.content or text == node.content):
                    return str(ctx.content)
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

        >>> res = Renderer().render_result("[[x]] [y/]")
        >>> res.html, dict(res.counts["y"])
        ('[[x]] [y/]', {'rendered': 0, 'kept': 1, 'stripped': 0, 'failed': 0})
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
    def _plan(self, text: str, known: frozenset[str], policy: UnknownTagPolicy) -> tuple[_Plan, HtmlView]:
        """WordPress's view of ``text``: which tags run, where (see :mod:`.html`)."""
        view = html_view(text)
        doc = parse_view(view, self.tags)
        if self.tags is None:
            if "[" in text:
                # The rule over every occurrence parse() sees (as the inventory counts them).
                if view.unmask is None:
                    names, every = classify_names(doc, known)
                    rest = names != every
                else:
                    names = classify_names(parse(text), known)[0]
                    rest = any(sc.name not in names for sc in doc.shortcodes)
                if rest:  # bracketed text that is no shortcode: parse again without it
                    doc = parse_view(view, longest_first(names))
            else:
                names = frozenset()
            recognised: "frozenset[str] | None" = names | known
        else:
            recognised = frozenset(self.tags)
        rewrites = not policy.verbatim

        def acts(name: str) -> bool:
            return (name in known or rewrites) and (recognised is None or name in recognised)

        if self.tags is None:
            order: Callable[[Iterable[str]], list[str]] = longest_first
        else:
            rank = {t: i for i, t in enumerate(self.tags)}

            def order(names: Iterable[str]) -> list[str]:
                return sorted(names, key=rank.__getitem__)

        plan = _Plan(doc, text, acts, order, [])
        plan.expanding(view, self.ignore_html)
        return plan, view

    def _run(self, text: str, *, post: "Mapping[str, Any] | Post | None", as_of: Any,
             page: bool, inline_styles: bool) -> tuple[str, RenderCall]:
        if not isinstance(text, str):
            raise TypeError(f"render() needs a str, not {type(text).__name__}")
        when = coerce_date(as_of) if as_of is not None else self.as_of
        meta, record = _post_mapping(post)
        known = self.known_tags
        policy: UnknownTagPolicy = POLICIES[self.unknown]
        source = text
        if self.autop:  # the_content: do_blocks, then wpautop unless the post has blocks, shortcode_unautop
            source = shortcode_unautop(do_blocks(text) if has_blocks(text) else wpautop(text), sorted(known))
        plan, view = self._plan(source, known, policy)
        if source != text:
            original, original_view = self._plan(text, known, policy)
            call = RenderCall(self, source, plan.doc, text, _map_origin(plan.doc, original.doc), as_of=when,
                              post=meta, post_record=record, page=page, inline_styles=inline_styles)
            plan.origin = _map_elements(view, original_view).get
            parse_diags = original.doc.diagnostics
        else:
            call = RenderCall(self, text, plan.doc, text, {}, as_of=when, post=meta, post_record=record, page=page,
                              inline_styles=inline_styles)
            parse_diags = plan.doc.diagnostics
        call.diagnostics.extend(parse_diags)
        state = _State(self, call, known, policy, plan)
        return state.render_nodes(plan.doc.children, plan, eager=False, in_attribute=False), call


class _State:
    """One call's rendering: the walk over the nodes, the handlers' invocations, the memo."""

    def __init__(self, renderer: Renderer, call: RenderCall, known: frozenset[str], policy: UnknownTagPolicy,
                 plan: _Plan) -> None:
        self.r = renderer
        self.call = call
        self.known = known
        self.policy = policy
        self.plan = plan
        self.pure = renderer._pure_tags() if renderer._pure else frozenset()
        self.fast = renderer._fast_paths() if renderer._fast else {}

    # -- text, and the shortcodes in its HTML attributes -------------------------
    def text(self, node: Text, plan: _Plan) -> str:
        if not plan.elements:
            return node.text
        return self.slice(plan, *node.span)

    def slice(self, plan: _Plan, a: int, b: int) -> str:
        """``plan.source[a:b]`` with the attribute shortcodes of its HTML elements run (written as it is)."""
        source = plan.source
        i = bisect.bisect_left(plan.starts, a)
        if i == len(plan.starts) or plan.starts[i] >= b:
            return source[a:b]
        parts: list[str] = []
        pos = a
        while i < len(plan.starts) and plan.starts[i] < b:
            start, end, names = plan.elements[i]
            parts.append(source[pos:start])
            parts.append(self.element(plan, start, end, names))
            pos = end
            i += 1
        parts.append(source[pos:b])
        return "".join(parts)

    def element(self, plan: _Plan, start: int, end: int, names: list[str]) -> str:
        """One HTML element with the shortcodes of its attributes run, as ``do_shortcodes_in_html_tags()`` does."""
        def expand(piece: str, offset: int) -> tuple[str, int]:
            def run(m: WPMatch) -> str:
                return self.attribute_shortcode(m.source(), plan, start, offset + m.start, names)
            return shortcode_subn(piece, names, run)

        return expand_html_element(plan.source[start:end], expand)

    def attribute_shortcode(self, text: str, plan: _Plan, element: int, offset: int, names: list[str]) -> str:
        """One shortcode of an attribute value, run on its own (WordPress's ``do_shortcode_tag()`` there)."""
        view = content_view(text, parse(text, names))
        origin = plan.origin(element)
        base = None if origin is None else origin + offset
        sub = _Plan(parse_view(view, names), text, plan.acts, plan.order, [], plan.offset + element + offset,
                    (lambda start: None) if base is None else (lambda start: base + start))
        sub.expanding(view, self.r.ignore_html)
        self.call.place(sub.doc, sub.offset, base)
        return self.render_nodes(sub.doc.children, sub, eager=False, in_attribute=True)

    # -- the walk -----------------------------------------------------------------
    def render_nodes(self, nodes: Sequence[Node], plan: _Plan, *, eager: bool, in_attribute: bool) -> str:
        """The output of ``nodes`` (of ``plan``'s document), without recursion.

        An unknown tag writes its policy's parts around its children straight
        into the output; a known tag is invoked with its children unrendered
        (``ctx.content`` renders them when asked), except in ``eager`` mode,
        where the children of a tag that may use them are rendered first.
        """
        call = self.call
        known = self.known
        policy = self.policy
        out: list[str] = []
        # frame: (children, where they go, what closes an unknown tag, the known tag they are the content of,
        #         where that tag's output goes)
        stack: list[tuple[Iterator[Node], list[str], str, "Shortcode | None", "list[str] | None"]] = [
            (iter(nodes), out, "", None, None)]
        while stack:
            it, parts, after, owner, target = stack[-1]
            node = next(it, None)
            if node is None:
                stack.pop()
                if owner is None:
                    parts.append(after)
                else:
                    assert target is not None
                    target.append(self.invoke(owner, plan, "".join(parts), in_attribute))
                continue
            if isinstance(node, Text):
                parts.append(self.text(node, plan))
                continue
            name = node.name
            start, end = node.span
            if node.escaped:  # written as it is (WordPress has run the attributes' shortcodes first)
                call.count(name, "kept")
                if name in known or not policy.keeps_escapes:
                    parts.append(self.slice(plan, start + 1, end - 1))
                else:
                    parts.append(self.slice(plan, start, end))
                continue
            if name in known:
                if eager and node.children and self.r._wants_content(name):
                    stack.append((iter(node.children), [], "", node, parts))
                else:
                    parts.append(self.invoke(node, plan, None, in_attribute))
                continue
            close = (node.close_tag if node.close_tag is not None else f"[/{name}]") if node.enclosing else ""
            before, closing = policy.wrap(node, close, _locator(call, node))
            if policy.verbatim and plan.elements:  # the tag as written, as WordPress's pre-pass left it
                before = self.slice(plan, start, start + len(node.open_tag))
            call.count(name, policy.count)
            parts.append(before)
            if node.children:
                stack.append((iter(node.children), parts, closing, None, None))
            else:
                parts.append(closing)
        return "".join(out)

    def content_of(self, node: Shortcode, plan: _Plan, in_attribute: bool) -> str:
        """The rendered children of ``node`` (``ctx.content``).

        Lazily nested renderings recurse through the handlers that ask for
        their content; past :data:`LAZY_DEPTH` of them, the rest of the
        subtree is rendered eagerly, children first, without recursion.
        """
        if not node.children:
            return ""
        call = self.call
        call.depth += 1
        try:
            return self.render_nodes(node.children, plan, eager=call.depth > LAZY_DEPTH, in_attribute=in_attribute)
        finally:
            call.depth -= 1

    # -- one known tag -----------------------------------------------------------
    def memo_key(self, node: Shortcode, plan: _Plan, in_attribute: bool) -> "tuple[Any, ...] | None":
        if node.name not in self.pure or any(isinstance(c, Shortcode) for c in node.children):
            return None
        if node.content and plan.elements:
            i = bisect.bisect_left(plan.starts, node.span[0])
            if i < len(plan.starts) and plan.starts[i] < node.span[1]:
                return None  # its content runs attribute shortcodes of its own
        call = self.call
        r = self.r
        return (node.name, tuple(node.attrs.items()), node.positional, node.content, call.as_of, call.page,
                call.inline_styles, r.locale_tag, str(r.locale), frozenset(call.styles), in_attribute)

    def invoke(self, node: Shortcode, plan: _Plan, content: "str | None", in_attribute: bool) -> str:
        r = self.r
        call = self.call
        name = node.name
        key = self.memo_key(node, plan, in_attribute) if self.pure else None
        if key is not None:
            hit = r._memo.get(key)
            if hit is not None:
                html, diagnostics, styles = hit
                for kind, message, severity in diagnostics:
                    call.diagnose(kind, message, node, severity)
                for style in styles:
                    if style not in call.styles:
                        call.styles.append(style)
                call.count(name, "rendered")
                return html
        ctx = RenderContext(call, node, (lambda: self.content_of(node, plan, in_attribute)) if content is None else content,
                            in_attribute=in_attribute, record=key is not None)
        frames = r._local.__dict__.setdefault("frames", [])
        frames.append(ctx)
        try:
            fn = r._handlers.get(name)
            if fn is not None:
                if r._contracts[name] == WORDPRESS_CONTRACT:
                    args = (node.php_atts(), node.content or "", name)[:r._arity[name]]
                    out: Any = handler_output(fn(*args), name)
                else:
                    out = fn(node, ctx)
                    if out is None:
                        raise TypeError(f"the handler for [{name}] returned None (return a string)")
            elif name in self.fast:
                out = self.fast[name](node, ctx)
            else:
                template = r._template(name)
                content_arg = ctx.content if "content" in r._template_vars(name) else _LazyContent(ctx)
                out = template.render(attrs=node.attrs, positional=node.positional, content=content_arg,
                                      raw_content=node.content, node=node, tag=name, post=call.post, ctx=ctx)
            html = str(out)
        except RenderError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken tag must not take the page down
            if name in r._handlers:
                what = f"handler ({r._contracts[name]})"
            else:
                what = f"template {name}{TEMPLATE_SUFFIX}"
            message = f"[{name}] not rendered: the {what} failed: {type(exc).__name__}: {exc}"
            if r.strict:
                _span, line, col, note = call.where(node)
                raise RenderError(message + note, line=line, column=col, tag=name) from exc
            call.count(name, "failed")
            call.diagnose("render-failed", message + "; its source is kept", node, "error")
            start, end = node.span
            return self.slice(plan, start, end)
        finally:
            frames.pop()
        for style in ctx._pending_styles:
            if style not in call.styles:
                call.styles.append(style)
        call.count(name, "rendered")
        if key is not None and ctx._pure and ctx._recorded is not None:
            entry = (html, tuple(ctx._recorded), tuple(ctx._pending_styles))
            r._memorise(key, entry)
            if r.memo_log is not None:
                r.memo_log.append((key, entry))
        return html


def _locator(call: RenderCall, node: Shortcode) -> Callable[[], tuple[int, int, str]]:
    def locate() -> tuple[int, int, str]:
        _span, line, col, note = call.where(node)
        return line, col, note
    return locate


def render(text: str, **options: Any) -> str:
    """Render ``text`` with a :class:`Renderer` made from ``options``.

    ``post`` and ``as_of`` are passed to :meth:`Renderer.render`; everything
    else to the constructor.

    >>> render('<p>[[gallery]] [gone ids="1"]x[/gone]</p>', unknown="strip")
    '<p>[gallery] x</p>'
    """
    post = options.pop("post", None)
    as_of = options.pop("as_of", None)
    return Renderer(**options).render(text, post=post, as_of=as_of)
