"""The parser's shortcuts give what the plain rules give (issue 11).

* with registered names, ``parse`` passes over a ``[`` whose next characters
  begin no registered name (``parser._heads``; the ``[`` that
  ``parser._candidate_regex`` finds): checked against a reference scan that
  tries every ``[`` with the same scanner, and against the parse that does;
* the scanner reads a registered name by its first character and the one after
  it (``Scanner._heads``), not by the run of name characters: checked against
  the run at every ``[``;
* the attribute cache hands out :class:`~shortcodes.core.nodes.AttributesAt`,
  and a parsed shortcode makes its ``attributes`` on first use: they must be
  exactly what :func:`shortcodes.parse_attributes` reads at that place, with
  ``attrs``/``positional`` derived from them, and the lazy node must compare,
  hash, pickle and ``dataclasses.replace`` as an eager one;
* diagnostics get their line and column from :func:`~shortcodes.common.lines.line_cols`,
  which must agree with :class:`~shortcodes.common.lines.LineIndex`.

Real post bodies from ``../shared/corpus`` and the bench's generator-like
pieces drive the properties.
"""
from __future__ import annotations

import dataclasses
import pickle
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortcodes import Shortcode, Text, parse, parse_attributes
from shortcodes.common.lines import COUNTED_LOOKUPS, LineIndex, line_cols
from shortcodes.core import nodes
from shortcodes.core import parser as parser_module
from shortcodes.core.nodes import LAZY_ATTRIBUTES, LAZY_CONTENT, derived_attributes
from shortcodes.core.scanner import Scanner

TAGS = ("caption", "gallery", "covid19-ultimate-card", "vc_row", "vc_column", "a", "ab")
PIECES = ["[", "]", "[/", "/]", "[[", "]]", " ", "\n", "x", "=", '"', "'", "”", "″", "’", "&#8221;",
          "caption", "gallery", "covid19-ultimate-card", "vc_row", "vc_column", "a", "ab", "abc", "a-b",
          "[caption]", "[/caption]", "[gallery ids=”1,2″]", "[vc_row][vc_column]", "[/vc_column][/vc_row]",
          "[a x=”1″ y=’2′]", "[ab k=v]", "[/ab]", "<b>", "</b>", "\u00a0", "[1]", "[citation needed]"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
tag_sets = st.sampled_from([TAGS, ("a",), ("ab", "a"), ("caption", "gallery"), ("covid19-ultimate-card",), ()])


def attr_bounds(sc: Shortcode) -> tuple[int, int]:
    """Where ``sc``'s attribute text is in the parsed text (after the name, before ``/]`` or ``]``)."""
    open_start = sc.span[0] + (1 if sc.escaped else 0)
    return open_start + 1 + len(sc.name), open_start + len(sc.open_tag) - (2 if sc.self_closing else 1)


def raw_slots(node) -> dict:
    """Every slot of ``node`` as stored (the lazy ``attributes``/``content`` markers as they are)."""
    out = {}
    for k in type(node).__slots__:
        d = {"attributes": nodes._ATTRIBUTES_SLOT, "content": nodes._CONTENT_SLOT}.get(k) if isinstance(node, Shortcode) else None
        out[k] = (d or type(node).__dict__[k]).__get__(node)
    return out


def check_constructors(doc) -> None:
    """The parser's constructors made what the dataclasses' own constructors make from the same values."""
    for node in doc.walk():
        got = raw_slots(node)
        if isinstance(node, Text):
            assert got == raw_slots(Text(node.text, node.span))
            continue
        at = got["_attributes_at"]
        lazy = got["attributes"] is LAZY_ATTRIBUTES
        assert lazy == (at is not None)
        assert (got["content"] is LAZY_CONTENT) == (got["_content_at"] is not None)
        again = Shortcode(node.name, LAZY_ATTRIBUTES if lazy else got["attributes"], node.span, node.open_tag,
                          node.children, got["content"], node.close_tag, node.self_closing, node.escaped,
                          got["_content_at"], at)
        assert got == raw_slots(again)


def check_lazy_attributes(doc) -> None:
    check_constructors(doc)
    for sc in doc.shortcodes:
        a, b = attr_bounds(sc)
        eager = parse_attributes(doc.source, a, b, strict=doc.strict, tag=sc.name)
        named, positional = derived_attributes(eager)
        assert dict(sc.attrs) == dict(named) and list(sc.attrs) == list(named)
        assert sc.positional == positional
        assert sc.php_atts() == Shortcode(sc.name, eager, sc.span, sc.open_tag).php_atts()
        assert sc.recovered == any(x.recovered for x in eager)
        assert sc.attributes == eager  # made now, with absolute spans
        assert all(doc.source[x.span[0]:x.span[1]] == x.raw for x in sc.attributes)


def reference_parse_positions(text: str, tags: tuple[str, ...]) -> list[int]:
    """Every ``[`` at which the scanner finds a tag, stray closer or unterminated name: trying each one."""
    sc = Scanner(text, tags)
    out = []
    n = len(text)
    p = text.find("[")
    while p != -1:
        if (sc.match_at(p, 0, n) is not None or (text.startswith("[/", p) and sc.stray_closer_at(p, n))
                or (not text.startswith("[/", p) and sc.unterminated_at(p, n))):
            out.append(p)
        p = text.find("[", p + 1)
    return out


@settings(max_examples=400, deadline=None)
@given(text=texts, tags=tag_sets)
def test_candidate_regex_skips_only_brackets_that_begin_nothing(text, tags):
    rx = parser_module._candidate_regex(tags)
    candidates = {m.start() for m in _overlapping(rx, text)}
    assert set(reference_parse_positions(text, tags)) <= candidates


@settings(max_examples=400, deadline=None)
@given(text=texts, tags=tag_sets, strict=st.booleans())
def test_the_brackets_passed_over_begin_nothing(text, tags, strict):
    """parse() passes over a `[` whose next characters start no registered name (``_heads``): trying
    every `[` with the scanner instead gives the same document, diagnostics included."""
    doc = parse(text, tags, strict=strict)
    running = sys.modules[parse.__module__]  # the compiled twin or the pure module, whichever runs
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(running, "_heads", lambda tags: None)
        every = parse(text, tags, strict=strict)
    assert repr(doc) == repr(every) and doc == every
    assert doc.diagnostics == every.diagnostics


NAME_PIECES = PIECES + [".", "!", "é", "\u200b", "\t", "[a.b]", "[a!]", "[ab.", "[a-b]", "[é]", "[a b]", "a.b", "a_b"]


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(NAME_PIECES), max_size=40).map("".join),
       tags=st.sampled_from([TAGS, ("a",), ("ab", "a"), ("a.b", "a"), ("a-b", "a"), ("é",), ("a b", "a"), ("a!", "a"),
                             ("caption", "gallery"), ("a", "a")]))
def test_the_names_by_first_character_read_what_the_run_of_name_characters_reads(text, tags):
    """The scanner's shortcut for registered names (``Scanner._heads``) finds the tag the run of name
    characters and ``_registered_prefixes`` find, at every `[`."""
    fast, plain = Scanner(text, tags), Scanner(text, tags)
    plain._heads = None  # the run of name characters and its registered prefixes
    n = len(text)
    for p in range(n):
        if text[p] == "[":
            for start in (0, p):
                assert fast.match_fields(p, start, n) == plain.match_fields(p, start, n), (text, tags, p)


def test_the_brackets_passed_over_agree_with_the_candidate_regex():
    """The same `[` as _candidate_regex finds, on the bench's kind of text and the corpus pieces."""
    text = "".join(PIECES) + "[/vc_row][[caption]][citation needed][1][/a][ab][abc][a-b][a.b][/]["
    for tags in (TAGS, ("a",), ("ab", "a"), ("caption",), ()):
        heads = parser_module._heads(tags)
        rx = parser_module._candidate_regex(tags)
        want = {m.start() for m in _overlapping(rx, text)}
        got = set()
        p = text.find("[")
        while p != -1:
            q = p + 1
            if q < len(text):
                names = heads.get(text[q])
                if names is not None and text.startswith(names, q):
                    got.add(p)
                elif text[q] in "[/" and q + 1 < len(text):
                    names = heads.get(text[q + 1])
                    if names is not None and text.startswith(names, q + 1):
                        got.add(p)
            p = text.find("[", p + 1)
        assert got == want, tags


def _overlapping(rx, text):
    pos = 0
    while True:
        m = rx.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.start() + 1


@settings(max_examples=300, deadline=None)
@given(text=texts, tags=tag_sets, strict=st.booleans())
def test_lazy_attributes_are_what_parse_attributes_reads(text, tags, strict):
    doc = parse(text, tags, strict=strict)
    assert str(doc) == text
    check_lazy_attributes(doc)


@settings(max_examples=200, deadline=None)
@given(text=texts, tags=tag_sets)
def test_diagnostics_lines_and_columns(text, tags):
    doc = parse(text, tags)
    index = LineIndex(text)
    for d in doc.diagnostics:
        assert (d.line, d.column) == index.line_col(d.span[0])


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab\n\r", max_size=60), data=st.data())
def test_line_cols_agrees_with_line_index(text, data):
    offsets = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=12)))
    index = LineIndex(text)
    assert line_cols(text, offsets) == [index.line_col(o) for o in offsets]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab\n\r", max_size=60), data=st.data())
def test_line_index_counts_then_searches_the_same_places(text, data):
    """The first lookups count line breaks, the later ones search the line starts: the same answers."""
    offsets = data.draw(st.lists(st.integers(0, len(text)), max_size=3 * COUNTED_LOOKUPS))
    index = LineIndex(text)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    for o in offsets:
        line = sum(1 for s in starts if s <= o)
        assert index.line_col(o) == (line, o - starts[line - 1] + 1)


def test_line_cols_refuses_offsets_out_of_order_or_outside():
    with pytest.raises(ValueError, match="outside the text"):
        line_cols("abc", [2, 1])
    with pytest.raises(ValueError, match="outside the text"):
        line_cols("abc", [4])


def test_a_lazy_shortcode_behaves_as_an_eager_one():
    doc = parse('x [a k=”v” "p"]y[/a] [a k=”v” "p"]', tags=["a"])
    first, second = doc.children[1], doc.children[3]
    assert _slot(first) is LAZY_ATTRIBUTES  # nothing made yet
    assert dict(first.attrs) == {"k": "v"} and first.positional == ("p",)
    assert first.php_atts() == {"k": "v", 0: "p"} and first.recovered
    assert _slot(first) is LAZY_ATTRIBUTES  # attrs, php_atts() and recovered did not need the nodes
    eager = Shortcode(first.name, parse_attributes(doc.source, 4, 15, tag="a"), first.span, first.open_tag,
                      first.children, first.content, first.close_tag)
    assert first == eager and hash(first) == hash(eager) and repr(first) == repr(eager)
    assert first.attributes[0].span == (5, 10)
    assert second.attributes[0].span == (24, 29)  # the same cached text, another place
    back = pickle.loads(pickle.dumps(second))
    assert back == second and back.attributes == second.attributes
    # replace() with other attributes: attrs follow them, not the parser's
    other = dataclasses.replace(second, attributes=parse_attributes(' k="w"'))
    assert dict(other.attrs) == {"k": "w"} and other.positional == ()
    assert dict(dataclasses.replace(second, name="b").attrs) == {"k": "v"}


def _slot(sc: Shortcode):
    return nodes._ATTRIBUTES_SLOT.__get__(sc)


def test_corpus_posts(corpus_texts):
    """Every real post body: lazy attributes and diagnostics as the plain rules give them."""
    assert len(corpus_texts) > 300
    for _, text in corpus_texts:
        for tags in (None, TAGS):
            doc = parse(text, tags)
            check_lazy_attributes(doc)
            index = LineIndex(text)
            assert all((d.line, d.column) == index.line_col(d.span[0]) for d in doc.diagnostics)
            if tags is not None:
                hits = {m.start() for m in _overlapping(parser_module._candidate_regex(tags), text)}
                assert set(reference_parse_positions(text, tags)) <= hits
