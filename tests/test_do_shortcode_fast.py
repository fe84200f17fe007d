"""``do_shortcode()``'s shortcuts give what WordPress's steps give (issue 11).

:func:`shortcodes.wordpress.shortcodes.do_shortcode` skips steps WordPress
runs on every call when they cannot change anything, and falls back to them
when it is not sure:

* the name filter (``array_intersect`` of the registered names and every name
  that follows a ``[``): heads are looked for with every registered name, and
  the present names are computed only at a head that may be part of a longer
  name (``_NameFilter``);
* ``do_shortcodes_in_html_tags()``'s walk over the elements: skipped when no
  element holds a bracket (``_brackets_outside_html``);
* the ``&#91;`` look-ups only run when the text has an ``&``.

Each is compared here with the reference: :func:`reference_do_shortcode` below
is ``do_shortcode()`` made of the module's plain steps (``_present``,
``_do_shortcodes_in_html_tags``, ``_subn``), the code it had before the
shortcuts.  Inputs: Hypothesis texts of the pieces that matter, every real post
of ``../shared/corpus`` and the bench generator's posts (``../shared/bench``).
The oracle tests of ``tests/test_wordpress.py`` run the shortcuts against the
real PHP.
"""
from __future__ import annotations

import importlib.util
import re
from typing import Callable

import pytest
from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from shortcodes.wordpress import shortcodes as ws
from shortcodes.wordpress.formatting import wp_html_split
from shortcodes.wordpress.shortcodes import WPMatch, do_shortcode, handler_output

BENCH_TAGS = ("caption", "gallery", "embed", "audio", "video",
              "covid19-ultimate-card", "vc_row", "vc_column", "vc_column_text")
NAMES = ["a", "b", "a.b", "a-b", "ab", "é", "x", "gallery", "caption", "vc_row", "vc_column"]
PIECES = ["[", "]", "[[", "]]", "/", "[/", "/]", " ", "\n", "x", "=", '"', "'", "a", "b", "a.b", "ab", "a-", "é",
          "[a", "[b", "[a.b", "[ab", "[é", "[/a]", "[/b]", "[/a.b]", "[/ab]", "[a x=1]", "[b/]", "[[a]]",
          "[gallery ids=\"1\"]", "[caption]", "[/caption]", "[vc_row][vc_column]", "[/vc_column][/vc_row]",
          "<", ">", "<p>", "</p>", "<a title=\"", "\">", "<a href='", "'>", "<div ", "<!--", "-->", "<!-->",
          "<!--[if IE]>", "<![CDATA[", "]]>", "<!DOCTYPE ", "< ", "<[a]@x>", "&", "&#91;", "&#93;", "&#091;",
          "&amp;", "&#9", "1;", "\xa0", "مصر"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
NAME_SETS = st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True)


# --------------------------------------------------------------------------- the reference
def reference_do_shortcode(text: str, handlers: dict, *, ignore_html: bool = False) -> str:
    """``do_shortcode()`` step by step as WordPress runs it (the module's plain steps)."""
    if "[" not in text or not handlers:
        return text
    tagnames = ws._present(text, ws._registered(tuple(handlers)))
    if not tagnames:
        return text

    def do_shortcode_tag(m: WPMatch) -> str:
        if m.pre and m.post:
            return m.source()[1:-1]
        out = handlers[m.tag](ws._parse_atts_cached(m.attrs), m.content or "", m.tag)
        if type(out) is not str:
            out = handler_output(out, m.tag)
        return m.pre + out + m.post

    text = ws._do_shortcodes_in_html_tags(text, ignore_html, tagnames, do_shortcode_tag)
    text = ws._subn(text, tagnames, do_shortcode_tag)[0]
    if "&#9" in text:
        text = text.replace("&#91;", "[").replace("&#93;", "]")
    return text


def recording(tags, do: Callable, *, nest=(), returns: "dict | None" = None, ignore_html: bool = False):
    """Handlers that log each call and return a marker (or ``returns[tag]``); ``nest`` ones run ``do`` on their content."""
    log: list = []
    returns = returns or {}

    def handler(atts, content, tag):
        log.append((tag, atts, content))
        if tag in returns:
            return returns[tag]
        inner = do(content, handlers, ignore_html=ignore_html) if tag in nest else content
        return f"<{tag}:{len(log)}>{inner}</{tag}>"

    handlers = {t: handler for t in tags}
    return handlers, log


def both(text: str, tags, **options) -> None:
    """``do_shortcode`` and the reference give the same text and call the handlers the same way."""
    ignore_html = options.get("ignore_html", False)
    fast, fast_log = recording(tags, do_shortcode, **options)
    ref, ref_log = recording(tags, reference_do_shortcode, **options)
    got = do_shortcode(text, fast, ignore_html=ignore_html)
    want = reference_do_shortcode(text, ref, ignore_html=ignore_html)
    assert got == want, f"{text!r} with {tags} {options}"
    assert fast_log == ref_log


def elements_hold_brackets(text: str) -> bool:
    """Some element of ``wp_html_split()`` holds a ``[`` or a ``]`` (the definition)."""
    return any("[" in piece or "]" in piece for piece in wp_html_split(text)[1::2])


# --------------------------------------------------------------------------- generated input
@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(TEXT)
def test_brackets_outside_html_only_when_no_element_holds_one(text):
    if ws._brackets_outside_html(text):
        assert not elements_hold_brackets(text), text


@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(TEXT, NAME_SETS)
def test_name_filter_finds_the_heads_of_the_present_names(text, names):
    registered = ws._registered(tuple(names))
    present = ws._present(text, registered)
    want = list(ws.shortcode_matches(text, present)) if present else []
    search = ws._NameFilter(text, registered)
    assert list(ws._scan(text, search, 0, len(text))) == want
    # and from any position, as the scan of a later piece asks
    for pos in range(0, len(text), 7):
        search = ws._NameFilter(text, registered)
        assert list(ws._scan(text, search, pos, len(text))) == (
            list(ws.shortcode_matches(text, present, pos)) if present else [])


@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(TEXT, NAME_SETS, st.booleans(), st.data())
def test_do_shortcode_gives_the_reference_result(text, names, ignore_html, data):
    nest = data.draw(st.lists(st.sampled_from(names), unique=True))
    returns = data.draw(st.dictionaries(st.sampled_from(names),
                                        st.sampled_from(["", "&", "#91;", "&#91;x&#93;", "[a]", "<b>", "9"]),
                                        max_size=2))
    both(text, names, ignore_html=ignore_html, nest=nest, returns=returns)


def test_examples():
    for text in ['<p title="[a]">[a]</p>', "[a.b] [a]", "[a.b]", "<!-- x > [a] -->[a]", "&#[a]91;", "&#91;[a]",
                 "[a]&#9", "<![CDATA[ [a] ]]>[a]", "[a][/a]<a title='[/a]'>", "[a]<a title=']'>[/a]", "<a [a]"]:
        for names in (["a"], ["a.b", "a"], ["a", "a.b"], ["b"]):
            for returns in ({}, {"a": ""}, {"a": "&"}, {"a": "#9"}):
                both(text, names, returns=returns)
                both(text, names, returns=returns, ignore_html=True)


# --------------------------------------------------------------------------- real posts
def bench_posts(count: int = 400) -> list[str]:
    """The first ``count`` posts of the bench corpus (``../shared/bench/make_corpus.py``, its seed) and its edge cases."""
    path = shared_path("bench", "make_corpus.py")
    spec = importlib.util.spec_from_file_location("shared_make_corpus_fast", path)
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)  # type: ignore[union-attr]
    gen = make_corpus.Gen(20240917)
    return [gen.post(i + 1)["content"] for i in range(count)] + [text for _, text in make_corpus.EDGE_CASES]


_NAME = re.compile(r"\[/?([^<>&/\[\]\x00-\x20=]+)")


@pytest.fixture(scope="module")
def posts(corpus_texts) -> list[str]:
    return [text for _, text in corpus_texts] + bench_posts()


def test_real_posts_give_the_reference_result(posts):
    assert len(posts) > 400
    for text in posts:
        own = list(dict.fromkeys(_NAME.findall(text)))[:40]
        for tags in (BENCH_TAGS, own):
            if not tags:
                continue
            both(text, tags)
            both(text, tags, nest=tags)
            both(text, tags, ignore_html=True)
        assert not ws._brackets_outside_html(text) or not elements_hold_brackets(text)


def test_real_posts_take_the_shortcuts(posts):
    """Not a speed test: the shortcuts are taken where they should be (else they would only cost)."""
    plain = [text for text in posts if not elements_hold_brackets(text)]
    assert sum(ws._brackets_outside_html(text) for text in plain) >= 0.95 * len(plain)


def test_nested_calls_look_at_html_again_unless_given_the_content_itself():
    """A handler's ``do_shortcode(content)`` skips the look at the elements only for the very content it was given."""
    calls = []

    def outer(atts, content, tag):
        calls.append(content)
        inner = content.replace("x", '<a title="[b]">')  # another string: its elements hold brackets
        return do_shortcode(content, handlers) + "|" + do_shortcode(inner, handlers)

    def b(atts, content, tag):
        return "B"

    handlers = {"a": outer, "b": b}
    ref_handlers = {"a": lambda atts, content, tag: reference_do_shortcode(content, ref_handlers) + "|" +
                    reference_do_shortcode(content.replace("x", '<a title="[b]">'), ref_handlers), "b": b}
    for text in ["[a]x [b] <p>x</p>[/a]", "<p>[a]<i>x</i>[b][/a]</p>", "[a]x[/a] <a title='[b]'>"]:
        assert do_shortcode(text, handlers) == reference_do_shortcode(text, ref_handlers)
    assert calls
