"""The renderer: handlers, templates, unknown-tag policies, failures, pages, autop."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

import shortcodes
from shortcodes.core.nodes import Shortcode, Text
from shortcodes.renderer import COUNT_KEYS, RenderContext, Renderer, RenderError, RenderResult, render
from shortcodes.wordpress.blocks import do_blocks, has_blocks

CARD = "covid19-ultimate-card"


def html5_errors(document: str, fragment: bool = False) -> list:
    parser = html5lib.HTMLParser(strict=False)
    if fragment:
        parser.parseFragment(document)
    else:
        parser.parse(document)
    return list(parser.errors)


@pytest.fixture
def tpl(tmp_path: Path):
    """A folder of user templates: tpl({"name.html": "..."}) -> folder."""
    def make(files: dict[str, str]) -> Path:
        for name, text in files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path
    return make


# -- text is copied, tags follow the rules ---------------------------------------------------

# Text with brackets, quotes, slashes and a few tag names, none of them known.
_pieces = st.sampled_from(["[", "]", "[/", "/]", "=", '"', "'", " ", "\n", "a", "b", "foo", "x-y",
                           "<p>", "</p>", "&amp;", "”", "مصر", "[[", "]]", "[a]", "[/a]", "[b x=1]"])
unknown_text = st.lists(_pieces, max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(unknown_text)
def test_keep_is_byte_for_byte(text):
    assert Renderer().render(text) == text


def _strip_reference(nodes) -> str:
    out = []
    for n in nodes:
        if isinstance(n, Text):
            out.append(n.text)
        elif n.escaped:
            out.append(n.to_source()[1:-1])
        else:
            out.append(_strip_reference(n.children))
    return "".join(out)


def _shortcodes_only(text: str):
    """``text`` parsed with only the names that count as shortcodes (core.classify) recognised."""
    names = {sc.name for sc in shortcodes.parse(text).probable_shortcodes()}
    return shortcodes.parse(text, sorted(names, key=lambda n: (-len(n), n)))


@settings(max_examples=200, deadline=None)
@given(unknown_text)
def test_strip_keeps_text_drops_tags(text):
    doc = _shortcodes_only(text)
    assert Renderer(unknown="strip").render(text) == _strip_reference(doc.children)


@settings(max_examples=200, deadline=None)
@given(unknown_text)
def test_comment_keeps_every_tag_inside_a_comment(text):
    out = Renderer(unknown="comment").render(text)
    doc = _shortcodes_only(text)
    opened = [n for n in doc.walk() if isinstance(n, Shortcode) and not n.escaped]
    expected_comments = sum(2 if n.enclosing else 1 for n in opened)
    assert out.count("<!--") == out.count("-->") == expected_comments + text.count("<!--")
    for body in re.findall(r"<!-- (.*?) -->", out, flags=re.S):
        assert "--" not in body
    # Take the comments out again: what is left is the text and the content.
    assert re.sub(r"<!-- .*? -->", "", out, flags=re.S) == _strip_reference(doc.children) or "<!--" in text


def test_unknown_policies_examples():
    text = 'a [x k="v"]in [[y]] [z/][/x] b'
    assert Renderer().render(text) == text
    assert Renderer(unknown="strip").render(text) == "a in [[y]]  b"      # [[y]] is bracketed text
    assert Renderer(unknown="comment").render(text) == (
        'a <!-- [x k="v"] -->in [[y]] <!-- [z/] --><!-- [/x] --> b')
    assert Renderer(unknown="strip").render("[[y/]] [[y]]") == "[y/] [y]"    # y counts as a shortcode here
    with pytest.raises(RenderError) as err:
        Renderer(unknown="error").render("one\ntwo [x k=1] three")
    assert (err.value.line, err.value.column, err.value.tag) == (2, 5, "x")
    assert str(err.value).startswith("2:5: unknown shortcode [x]")


def test_comment_cannot_end_early():
    out = Renderer(unknown="comment").render('[x a="--><script>alert(1)</script>" b="--!>"]')
    assert "<script>" not in out.replace("<!--", "").split("-->")[-1]
    assert out.count("-->") == 1 and out.endswith(" -->")
    parser = html5lib.HTMLParser(strict=False)
    tree = parser.parseFragment(out, container="div")
    elements = [el.tag for el in tree.iter() if isinstance(el.tag, str)]
    assert not [t for t in elements if t.endswith("script")]
    comments = [el.text for el in tree.iter() if not isinstance(el.tag, str)]
    assert comments == [' [x a="- -><script>alert(1)</script>" b="- -!>"] ']


def test_escaped_tags():
    r = Renderer()
    r.register("b", lambda node, ctx: "<b>B</b>")
    assert r.render("[[b]] [b /]") == "[b] <b>B</b>"
    assert r.render("[[b]x[/b]]") == "[b]x[/b]"
    assert r.render("[[nope]]") == "[[nope]]"                      # as WordPress: unregistered stays
    assert Renderer(unknown="strip").render("[[nope]]") == "[[nope]]"     # bracketed text, not a shortcode
    assert Renderer(unknown="strip").render("[[nope k=1]]") == "[nope k=1]"
    assert Renderer(unknown="error").render("[[nope k=1]]") == "[nope k=1]"  # escaping is explicit, never an error


def test_unknown_enclosing_tag_still_renders_known_children():
    r = Renderer()
    r.register("b", lambda node, ctx: "<b>B</b>")
    assert r.render("[wrap a=1]x [b] y[/wrap]") == "[wrap a=1]x <b>B</b> y[/wrap]"


def test_text_is_copied_as_html():
    assert render("<p>a &amp; <em>b</em></p>") == "<p>a &amp; <em>b</em></p>"


# -- handlers and templates -----------------------------------------------------------------

def test_template_receives_attrs_positional_content_node(tpl):
    folder = tpl({"box.html": "<div class=\"{{ attrs.kind }}\" data-p=\"{{ positional|join(',') }}\" "
                              "data-tag=\"{{ tag }}\" data-raw=\"{{ raw_content }}\">{{ content }}"
                              "|{{ node.name }}|{{ ctx.locale_tag }}</div>",
                  "em.html": "<em>{{ content }}</em>"})
    r = Renderer(templates=[folder], locale="ar-EG")
    out = r.render('[box kind="<wide>" one two]hi [em]there[/em] & <b>you</b>[/box]')
    assert out == ('<div class="&lt;wide&gt;" data-p="one,two" data-tag="box" '
                   'data-raw="hi [em]there[/em] &amp; &lt;b&gt;you&lt;/b&gt;">hi <em>there</em> & <b>you</b>'
                   '|box|ar-EG</div>')


def test_templates_autoescape_attribute_values(tpl):
    folder = tpl({"t.html": '<a title="{{ attrs.title }}" href="{{ attrs.href }}">{{ attrs.title }}</a>'})
    out = Renderer(templates=[folder]).render('[t title=\'"><script>x()</script>\' href="a&b"]')
    assert "<script>" not in out
    assert out == ('<a title="&#34;&gt;&lt;script&gt;x()&lt;/script&gt;" href="a&amp;b">'
                   '&#34;&gt;&lt;script&gt;x()&lt;/script&gt;</a>')


def test_user_templates_come_first(tpl):
    folder = tpl({f"{CARD}.html": "<p>my card for {{ attrs.region }}</p>"})
    assert Renderer(templates=[folder]).render(f"[{CARD} region=EG]") == "<p>my card for EG</p>"
    assert "sc-covid-card" in Renderer().render(f"[{CARD} region=EG]", as_of="2021-10-10")


def test_known_tags(tpl):
    folder = tpl({"box.html": "x", "_partial.html": "y", "not-a-tag.css": "z"})
    r = Renderer(templates=[folder])
    r.register("h", lambda n, c: "")
    assert {"box", "h", CARD} <= r.known_tags
    assert not {"_partial", "_page", "not-a-tag"} & r.known_tags


def test_handler_wins_over_template_and_gets_context(tpl):
    folder = tpl({"box.html": "template"})
    r = Renderer(templates=[folder], as_of="2021-10-10")
    seen = {}

    @r.handler("box")
    def box(node, ctx):
        seen.update(node=node, ctx=ctx, content=ctx.content, raw=ctx.raw_content, post=ctx.post,
                    as_of=ctx.as_of)
        return Markup("<i>handler</i>")

    assert box.__name__ == "box"                                     # the decorator returns the function
    out = r.render("[box]<b>in</b>[/box]", post={"title": "T"})
    assert out == "<i>handler</i>"
    assert isinstance(seen["ctx"], RenderContext)
    assert seen["content"] == Markup("<b>in</b>") and seen["raw"] == "<b>in</b>"
    assert seen["post"]["title"] == "T" and seen["as_of"] == dt.date(2021, 10, 10)
    assert r.render("[box]", as_of="2020-05-01") and seen["as_of"] == dt.date(2020, 5, 1)


def test_register_checks_its_arguments():
    r = Renderer()
    with pytest.raises(ValueError):
        r.register("bad name", lambda n, c: "")
    with pytest.raises(ValueError):
        r.register("a]", lambda n, c: "")
    with pytest.raises(TypeError):
        r.register("ok", "not callable")


def test_constructor_checks_its_arguments(tmp_path):
    with pytest.raises(ValueError, match="unknown="):
        Renderer(unknown="drop")
    with pytest.raises(ValueError, match="not a folder"):
        Renderer(templates=[tmp_path / "missing"])
    with pytest.raises(ValueError, match="not a date"):
        Renderer(as_of="10/10/2021")
    with pytest.raises(ValueError, match="not a known locale"):
        Renderer(locale="xx-QQ")
    with pytest.raises(TypeError):
        Renderer().render(b"bytes")


def test_nested_known_tags_render_inside_out():
    r = Renderer()
    for tag in ("b", "i", "u"):
        r.register(tag, lambda node, ctx: f"<{node.name}>{ctx.content}</{node.name}>")
    assert r.render("[b]1[i]2[u]3[/u][/i][/b]") == "<b>1<i>2<u>3</u></i></b>"


def test_deep_nesting_does_not_recurse():
    depth = 3000
    names = [f"a{i}" for i in range(depth)]
    text = "".join(f"[{n}]" for n in names) + "x" + "".join(f"[/{n}]" for n in reversed(names))
    node, levels = shortcodes.parse(text).children[0], 1
    while node.children and isinstance(node.children[0], Shortcode):
        node, levels = node.children[0], levels + 1
    assert levels == depth                                    # really nested that deep
    assert Renderer().render(text) == text
    r = Renderer()
    for n in names:
        r.register(n, lambda node, ctx: f"<span>{ctx.content}</span>")
    assert r.render(text) == "<span>" * depth + "x" + "</span>" * depth


def test_tags_option_limits_what_is_a_shortcode():
    r = Renderer(tags=["b"], unknown="error")
    r.register("b", lambda node, ctx: "B")
    assert r.render("[x] [b]") == "[x] B"                         # x is plain text, not an unknown tag


# -- failures ------------------------------------------------------------------------------

def test_failing_handler_keeps_source_and_reports():
    r = Renderer()

    @r.handler("boom")
    def boom(node, ctx):
        raise ZeroDivisionError("no figures")

    text = 'first line\nsecond [boom a="1"]inner [[x]][/boom] end'
    res = r.render_result(text)
    assert res.html == text
    (d,) = res.diagnostics
    assert (d.kind, d.line, d.column, d.severity) == ("render-failed", 2, 8, "error")
    assert "ZeroDivisionError: no figures" in d.message and "[boom]" in d.message
    assert dict(res.counts["boom"]) == {"rendered": 0, "kept": 0, "stripped": 0, "failed": 1}
    assert res.problems == (d,)


def test_failing_template_keeps_source(tpl):
    folder = tpl({"div.html": "{{ 1 / 0 }}", "syn.html": "{% if %}"})
    res = Renderer(templates=[folder]).render_result("a [div] b [syn] c")
    assert res.html == "a [div] b [syn] c"
    assert [d.kind for d in res.diagnostics] == ["render-failed", "render-failed"]
    assert "template div.html failed: ZeroDivisionError" in res.diagnostics[0].message


def test_strict_raises_with_cause():
    r = Renderer(strict=True)
    r.register("boom", lambda node, ctx: 1 / 0)
    with pytest.raises(RenderError) as err:
        r.render("x\n  [boom]")
    assert (err.value.line, err.value.column, err.value.tag) == (2, 3, "boom")
    assert isinstance(err.value.__cause__, ZeroDivisionError)


def test_handler_returning_none_is_a_failure():
    r = Renderer()
    r.register("n", lambda node, ctx: None)
    res = r.render_result("[n]")
    assert res.html == "[n]" and res.diagnostics[0].kind == "render-failed"


def test_diagnose_from_a_handler():
    r = Renderer()

    @r.handler("w")
    def w(node, ctx):
        ctx.diagnose("my-kind", "careful", severity="info")
        return "ok"

    res = r.render_result("ab\n [w]")
    assert res.html == "ab\n ok"
    assert [(d.kind, d.line, d.column, d.severity) for d in res.diagnostics] == [("my-kind", 2, 2, "info")]
    assert res.problems == ()


# -- results, counts -------------------------------------------------------------------------

def test_render_result_counts():
    r = Renderer()
    r.register("b", lambda node, ctx: "B")
    res = r.render_result("[b] [b] [[b]] [u] [u]x[/u] [[u]]")
    assert isinstance(res, RenderResult) and str(res) == res.html
    assert dict(res.counts["b"]) == {"rendered": 2, "kept": 1, "stripped": 0, "failed": 0}
    assert dict(res.counts["u"]) == {"rendered": 0, "kept": 3, "stripped": 0, "failed": 0}
    assert all(tuple(v) == COUNT_KEYS for v in res.counts.values())
    res = Renderer(unknown="strip").render_result("[u]x[/u]")
    assert dict(res.counts["u"])["stripped"] == 1


def test_parse_diagnostics_are_passed_on():
    res = Renderer().render_result("[x a=”1”] and [/y]")
    assert {d.kind for d in res.diagnostics} >= {"quotes-recovered", "stray-closing-tag"}


# -- styles once per output ------------------------------------------------------------------

class _Provider:
    """Real-looking figures for any region; RuntimeError for region "XF" (a failing source)."""

    def figures(self, region, as_of=None):
        from shortcodes.cards.figures import Figures
        if region == "XF":
            raise RuntimeError("source exploded")
        return Figures(region=region, name=region or "World", date=dt.date(2021, 10, 10), updated=None,
                       confirmed=1000, deaths=10, recovered=None, active=None, new_confirmed=5,
                       new_deaths=1, source="test figures")


def test_card_css_once_per_fragment_before_the_first_card():
    r = Renderer(provider=_Provider())
    out = r.render(f"a [{CARD} region=EG] b [{CARD} region=AE] c")
    assert out.count("<style") == 1
    assert out.index("<style") < out.index('class="sc-covid-card') and out.startswith("a <style")
    # a second call is a new output: it has its own <style>
    assert r.render(f"[{CARD}]").count("<style") == 1
    assert r.render("no cards").count("<style") == 0


def test_a_failed_card_does_not_use_up_the_css():
    r = Renderer(provider=_Provider())
    res = r.render_result(f"[{CARD} region=XF] [{CARD} region=EG]")
    assert res.html.startswith(f"[{CARD} region=XF] <style")
    assert res.diagnostics[0].kind == "render-failed" and "source exploded" in res.diagnostics[0].message


def test_page_has_css_once_in_head(seed_text):
    page = Renderer(provider=_Provider(), autop=True).render_page(seed_text)
    head, body = page.split("</head>")
    assert head.count('data-sc-style="covid19-ultimate-card.css"') == 1
    assert "<style" not in body
    assert body.count('class="sc-covid-card ') == 4


def test_user_stylesheet_override(tpl):
    folder = tpl({f"{CARD}.css": ".sc-covid-card { color: red } </style><script>"})
    out = Renderer(templates=[folder], provider=_Provider()).render(f"[{CARD}]")
    assert ".sc-covid-card { color: red }" in out
    assert "</style><script>" not in out                      # cannot close the element early


# -- pages ---------------------------------------------------------------------------------

def _html_attrs(page: str) -> dict:
    m = re.search(r"<html ([^>]*)>", page)
    return dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))


def test_page_language_and_direction():
    assert _html_attrs(Renderer().render_page("Hello world")) == {"lang": "en", "dir": "ltr"}
    assert _html_attrs(Renderer().render_page("<p>مرحبا بالعالم، هذه صفحة (page) عربية</p>")) == {
        "lang": "ar", "dir": "rtl"}
    assert _html_attrs(Renderer(locale="ar-EG").render_page("Hello")) == {"lang": "ar-EG", "dir": "rtl"}
    assert _html_attrs(Renderer(locale="fr").render_page("مرحبا")) == {"lang": "fr", "dir": "ltr"}


def test_page_skeleton_and_title():
    page = Renderer().render_page("<p>First &amp; <b>line</b></p>\n<p>more</p>")
    assert page.startswith("<!DOCTYPE html>\n<html ")
    assert '<meta charset="utf-8">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>First &amp; line</title>" in page
    assert "<title>Given &lt;T&gt;</title>" in Renderer().render_page("x", title="Given <T>")
    assert "<title>From post</title>" in Renderer().render_page("x", post={"title": "From post"})
    assert html5_errors(page) == []


def test_seed_page_has_no_html5_errors(seed_text):
    page = Renderer(autop=True).render_page(seed_text, as_of="2021-10-10")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)                                        # raises on the first parse error
    assert _html_attrs(page) == {"lang": "ar", "dir": "rtl"}
    assert "<title>المرصد السوري: 102 قتيل في هجمات الحسكة</title>" in page
    assert page.count("<section ") == 4 and "<p><section" not in page


# -- autop: the_content's order, checked against WordPress --------------------------------------

def _source_handler(node, ctx):
    return node.to_source()


def _corpus_posts(corpus_dir: Path) -> list[Path]:
    posts = sorted(p for p in (corpus_dir / "posts").iterdir() if p.suffix in (".txt", ".html", ".md"))
    assert posts, "no corpus posts"
    return posts


@pytest.mark.oracle
def test_autop_matches_wordpress(wp, seed_text, corpus_dir):
    texts = [seed_text] + [p.read_text(encoding="utf-8") for p in _corpus_posts(corpus_dir)]
    r = Renderer(autop=True)
    for tag in ("caption", "gallery", "audio", CARD):
        r.register(tag, _source_handler)                       # render each tag as its own source
    tags = sorted(r.known_tags)
    # the_content: a post with blocks goes through do_blocks (checked against WordPress's block parser in
    # test_blocks) instead of wpautop, which WordPress switches off for it
    blocks = [t for t in texts if has_blocks(t)]
    classic = [t for t in texts if not has_blocks(t)]
    assert blocks and classic
    expected = wp.shortcode_unautop(wp.wpautop(classic) + [do_blocks(t) for t in blocks], tags)
    for text, want in zip(classic + blocks, expected):
        assert r.render(text) == want


@pytest.mark.oracle
def test_autop_block_shortcode_leaves_its_paragraph(wp, seed_text):
    page_body = Renderer(autop=True, as_of="2021-10-10").render(seed_text)
    assert "<p><section" not in page_body and "<p>[" not in page_body
    # without the card known, WordPress leaves the shortcode inside <p>
    (plain,) = wp.shortcode_unautop(wp.wpautop([seed_text]), [])
    assert "<p>[covid19-ultimate-card" in plain


def test_autop_diagnostics_point_into_the_original_text(seed_text):
    plain = Renderer(as_of="1999-01-01").render_result(seed_text)
    autop = Renderer(as_of="1999-01-01", autop=True).render_result(seed_text)
    where = [(d.kind, d.line, d.column) for d in plain.diagnostics]
    assert where == [(d.kind, d.line, d.column) for d in autop.diagnostics]
    lines = seed_text.splitlines()
    for d in plain.diagnostics:
        if d.kind == "no-data":
            assert lines[d.line - 1][d.column - 1:].startswith(f"[{CARD}")


def test_render_function_passes_options():
    assert render("[x/] [y k=1]", unknown="strip", post={"title": "t"}) == " "
    assert render("[x/]", unknown="comment") == "<!-- [x/] -->"
    assert render("[x] [1]", unknown="strip") == "[x] [1]"                  # bracketed text, not shortcodes


def test_shortcodes_render_is_the_function_whatever_was_imported_first():
    import shortcodes.renderer as module  # the module has its own name
    from shortcodes.renderer import render as function
    assert callable(shortcodes.render) and shortcodes.render is function
    assert shortcodes.render("[x/]", unknown="strip") == "" == function("[x/]", unknown="strip")
    assert module.render is function and shortcodes.renderer is module
    assert shortcodes.Renderer is Renderer and shortcodes.RenderError is RenderError
