"""``grammar/derived.json``: what Lark derives from the grammar, recorded so that start-up need not import Lark.

The record must be what Lark derives now (else ``python tools/derive_grammar.py``), the package must use it
without importing Lark, and a grammar the record was not made from must be derived again (stale, never wrong).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shortcodes.core import grammar

ROOT = Path(__file__).resolve().parent.parent


def test_record_is_what_lark_derives_now():
    record = json.loads(grammar.bundled("grammar").joinpath(grammar.DERIVED_FILE).read_text(encoding="utf-8"))
    fresh = grammar.derive()
    assert record == fresh, "grammar/derived.json is not current: run python tools/derive_grammar.py"
    assert grammar.derived() == fresh


def test_tools_check_agrees():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "derive_grammar.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_what_the_parsers_use_equals_lark():
    fresh = grammar.derive()
    for strict in (False, True):
        for single in (True, False):
            assert grammar.attribute_lexer(strict, single).pattern == \
                fresh["attribute_lexers"][grammar._lexer_key(strict, single)]
    recover = grammar.lark_parser("recover")
    assert {t.name: t.pattern.to_regexp() for t in recover.terminals} == fresh["terminals"]
    assert grammar.terminal_regex("TAG_NAME") == fresh["terminals"]["TAG_NAME"]
    assert grammar.whitespace() == " \t\n\x0b\x0c\r\xa0\u200b" == fresh["whitespace"]


def test_parsing_and_rendering_do_not_import_lark():
    code = ("import sys; from shortcodes import parse, Renderer; "
            "d = parse('[gallery ids=\u201d1,2\u201d a=\\'x\\' 3]t[/gallery] [covid19-ultimate-card region=EG]', "
            "tags=('gallery', 'covid19-ultimate-card')); Renderer().render('[caption]x[/caption]'); "
            "print(len(d.children), 'lark' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["3", "False"]


def test_a_grammar_the_record_was_not_made_from_is_derived_again(monkeypatch):
    edited = grammar.grammar_text() + "\n// an edit\n"
    for fn in (grammar.grammar_text, grammar.derived, grammar.lark_parser):
        fn.cache_clear()
    monkeypatch.setattr(grammar, "grammar_text", lambda: edited)
    try:
        got = grammar.derived()
        assert got["grammar_sha256"] == grammar._sha256(edited) != json.loads(
            grammar.bundled("grammar").joinpath(grammar.DERIVED_FILE).read_text(encoding="utf-8"))["grammar_sha256"]
        assert got["terminals"]["TAG_NAME"]  # Lark derived it from the edited text
    finally:
        monkeypatch.undo()
        for fn in (grammar.derived, grammar.lark_parser):
            fn.cache_clear()


@pytest.mark.parametrize("damage", ["", "not json", '{"format": 1, "grammar_sha256": "x"}'])
def test_a_missing_or_damaged_record_is_derived_again(monkeypatch, tmp_path, damage):
    folder = tmp_path / "grammar"
    folder.mkdir()
    (folder / grammar.GRAMMAR_FILE).write_text(grammar.grammar_text(), encoding="utf-8")
    if damage:
        (folder / grammar.DERIVED_FILE).write_text(damage, encoding="utf-8")
    grammar.derived.cache_clear()
    monkeypatch.setattr(grammar, "bundled", lambda name: folder)
    try:
        assert grammar.derived() == grammar.derive()
    finally:
        monkeypatch.undo()
        grammar.derived.cache_clear()
