"""pytest plugin: fixtures for testing a theme's shortcodes, and HTML snapshots.

Installed with wp-shortcodes (entry point ``pytest11``: ``shortcodes``), so it
is active in every test suite of an environment where the package is
installed.  It only adds options and fixtures; nothing runs unless a test asks
for one of them.  Disable it with ``pytest -p no:shortcodes``.

Fixtures
--------
``shortcode_renderer`` (module scope)
    a :class:`shortcodes.renderer.Renderer` configured from the options below.
``render_shortcode`` (module scope)
    ``render_shortcode(text, **kw) -> str``: ``shortcode_renderer.render``.
``shortcode_renderer_options`` (session scope)
    the keyword arguments the renderer is built with; override it (or
    ``shortcode_renderer``, with module or session scope) in a
    ``conftest.py`` to add a data provider, handlers or another policy.
``assert_html_equal``
    :func:`assert_html_equal`: compares two HTML fragments as trees.
``html_snapshot``
    compares rendered HTML with a golden file,
    ``__snapshots__/<test module>/<test name>.html`` beside the test file.

The renderer fixtures are module-scoped so that Hypothesis tests (``@given``)
can use them: Hypothesis refuses function-scoped fixtures, which would not be
reset between its examples.

Options (command line, or ini keys in ``pytest.ini`` / ``pyproject.toml`` /
``setup.cfg``; the command line wins)
-----------------------------------------------------------------------------
``--shortcodes-templates DIR`` (repeatable), ini ``shortcodes_templates``
    template folders searched before the bundled templates; command-line
    folders (relative to the current directory) come before the ini ones
    (relative to the ini file).
``--shortcodes-locale LOCALE``, ini ``shortcodes_locale``
    e.g. ``ar-EG``.
``--shortcodes-as-of YYYY-MM-DD``, ini ``shortcodes_as_of``
    the date of the figures the cards show; fix it, or snapshots change
    whenever the data does.
``--shortcodes-update-snapshots``
    write missing golden files and rewrite those that differ (then review
    them with ``git diff`` and commit them).

Comparing HTML
--------------
>>> assert_html_equal('<p class="b a" id=x>Hi  <b>there</b></p>',
...                   '<p id="x" class="a b">\\n  Hi\\n  <b>there</b>\\n</p>')
>>> print(canonical_html('<div><p class="b a">Hi <br> there <b> you</b></div>'))
<div>
  <p class="a b">
    Hi
    <br>
    there
    <b>you</b>
  </p>
</div>
"""
from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Mapping

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from .renderer import Renderer

__all__ = [
    "assert_html_equal",
    "canonical_html",
    "HtmlSnapshot",
    "PluginSettings",
]

# ---------------------------------------------------------------------------
# canonical HTML
# ---------------------------------------------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements whose text is kept exactly (whitespace included).
_PRESERVE = frozenset(("pre", "textarea", "script", "style"))
_RAW_TEXT = frozenset(("script", "style"))
#: Start tags that close an open <p> (HTML's "close a p element").
_CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 "
    "h6 header hgroup hr main menu nav ol p pre section table ul".split()
)
#: Start tags that close an open element of the listed kinds (implied end tags).
_IMPLIED = {
    "li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
    "td": ("td", "th"), "th": ("td", "th"), "option": ("option",),
}
#: Elements that end the search for an element to close implicitly (HTML's scopes, roughly).
_SCOPE = frozenset("table td th caption button object template select ul ol dl".split())
_HTML_WS = re.compile(r"[ \t\n\r\f]+")


@dataclass
class _Node:
    tag: str  # "#text", "#comment", "#decl", "#stray" or an element name
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    text: str = ""


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def _open(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._close_if_open(("p",), stop_at_block=True)
        if tag in _IMPLIED:
            self._close_if_open(_IMPLIED[tag], stop_at_block=True)

    def _close_if_open(self, tags: tuple[str, ...], stop_at_block: bool) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in tags:
                del self.stack[i:]
                return
            if stop_at_block and t in _SCOPE:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag)
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag)
        self.stack[-1].children.append(_Node(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        self.stack[-1].children.append(_Node("#stray", text=tag))

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and children[-1].tag == "#text":  # the parser may split one text ("a < b")
            children[-1].text += data
        else:
            children.append(_Node("#text", text=data))

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(_Node("#comment", text=data))

    def handle_decl(self, decl: str) -> None:
        self.stack[-1].children.append(_Node("#decl", text=decl))

    def unknown_decl(self, data: str) -> None:
        self.stack[-1].children.append(_Node("#decl", text=data))

    def handle_pi(self, data: str) -> None:
        self.stack[-1].children.append(_Node("#decl", text="?" + data))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;")


def _escape_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("\u00a0", "&nbsp;")


def _canonical_attrs(attrs: list[tuple[str, str | None]], ignore_class_order: bool) -> str:
    seen: dict[str, str] = {}
    for name, value in attrs:
        if name not in seen:  # HTML keeps the first of duplicate attributes
            seen[name] = "" if value is None else value
    parts = []
    for name in sorted(seen):
        value = seen[name]
        if name == "class":
            tokens = _HTML_WS.split(value.strip()) if value.strip() else []
            value = " ".join(sorted(tokens) if ignore_class_order else tokens)
        elif name == "style":
            decls = [d.strip() for d in value.split(";")]
            value = "; ".join(_style_decl(d) for d in decls if d)
        parts.append(f' {name}="{_escape_attr(value)}"')
    return "".join(parts)


def _style_decl(decl: str) -> str:
    prop, sep, val = decl.partition(":")
    return f"{prop.strip().lower()}: {_HTML_WS.sub(' ', val.strip())}" if sep else _HTML_WS.sub(" ", decl)


def _inline(node: _Node, raw: bool, ignore_class_order: bool) -> str:
    """Serialise a subtree exactly (for pre, textarea, script, style)."""
    if node.tag == "#text":
        return node.text if raw else _escape_text(node.text)
    if node.tag == "#comment":
        return f"<!--{node.text}-->"
    if node.tag == "#decl":
        return f"<!{node.text}>"
    if node.tag == "#stray":
        return f"</{node.text}>"
    inner_raw = raw or node.tag in _RAW_TEXT
    inner = "".join(_inline(c, inner_raw, ignore_class_order) for c in node.children)
    start = f"<{node.tag}{_canonical_attrs(node.attrs, ignore_class_order)}>"
    return start if node.tag in _VOID else f"{start}{inner}</{node.tag}>"


def _pretty(node: _Node, depth: int, out: list[str], ignore_class_order: bool) -> None:
    pad = "  " * depth
    for child in node.children:
        tag = child.tag
        if tag == "#text":
            text = _HTML_WS.sub(" ", child.text).strip(" ")
            if text:
                out.append(pad + _escape_text(text))
        elif tag == "#comment":
            out.append(f"{pad}<!--{_HTML_WS.sub(' ', child.text).strip(' ')}-->")
        elif tag == "#decl":
            out.append(f"{pad}<!{_HTML_WS.sub(' ', child.text).strip(' ')}>")
        elif tag == "#stray":
            out.append(f"{pad}</{child.text}>")
        elif tag in _PRESERVE:
            out.append(pad + _inline(child, False, ignore_class_order))
        else:
            start = f"<{tag}{_canonical_attrs(child.attrs, ignore_class_order)}>"
            if tag in _VOID:
                out.append(pad + start)
            elif not child.children:
                out.append(f"{pad}{start}</{tag}>")
            else:
                mark = len(out)
                _pretty(child, depth + 1, out, ignore_class_order)
                if len(out) == mark:  # only whitespace inside
                    out.append(f"{pad}{start}</{tag}>")
                elif len(out) == mark + 1 and not out[mark].lstrip().startswith("<"):  # one text: one line
                    out[mark] = f"{pad}{start}{out[mark].lstrip()}</{tag}>"
                else:
                    out.insert(mark, pad + start)
                    out.append(f"{pad}</{tag}>")


def canonical_html(fragment: str, *, ignore_class_order: bool = True) -> str:
    """A canonical, pretty-printed form of an HTML fragment, for comparisons.

    Parsed with the standard library's :class:`html.parser.HTMLParser`
    (plus HTML's implied end tags for ``p``, ``li``, ``dt``/``dd``, table
    rows and cells, ``option``); then written one node per line, indented by
    two spaces, with:

    * attributes sorted by name, always double-quoted (``disabled`` →
      ``disabled=""``; of duplicates the first wins, as in browsers);
    * class tokens sorted (unless ``ignore_class_order=False``);
    * ``style`` declarations written ``prop: value`` and joined by ``; ``
      (their order is kept: it matters in CSS);
    * character references decoded and re-escaped the same way everywhere
      (``&#038;`` and ``&amp;`` are equal; a no-break space is ``&nbsp;``);
    * whitespace collapsed, and dropped between elements and at the edges of
      text (so ``a <b>b</b>`` equals ``a<b>b</b>``), except inside ``pre``,
      ``textarea``, ``script`` and ``style``, which are kept exactly;
    * an end tag without start tag kept where it is.

    The result is itself HTML whose canonical form is the same text.

    >>> canonical_html('<ul><li>one<li>two</ul>')
    '<ul>\\n  <li>one</li>\\n  <li>two</li>\\n</ul>'
    """
    builder = _TreeBuilder()
    builder.feed(str(fragment))
    builder.close()
    out: list[str] = []
    _pretty(builder.root, 0, out, ignore_class_order)
    return "\n".join(out)


def _diff(expected: str, actual: str, from_name: str = "expected", to_name: str = "actual") -> str:
    return "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), from_name, to_name,
                                          lineterm="", n=3))


def assert_html_equal(actual: str, expected: str, *, ignore_class_order: bool = True) -> None:
    """Assert that two HTML fragments are the same tree (see :func:`canonical_html`).

    Whitespace between elements, attribute order and (by default) the order
    of class names do not matter.  On a difference, the message is a unified
    diff of the canonical forms (``-`` expected, ``+`` actual).

    >>> assert_html_equal('<b>1</b>', '<b>2</b>')
    Traceback (most recent call last):
    ...
    AssertionError: HTML differs (canonical forms; - expected, + actual):
    --- expected
    +++ actual
    @@ -1 +1 @@
    -<b>2</b>
    +<b>1</b>
    """
    __tracebackhide__ = True
    a = canonical_html(actual, ignore_class_order=ignore_class_order)
    e = canonical_html(expected, ignore_class_order=ignore_class_order)
    if a != e:
        raise AssertionError(f"HTML differs (canonical forms; - expected, + actual):\n{_diff(e, a)}")


# ---------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PluginSettings:
    """The plugin's options, resolved and checked once per run."""

    templates: tuple[Path, ...] = ()
    locale: str | None = None
    as_of: _dt.date | None = None
    update_snapshots: bool = False

    def renderer_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.templates:
            options["templates"] = [str(p) for p in self.templates]
        if self.locale:
            options["locale"] = self.locale
        if self.as_of is not None:
            options["as_of"] = self.as_of
        return options


_SETTINGS = pytest.StashKey[PluginSettings]()
_WRITTEN = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("shortcodes", "wp-shortcodes: rendering fixtures and HTML snapshots")
    group.addoption("--shortcodes-templates", action="append", default=[], metavar="DIR",
                    dest="shortcodes_templates",
                    help="template folder searched before the bundled templates (repeatable; "
                         "before the ini option shortcodes_templates)")
    group.addoption("--shortcodes-locale", default=None, metavar="LOCALE", dest="shortcodes_locale",
                    help="locale of the shortcode_renderer fixture, e.g. ar-EG (ini: shortcodes_locale)")
    group.addoption("--shortcodes-as-of", default=None, metavar="YYYY-MM-DD", dest="shortcodes_as_of",
                    help="date of the figures the cards show (ini: shortcodes_as_of)")
    group.addoption("--shortcodes-update-snapshots", action="store_true", default=False,
                    dest="shortcodes_update_snapshots",
                    help="write missing HTML snapshots and rewrite those that differ")
    parser.addini("shortcodes_templates", type="paths", default=[],
                  help="template folders for shortcode_renderer, relative to the ini file")
    parser.addini("shortcodes_locale", default="", help="locale for shortcode_renderer, e.g. ar-EG")
    parser.addini("shortcodes_as_of", default="", help="date (YYYY-MM-DD) of the figures for shortcode_renderer")


def _resolve(config: pytest.Config) -> PluginSettings:
    inifile = str(config.inipath) if config.inipath else "the ini file"
    base = Path(config.invocation_params.dir)
    folders: list[Path] = []
    for raw in config.getoption("shortcodes_templates") or []:
        path = (base / raw).resolve()
        if not path.is_dir():
            raise pytest.UsageError(f"--shortcodes-templates {raw}: {path} is not a folder")
        folders.append(path)
    for path in config.getini("shortcodes_templates") or []:
        path = Path(path).resolve()
        if not path.is_dir():
            raise pytest.UsageError(f"shortcodes_templates in {inifile}: {path} is not a folder")
        if path not in folders:
            folders.append(path)
    locale = config.getoption("shortcodes_locale") or (config.getini("shortcodes_locale") or "").strip() or None
    as_of: _dt.date | None = None
    raw_date = config.getoption("shortcodes_as_of")
    where = "--shortcodes-as-of"
    if not raw_date:
        raw_date = (config.getini("shortcodes_as_of") or "").strip()
        where = f"shortcodes_as_of in {inifile}"
    if raw_date:
        try:
            as_of = _dt.date.fromisoformat(raw_date)
        except ValueError:
            raise pytest.UsageError(f"{where}: {raw_date!r} is not a date (expected YYYY-MM-DD)") from None
    return PluginSettings(tuple(folders), locale, as_of, bool(config.getoption("shortcodes_update_snapshots")))


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SETTINGS] = _resolve(config)
    config.stash[_WRITTEN] = []


def pytest_report_header(config: pytest.Config) -> "list[str] | None":
    settings = config.stash.get(_SETTINGS, None)
    if settings is None or not (settings.templates or settings.locale or settings.as_of or settings.update_snapshots):
        return None
    parts = []
    if settings.templates:
        parts.append("templates=" + os.pathsep.join(str(p) for p in settings.templates))
    if settings.locale:
        parts.append(f"locale={settings.locale}")
    if settings.as_of:
        parts.append(f"as-of={settings.as_of.isoformat()}")
    if settings.update_snapshots:
        parts.append("updating snapshots")
    return ["shortcodes: " + ", ".join(parts)]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    written = config.stash.get(_WRITTEN, [])
    if not written:
        return
    created = [p for kind, p in written if kind == "created"]
    updated = [p for kind, p in written if kind == "updated"]
    terminalreporter.section("shortcodes snapshots")
    for kind, paths in (("created", created), ("updated", updated)):
        for p in paths:
            terminalreporter.write_line(f"{kind}: {p}")
    terminalreporter.write_line(f"{len(created)} snapshot(s) created, {len(updated)} updated; "
                                "review them (git diff) and commit them")


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def shortcode_renderer_options(pytestconfig: pytest.Config) -> Mapping[str, Any]:
    """Keyword arguments for :class:`~shortcodes.renderer.Renderer` from the plugin's options."""
    return MappingProxyType(pytestconfig.stash[_SETTINGS].renderer_options())


@pytest.fixture(scope="module")
def shortcode_renderer(shortcode_renderer_options: Mapping[str, Any]) -> "Renderer":
    """A :class:`~shortcodes.renderer.Renderer` built from ``shortcode_renderer_options``."""
    from .renderer import Renderer

    try:
        return Renderer(**shortcode_renderer_options)
    except ValueError as exc:
        raise pytest.UsageError(f"shortcodes plugin: cannot build the renderer: {exc}") from None


@pytest.fixture(scope="module")
def render_shortcode(shortcode_renderer: "Renderer") -> Callable[..., str]:
    """``render_shortcode(text, *, post=None, as_of=None) -> str`` with ``shortcode_renderer``."""
    def render_shortcode(text: str, **kwargs: Any) -> str:
        return shortcode_renderer.render(text, **kwargs)

    return render_shortcode


@pytest.fixture(scope="session", name="assert_html_equal")
def _assert_html_equal_fixture() -> Callable[..., None]:
    """:func:`assert_html_equal`: ``assert_html_equal(actual, expected)``."""
    return assert_html_equal


_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\s]+')


def _file_stem(name: str) -> str:
    stem = _UNSAFE_FILE_CHARS.sub("_", name).strip(".") or "_"
    if len(stem) > 120:
        stem = stem[:100] + "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    return stem


class HtmlSnapshot:
    """The ``html_snapshot`` fixture: ``html_snapshot(html)`` compares with a golden file.

    The golden file is ``__snapshots__/<test module>/<test name>.html`` beside
    the test file (the test name includes its class and parameters); a second
    call in the same test uses ``<test name>-2.html`` and so on, or give
    ``name=`` to choose the suffix (``<test name>-<name>.html``).  Files hold
    :func:`canonical_html` text, and the comparison is canonical too, so a
    golden file may be reformatted by hand.

    Without ``--shortcodes-update-snapshots`` a missing file or a difference
    fails the test with the path and a diff; with it, the file is written
    (only when it is missing or differs) and the test passes.
    """

    def __init__(self, test_path: Path, test_name: str, update: bool, rootdir: Path, written: list) -> None:
        self.folder = test_path.parent / "__snapshots__" / test_path.stem
        self.test_name = _file_stem(test_name)
        self.update = update
        self._rootdir = rootdir
        self._written = written
        self._calls = 0

    def path_for(self, name: str | None = None) -> Path:
        """The golden file of the next call (``name=None``) or of ``name``."""
        if name is not None:
            return self.folder / f"{self.test_name}-{_file_stem(name)}.html"
        n = self._calls + 1
        return self.folder / (f"{self.test_name}.html" if n == 1 else f"{self.test_name}-{n}.html")

    def _shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self._rootdir))
        except ValueError:
            return str(path)

    def __call__(self, html: str, *, name: str | None = None) -> None:
        __tracebackhide__ = True
        path = self.path_for(name)
        if name is None:
            self._calls += 1
        actual = canonical_html(html)
        shown = self._shown(path)
        exists = path.is_file()
        expected = canonical_html(path.read_text(encoding="utf-8")) if exists else None
        if expected == actual:
            return
        if self.update:
            from .fileio import atomic_write_text

            atomic_write_text(path, actual + "\n")
            self._written.append(("updated" if exists else "created", shown))
            return
        if not exists:
            pytest.fail(f"HTML snapshot {shown} does not exist.\n"
                        "Run pytest with --shortcodes-update-snapshots to create it, then review and commit it.",
                        pytrace=False)
        pytest.fail(f"rendered HTML differs from snapshot {shown} (- snapshot, + rendered):\n"
                    f"{_diff(expected or '', actual, 'snapshot', 'rendered')}\n"
                    "If the change is intended, run pytest with --shortcodes-update-snapshots and commit the file.",
                    pytrace=False)


@pytest.fixture
def html_snapshot(request: pytest.FixtureRequest) -> HtmlSnapshot:
    """Compare rendered HTML with ``__snapshots__/<module>/<test>.html`` (see :class:`HtmlSnapshot`)."""
    node = request.node
    test_name = ".".join(node.nodeid.split("::")[1:]) or node.name
    config = request.config
    return HtmlSnapshot(Path(node.path), test_name, config.stash[_SETTINGS].update_snapshots,
                        Path(config.rootpath), config.stash[_WRITTEN])
