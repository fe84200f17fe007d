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

HTML is compared as trees (:mod:`shortcodes.testing.html_compare`).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Mapping

import pytest

from ..common.dates import coerce_date
from ..common.fileio import atomic_write_text
from .html_compare import _diff, assert_html_equal, canonical_html

if TYPE_CHECKING:  # pragma: no cover
    from ..renderer.engine import Renderer

__all__ = [
    "assert_html_equal",
    "canonical_html",
    "HtmlSnapshot",
    "PluginSettings",
]

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
            as_of = coerce_date(raw_date, f"{where}:")
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None
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
    from ..renderer.engine import Renderer  # here, not at the top: the plugin loads in every pytest run

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
