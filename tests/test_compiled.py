"""The compiled twins of the scanner and the parser against the pure modules they are compiled from (issue 11).

``setup.py`` compiles ``shortcodes/core/scanner.py`` and ``parser.py`` with
Cython into ``_scanner_c``/``_parser_c``; the pure modules adopt them at
import (``shortcodes.common.compiled``).  Here both run in one process: the
pure source is imported a second time under another name (so it keeps its
own functions), and every result is compared: the tokens the scanner gives
at each ``[``, the attributes, the documents (nodes, spans, diagnostics with
their lines and columns, ``repr``) and the errors, on Hypothesis' generated
posts and on every text of ``../shared/corpus``.  The other test modules run
on whichever implementation is installed (the compiled one in CI, where
``.ci/run`` also runs the key tests again with ``SHORTCODES_PURE=1``).
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.common import compiled
from shortcodes.core.classify import WORDPRESS_TAGS
from shortcodes.testing.strategies import REALISTIC_TAG_NAMES, documents

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "shortcodes" / "core"
#: Tags the peer benchmark registers, plus the bundled card (the convert default).
TAGS = ("caption", "gallery", "embed", "audio", "video", "playlist", "vc_row", "vc_column", "covid19-ultimate-card")


def _import_as(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pure() -> tuple[ModuleType, ModuleType]:
    """(scanner, parser) run from the pure sources, whatever is installed."""
    scanner = _import_as("shortcodes.core._scanner_pure", CORE / "scanner.py")
    parser = _import_as("shortcodes.core._parser_pure", CORE / "parser.py")
    # the parser's `from .scanner import ...` found the adopted module: point it at the pure scanner
    parser.Scanner = scanner.Scanner
    assert parser.parse.__module__ == "shortcodes.core._parser_pure"
    return scanner, parser


@pytest.fixture(scope="module")
def twin() -> tuple[ModuleType, ModuleType]:
    """(scanner, parser) compiled; skips where they are not built, except in CI, where they must be."""
    try:
        scanner = importlib.import_module("shortcodes.core._scanner_c")
        parser = importlib.import_module("shortcodes.core._parser_c")
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must build the compiled twins (pip install -e . with Cython and a C compiler): {exc}")
        pytest.skip(f"the compiled twins are not built here: {exc}")
    parser.Scanner = scanner.Scanner  # also under SHORTCODES_PURE=1
    assert type(parser.parse).__name__ == "cython_function_or_method"
    return scanner, parser


def _tokens(scanner_module: ModuleType, text: str, tags: "tuple[str, ...] | None") -> list:
    """What the scanner says at every ``[`` of ``text`` (whole text scanned): fields, not classes."""
    sc = scanner_module.Scanner(text, tags)
    out = []
    n = len(text)
    p = text.find("[")
    while p != -1:
        m = sc.match_at(p, 0, n)
        out.append((p, None if m is None else (m.name, m.start, m.end, m.open_start, m.open_end, m.attr_start,
                                                m.attr_end, m.self_closing, m.escaped, m.content, m.close_start),
                    sc.stray_closer_at(p, n), sc.unterminated_at(p, n)))
        p = text.find("[", p + 1)
    return out


def _outcome(fn, *args, **kwargs):
    try:
        return ("ok", fn(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the same error, message included, is what is compared
        return ("error", type(exc).__name__, str(exc))


def _document(doc) -> tuple:
    diags = tuple((d.kind, d.message, d.span, d.line, d.column, d.severity) for d in doc.diagnostics)
    return doc, diags, repr(doc), str(doc), doc.tags, doc.strict


def _compare(pure, twin, text: str) -> int:
    """Compare everything on one text; returns the number of comparisons made."""
    (ps, pp), (cs, cp) = pure, twin
    count = 0
    for tags in (None, TAGS):
        assert _tokens(ps, text, tags) == _tokens(cs, text, tags), (text, tags)
        for strict in (False, True):
            for mod in (pp, cp):
                mod._ATTRIBUTE_CACHE.clear()
            a = _outcome(pp.parse, text, tags, strict=strict)
            b = _outcome(cp.parse, text, tags, strict=strict)
            assert a[0] == b[0] == "ok", (a, b)
            assert _document(a[1]) == _document(b[1]), (text, tags, strict)
            # again, through the warm attribute caches (spans rebased)
            assert _document(pp.parse(text, tags, strict=strict)) == _document(cp.parse(text, tags, strict=strict))
            count += 2
    for strict in (False, True):
        a = _outcome(pp.parse_attributes, text, strict=strict, pending=[], tag="t")
        b = _outcome(cp.parse_attributes, text, strict=strict, pending=[], tag="t")
        assert a == b, text
        count += 1
    return count


# ------------------------------------------------------------------ the build and the switch
def test_setup_py_compiles_the_modules_the_package_adopts():
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    found = [ast.literal_eval(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and any(isinstance(t, ast.Name) and t.id == "COMPILED_MODULES" for t in node.targets)]
    assert found == [compiled.COMPILED_MODULES]


def test_the_installed_modules_run_what_the_switch_says(twin):
    from shortcodes.core import parser, scanner

    used = compiled.implementation()
    if compiled.pure_forced():
        assert used == dict.fromkeys(compiled.COMPILED_MODULES, "pure")
        assert parser.parse.__module__ == "shortcodes.core.parser" and scanner.Scanner.__module__ == "shortcodes.core.scanner"
    else:
        assert used == dict.fromkeys(compiled.COMPILED_MODULES, "compiled")
        assert parser.parse is twin[1].parse and scanner.Scanner is twin[0].Scanner
        assert parser._ATTRIBUTE_CACHE is twin[1]._ATTRIBUTE_CACHE  # one set of objects
        assert compiled.describe().startswith("parser: compiled (Cython)")


@pytest.mark.parametrize("value, expected", [("1", "pure"), ("", "compiled"), ("0", "compiled")])
def test_shortcodes_pure_switches_the_twins_off(twin, value, expected):
    """In a fresh process: what runs, and what ``shortcodes --version`` says."""
    env = {**os.environ, "SHORTCODES_PURE": value}
    probe = ("import shortcodes, json; from shortcodes.common.compiled import implementation, describe; "
             "shortcodes.parse('[a b=”1″]'); print(json.dumps([sorted(set(implementation().values())), describe(),"
             " shortcodes.parse.__module__]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120, check=True).stdout
    kinds, line, module = __import__("json").loads(out)
    assert kinds == [expected]
    assert module == ("shortcodes.core.parser" if expected == "pure" else "shortcodes.core._parser_c")
    version = subprocess.run([sys.executable, "-m", "shortcodes", "--version"], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=120, check=True).stdout.splitlines()
    assert version[1] == line
    assert ("SHORTCODES_PURE=1" in line) == (expected == "pure")


def test_a_twin_built_from_another_source_is_not_used(twin, tmp_path):
    edited = tmp_path / "parser.py"
    edited.write_bytes((CORE / "parser.py").read_bytes() + b"\n# edited since the build\n")
    module, why = compiled._load_twin("shortcodes.core.parser", str(edited))
    assert module is None and why.startswith("stale: built from another version of parser.py")
    module, why = compiled._load_twin("shortcodes.core.parser", str(CORE / "parser.py"))
    assert module is twin[1] and why == ""


# ------------------------------------------------------------------ differential: generated inputs
_BRACKETY = st.lists(st.sampled_from(list("[]/ =\"'”″’‘“&#;8217a-x\n") + ["gallery", "caption", "vc_row",
                                                                            "&#8221;", "[[", "]]"]),
                     max_size=40).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(documents(tags=list(TAGS)), documents(), _BRACKETY, st.text(max_size=40)))
def test_compiled_and_pure_agree_on_generated_posts(pure, twin, text):
    _compare(pure, twin, text)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(sorted(set(REALISTIC_TAG_NAMES) | WORDPRESS_TAGS)), min_size=1, max_size=4), _BRACKETY)
def test_compiled_and_pure_agree_with_any_registered_tags(pure, twin, tags, text):
    text = text.replace("a", "[" + tags[0]).replace("x", "[/" + tags[-1] + "]")
    for strict in (False, True):
        assert _document(pure[1].parse(text, tags, strict=strict)) == _document(twin[1].parse(text, tags, strict=strict))
    assert _tokens(pure[0], text, tuple(tags)) == _tokens(twin[0], text, tuple(tags))


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.one_of(documents(tags=list(TAGS)), documents(), _BRACKETY))
def test_the_closer_index_gives_what_the_searches_give(pure, twin, text):
    """With no search budget the pure scanner indexes every closing tag at once (its worst-case path)."""
    scanner = pure[0]
    saved, scanner._SEARCH_BUDGET = scanner._SEARCH_BUDGET, -1
    try:
        for tags in (None, TAGS):
            assert _tokens(scanner, text, tags) == _tokens(twin[0], text, tags)
            assert _document(pure[1].parse(text, tags)) == _document(twin[1].parse(text, tags))
    finally:
        scanner._SEARCH_BUDGET = saved


def test_the_comparison_sees_a_difference(pure, twin, monkeypatch):
    """The differential check can fail: a pure parser that reads one value differently, or a scanner
    that ends tags one character late, is caught."""
    text = '[gallery ids="1,2"] [caption x=”a”]c[/caption]'
    _compare(pure, twin, text)
    monkeypatch.setattr(pure[1], "finish_value", lambda v: v + "!")
    with pytest.raises(AssertionError):
        _compare(pure, twin, text)
    monkeypatch.undo()
    real = pure[0].Scanner.match_fields

    def one_late(self, p, start, end):
        m = real(self, p, start, end)
        return m if m is None else m[:2] + (m[2] + 1,) + m[3:]

    monkeypatch.setattr(pure[0].Scanner, "match_fields", one_late)
    with pytest.raises(AssertionError):
        _compare(pure, twin, "[gallery] [embed]x]")


def test_compiled_and_pure_raise_the_same_errors(pure, twin):
    for bad in (b"[a]", None, 3):
        assert _outcome(pure[1].parse, bad) == _outcome(twin[1].parse, bad)
        assert _outcome(pure[1].parse, bad)[0] == "error"


# ------------------------------------------------------------------ differential: the real corpus
def test_compiled_and_pure_agree_on_every_corpus_text(pure, twin, corpus_texts):
    texts = corpus_texts
    assert len(texts) > 300
    compared = sum(_compare(pure, twin, text) for _, text in texts)
    assert compared >= 10 * len(texts)
