"""Where the renderer runs shortcodes inside HTML: as WordPress's do_shortcode() does.

* Item "render policies must respect HTML as WordPress does": every policy
  leaves HTML comments and CDATA alone (the JSON of block comments
  included), and inside tags runs only what ``do_shortcodes_in_html_tags()``
  runs, with its KSES filtering; checked against the real PHP on generated
  HTML-with-shortcodes inputs (the whole output must agree) and on the
  block-editor corpus.
* Item "shortcodes inside HTML attribute values are rendered unescaped": a
  template's or handler's output can never add an element or an attribute
  inside an existing tag's attribute value.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shortcodes
from shortcodes.exports import read_posts
from shortcodes.renderer import Renderer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_wordpress import payload  # noqa: E402  - the oracle's handler encoding, in Python

CARD = "covid19-ultimate-card"
REGISTERED = ["b", "c"]

# ----------------------------------------------------------------------------- generated HTML with shortcodes
_TAGS = st.sampled_from(["[b]", "[b x=1]", "[/b]", "[c]", '[c k="v w"]', "[/c]", "[b/]", "[[b]]", "[c 7]",
                         "[u]", "[u a=1]", "[/u]", "[b]in[/b]", "[c]<i>[b]</i>[/c]"])
_TEXT = st.sampled_from(["a", " ", "x y", "\n", "z", "=", '"', "'", "[", "]", ">", "<", "/", "<p>", "</p>", "</a>"])
_QUOTED = st.lists(st.one_of(_TAGS, _TEXT.filter(lambda t: t not in ('"', "'", "<", ">"))), max_size=5).map("".join)


@st.composite
def _element(draw) -> str:
    name = draw(st.sampled_from(["a", "img", "div", "span", "abbr"]))
    attrs = []
    for _ in range(draw(st.integers(0, 3))):
        attr = draw(st.sampled_from(["title", "alt", "href", "onclick", "class", "data-x", "style", "src"]))
        kind = draw(st.sampled_from(["dq", "sq", "bare", "bracket", "valueless"]))
        value = draw(_QUOTED)
        if kind == "dq":
            attrs.append(f'{attr}="{value}"')
        elif kind == "sq":
            attrs.append(f"{attr}='{value}'")
        elif kind == "bare":
            attrs.append(f"{attr}=" + (draw(_TAGS) if draw(st.booleans()) else "v"))
        elif kind == "bracket":
            attrs.append(draw(_TAGS))
        else:
            attrs.append(attr)
    return "<" + name + "".join(" " + a for a in attrs) + draw(st.sampled_from([">", " />", ""]))


_COMMENT = _QUOTED.map(lambda t: f"<!-- {t} -->") | _QUOTED.map(lambda t: f"<![CDATA[{t}]]>")
HTML_WITH_SHORTCODES = st.lists(st.one_of(_TAGS, _TEXT, _element(), _COMMENT), max_size=12).map("".join)


def _wp_normal(text: str) -> str:
    """WordPress hands brackets it encoded inside tags to handlers as ``&#91;``/``&#091;`` (JSON: ``\\u0026#91;``)."""
    return re.sub(r"\\+u0026#0?9([13]);", lambda m: "[" if m.group(1) == "1" else "]", text)


def _payload_renderer() -> Renderer:
    r = Renderer(plugins=(), tags=REGISTERED)
    for tag in REGISTERED:
        r.register(tag, lambda node, ctx: payload(node.php_atts(), str(ctx.content), node.name))
    return r


_LITERALS = {"b": '<i x="1">b</i> "q"', "c": "javascript:alert(1)"}


def _literal_renderer() -> Renderer:
    r = Renderer(plugins=(), tags=REGISTERED)
    for tag, out in _LITERALS.items():
        r.register(tag, lambda node, ctx, out=out: out)
    return r


@pytest.mark.oracle
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(HTML_WITH_SHORTCODES, min_size=40, max_size=40))
def test_render_policies_respect_html_as_wordpress_does_differential(wp, texts):
    """Which spans run, and what KSES makes of them, agree with WordPress's own do_shortcode()."""
    ours = [_payload_renderer().render(t) for t in texts]
    theirs = [_wp_normal(x) for x in wp.do_shortcode(texts, REGISTERED, recurse=REGISTERED, raw=True)]
    for text, a, b in zip(texts, ours, theirs):
        assert a == b, f"input {text!r}"
    ours = [_literal_renderer().render(t) for t in texts]
    theirs = wp.do_shortcode(texts, REGISTERED, returns=_LITERALS, raw=True)
    for text, a, b in zip(texts, ours, theirs):
        assert a == b, f"input {text!r}"


@pytest.mark.oracle
def test_render_policies_respect_html_as_wordpress_does_examples(wp):
    texts = ['<a title="see [b x=1]">x</a> <!-- [b] --> [b]', '<img alt=\'[c]\' [b] onclick="[b]">',
             '[b]<a title="[c]">[/b]', '<a title="[b]" alt="[/b]">[/b]', 'a < b [b] c', '[b title="<x"]y[/b]',
             '<![CDATA[ [b] ]]>[c]', '<div [b]>', '[c]x<a title="[b]">y[/c]', '<a href=[b]>']
    ours = [_payload_renderer().render(t) for t in texts]
    theirs = [_wp_normal(x) for x in wp.do_shortcode(texts, REGISTERED, recurse=REGISTERED, raw=True)]
    assert ours == theirs


def test_render_policies_respect_html_as_wordpress_does():
    """The issue's examples, for every policy."""
    text = '<a title="see [foo x=1]">x</a> <!-- [foo] -->'
    assert Renderer(unknown="comment").render(text) == '<a title="see &lt;!-- [foo x=1] --&gt;">x</a> <!-- [foo] -->'
    assert Renderer(unknown="strip").render(text) == '<a title="see ">x</a> <!-- [foo] -->'
    assert Renderer().render(text) == text
    block = '<!-- wp:image {"style":{"color":{"duotone":["#8c00b7","#fcff41"]}}} -->\n<figure></figure>\n'
    for policy in ("keep", "strip", "comment", "error"):
        assert Renderer(unknown=policy).render(block) == block
        assert Renderer(unknown=policy, tags=['"#8c00b7","#fcff41"']).render(block) == block
    # a '[' or ']' elsewhere in a tag cannot start or end a shortcode, as in WordPress
    assert Renderer(unknown="strip").render('[x title="<i"]y[/x]') == '[x title="<i"]y[/x]'
    assert Renderer(unknown="strip").render("a < b [x k=1] c") == "a < b  c"     # KSES reads [x k=1] as an attribute
    # ignore_html: nothing inside tags runs (do_shortcode($text, true))
    r = Renderer(ignore_html=True, unknown="strip")
    assert r.render('<a title="[x k=1]">[x k=2]y[/x]</a>') == '<a title="[x k=1]">y</a>'


def test_render_policies_respect_html_positions():
    """Diagnostics of tags inside attribute values point at them, also after autop."""
    text = 'one\n<a title="[x k=1]">two</a>\n\n<img alt="[x k=2]"> [x k=3]'
    for autop in (False, True):
        with pytest.raises(shortcodes.RenderError) as err:
            Renderer(unknown="error", autop=autop).render(text)
        assert (err.value.line, err.value.column) == (2, 11)
    r = Renderer(plugins=())
    r.register("x", lambda node, ctx: node.attrs["k"])
    res = r.render_result('a\n<a title="[x k=”v”]">')
    assert res.html == 'a\n<a title="v">'
    assert [(d.kind, d.line, d.column) for d in res.diagnostics] == [("quotes-recovered", 2, 13)]  # as parse() says


def _block_posts(corpus_dir: Path):
    posts = [p for p in read_posts([corpus_dir / "wxr" / "WordPress__theme-test-data__64-block-test-data.xml"])
             if "<!-- wp:" in p.content]
    assert len(posts) > 20
    return posts


_COMMENT_RX = re.compile(r"<!--.*?-->", re.S)


@pytest.mark.parametrize("policy", ["strip", "comment"])
def test_render_policies_respect_html_block_corpus(corpus_dir, policy):
    """Every comment of the block-editor export (JSON in block comments) comes out unchanged."""
    r = Renderer(unknown=policy, as_of="2021-10-10")
    checked = 0
    for post in _block_posts(corpus_dir):
        out = r.render(post.content)
        pos = 0
        for comment in _COMMENT_RX.findall(post.content):
            i = out.find(comment, pos)
            assert i >= 0, (post.id, comment)
            pos = i + len(comment)
            checked += 1
    assert checked > 100


def test_probable_shortcodes_of_block_posts(corpus_dir):
    """A migration script walking a block post gets no JSON array as a tag name."""
    for post in _block_posts(corpus_dir):
        doc = shortcodes.parse(post.content)
        names = {sc.name for sc in doc.probable_shortcodes()}
        assert not [n for n in names if '"' in n or "#" in n], (post.id, names)


# ----------------------------------------------------------------------------- item: attribute values
_HOSTILE_TITLES = st.sampled_from(["x onerror=alert(document.domain) x", '"><script>alert(1)</script>',
                                   "' onmouseover='x", "a]b", "--><b>", "<!--", "javascript:alert(1)", "ok"])


@st.composite
def _attribute_posts(draw) -> str:
    """Posts whose shortcodes all stand inside quoted attribute values."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        title = draw(_HOSTILE_TITLES).replace("'", "&#39;")
        code = draw(st.sampled_from([f"[tip title='{title}']", f"[tip title='{title}']in[/tip]", "[evil]",
                                     "[evil/]", f"[{CARD} region=EG]", "[gone k=1]", "[gone k=1]x[/gone]"]))
        q = draw(st.sampled_from(['"', "'"]))
        code = code.replace("'", '"') if q == "'" else code
        name, attr = draw(st.sampled_from([("img", "alt"), ("a", "title"), ("a", "href"), ("div", "class"),
                                           ("abbr", "title"), ("span", "data-x"), ("a", "onclick")]))
        before = draw(st.sampled_from(["", "see ", "a b "]))
        parts.append(f'<{name} {attr}={q}{before}{code}{q} id="n{len(parts)}">text</{name}>')
    return " ".join(parts)


def _structure(html: str) -> list:
    root = html5lib.HTMLParser(strict=False).parseFragment(html, container="div")
    return [(el.tag, sorted(el.attrib)) for el in root.iter() if isinstance(el.tag, str)]


@pytest.fixture(scope="module")
def hostile_renderers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tpl")
    (folder / "tip.html").write_text('<abbr title="{{ attrs.title }}">{{ content }}</abbr>', encoding="utf-8")
    out = []
    for policy in ("keep", "strip", "comment"):
        r = Renderer(templates=[folder], as_of="2021-10-10", unknown=policy)
        r.register("evil", lambda node, ctx: '"><script>alert(1)</script><img src=x onerror="alert(1)" x="')
        out.append(r)
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_attribute_posts())
def test_shortcodes_in_attribute_values_are_not_rendered_unescaped(hostile_renderers, text):
    """Rendering never creates a new element or attribute inside an existing tag's attribute value."""
    want = _structure(text)
    for r in hostile_renderers:
        out = r.render(text)
        assert _structure(out) == want, (r.unknown, text, out)
        assert "<style" not in out                       # a card there writes no stylesheet into the page


def test_shortcodes_in_attribute_values_are_not_rendered_unescaped_examples(hostile_renderers):
    r = hostile_renderers[0]
    out = r.render('<img src="a.png" alt="[tip title=\'x onerror=alert(document.domain) x\']">')
    assert out == ('<img src="a.png" alt="&lt;abbr title=&quot;x onerror=alert(document.domain) x&quot;&gt;'
                   '&lt;/abbr&gt;">')
    # the bundled card inside a title: escaped text, no <style> there, and the next card still gets it
    out = r.render(f'<a title="[{CARD} region=EG]">x</a> [{CARD} region=EG]')
    head, tail = out.split("</a>")
    assert "<style" not in head and "&lt;section" in head
    assert tail.count("<style") == 1 and '<section class="sc-covid-card' in tail
