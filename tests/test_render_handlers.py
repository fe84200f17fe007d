"""Handlers: the library's own Post, the two handler contracts, lazy children, any depth.

* Item "handlers": ``Renderer.render(..., post=p)`` with a ``shortcodes.exports.Post``;
  a WordPress-style ``fn(atts, content, tag)`` is detected by ``register()``
  or registered with ``register_wp()`` and called exactly as
  ``shortcodes.do_shortcode`` calls it; a function of neither contract is
  refused when it is registered.
* Item "a handler written the WordPress way costs 2^depth calls": children
  are rendered lazily, once; depth is handled without recursion.
"""
from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shortcodes
from shortcodes.exports import Post
from shortcodes.renderer import Renderer
from shortcodes.renderer.engine import NODE_CONTRACT, WORDPRESS_CONTRACT

# -- item: handlers ------------------------------------------------------------------------------------

def test_handlers_render_with_the_librarys_own_post(tmp_path):
    (tmp_path / "t.html").write_text("{{ post.title }}|{{ ctx.post_record.id }}|{{ ctx.post.slug }}", encoding="utf-8")
    post = Post(id="7", title="A <title>", slug="a-title", content="[t]")
    r = Renderer(templates=[tmp_path], plugins=())
    assert r.render(post.content, post=post) == "A &lt;title&gt;|7|a-title"
    assert r.render_result(post.content, post=post).html == "A &lt;title&gt;|7|a-title"
    assert "<title>A &lt;title&gt;</title>" in r.render_page(post.content, post=post)
    assert shortcodes.render("[t]", templates=[tmp_path], post=post) == "A &lt;title&gt;|7|a-title"
    with pytest.raises(TypeError, match="mapping of metadata or a shortcodes.exports.Post"):
        r.render("[t]", post=["not", "a", "post"])


def test_handlers_wordpress_signature_is_detected():
    r = Renderer(plugins=())
    seen = []

    def box(atts, content, tag):
        seen.append((atts, content, tag))
        return f"<div>{content}</div>"

    r.register("box", box)
    r.register("n", lambda node, ctx: "N")
    r.register("short", lambda a, c, t: "S")             # three positional parameters: WordPress
    r.register("atts_only", lambda atts: f"{atts!r}")     # PHP callbacks may take fewer parameters
    assert [r.handler_contract(t) for t in ("box", "n", "short", "atts_only", "none")] == [
        WORDPRESS_CONTRACT, NODE_CONTRACT, WORDPRESS_CONTRACT, WORDPRESS_CONTRACT, None]
    assert r.render('[box a=1 "p" B=”x”]in [n][/box] [short] [atts_only] [atts_only k=v]') == (
        "<div>in [n]</div> S '' {'k': 'v'}")
    assert seen == [({"a": "1", 0: "p", "b": "x"}, "in [n]", "box")]
    assert r.handlers["box"] is box


def test_handlers_of_neither_contract_are_refused_when_registered():
    r = Renderer(plugins=())
    with pytest.raises(TypeError, match=r"takes \(a, b, c, d\): a handler is fn\(node, ctx\) .* "
                                        r"fn\(atts, content, tag\) \(Renderer.register_wp\)"):
        r.register("x", lambda a, b, c, d: "")
    with pytest.raises(TypeError, match="takes"):
        r.register("x", lambda: "")
    with pytest.raises(TypeError, match="not callable"):
        r.register_wp("x", "nope")
    assert "x" not in r.handlers


def test_handlers_register_wp():
    r = Renderer(plugins=())
    r.register_wp("b", lambda *args: repr(args))
    r.register_wp("none", lambda atts, content, tag: None)         # PHP prints nothing
    assert r.render("[b x=1]c[/b] [b] [none]") == "({'x': '1'}, 'c', 'b') ('', '', 'b') "
    failing = Renderer(plugins=())
    failing.register_wp("f", lambda atts, content, tag: 1 / 0)
    (d,) = failing.render_result("[f]").diagnostics
    assert "the handler (fn(atts, content, tag)) failed: ZeroDivisionError" in d.message


_NAMES = st.sampled_from(["a", "b", "c"])
_VALUE = st.sampled_from(["1", "x y", "", "é", "<b>", "a=b"])
_ATTR = st.one_of(
    st.tuples(st.sampled_from(["k", "K", "v-2", "5"]), _VALUE).map(lambda kv: f'{kv[0]}="{kv[1]}"'),
    _VALUE.filter(lambda v: " " not in v and "=" not in v and v).map(lambda v: f'"{v}"'))


@st.composite
def _wp_text(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        name = draw(_NAMES)
        attrs = "".join(" " + a for a in draw(st.lists(_ATTR, max_size=3)))
        kind = draw(st.sampled_from(["open", "self", "enclosing", "text", "escaped"]))
        if kind == "open":
            parts.append(f"[{name}{attrs}]")
        elif kind == "self":
            parts.append(f"[{name}{attrs} /]")
        elif kind == "enclosing":
            parts.append(f"[{name}{attrs}]" + draw(st.sampled_from(["", "x", "in [c k=1] side"])) + f"[/{name}]")
        elif kind == "escaped":
            parts.append(f"[[{name}{attrs}]]")
        else:
            parts.append(draw(st.sampled_from(["text ", "\n", "[", "]", "<p>"])))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(_wp_text())
def test_handlers_wordpress_contract_gets_what_do_shortcode_passes(text):
    """atts, content and tag exactly as shortcodes.do_shortcode passes them (and the same output)."""
    ours: list = []
    theirs: list = []

    def recorder(log):
        def handler(atts, content, tag):
            log.append((atts, content, tag))
            return f"<{tag}>"
        return handler

    r = Renderer(plugins=(), tags=["a", "b", "c"])
    for t in ("a", "b", "c"):
        r.register_wp(t, recorder(ours))
    out = r.render(text)
    expected = shortcodes.do_shortcode(text, {t: recorder(theirs) for t in ("a", "b", "c")})
    assert ours == theirs
    assert out == expected


# -- item: lazy children, one call per tag ------------------------------------------------------------

def _nested(depth: int, leaf: str = "x") -> str:
    names = [f"n{i}" for i in range(depth)]
    return "".join(f"[{n}]" for n in names) + leaf + "".join(f"[/{n}]" for n in reversed(names))


def test_wordpress_way_handler_costs_one_call_per_tag():
    depth = 20
    text = _nested(depth)
    calls = []
    r = Renderer(plugins=())

    def wp_way(node, ctx):                     # renders node.content itself, as do_shortcode($content)
        calls.append(node.name)
        return f"<i>{ctx.renderer.render(node.content)}</i>"

    for i in range(depth):
        r.register(f"n{i}", wp_way)
    assert r.render(text) == "<i>" * depth + "x" + "</i>" * depth
    assert len(calls) == depth                                    # not 2**depth
    calls.clear()
    r2 = Renderer(plugins=())

    def wp_callback(atts, content, tag):
        calls.append(tag)
        return f"<i>{r2.render(content)}</i>"

    for i in range(depth):
        r2.register_wp(f"n{i}", wp_callback)
    assert r2.render(text) == "<i>" * depth + "x" + "</i>" * depth
    assert len(calls) == depth


def test_wordpress_way_handler_children_rendered_once_when_asked(tmp_path):
    (tmp_path / "plain.html").write_text("<b>{{ attrs.k }}</b>", encoding="utf-8")
    (tmp_path / "wrap.html").write_text("<div>{{ content }}{{ content }}</div>", encoding="utf-8")
    calls = []
    r = Renderer(templates=[tmp_path], plugins=())
    r.register("leaf", lambda node, ctx: calls.append(1) or "L")
    both = []

    @r.handler("twice")
    def twice(node, ctx):
        both.append((str(ctx.content), ctx.renderer.render(node.content), str(ctx.content)))
        return "T"

    assert r.render("[plain k=1][leaf][leaf][/plain]") == "<b>1</b>"
    assert calls == []                                      # a template that never uses content does not pay
    assert r.render("[wrap][leaf][/wrap]") == "<div>LL</div>" and calls == [1]
    assert r.render("[twice]a[leaf]b[/twice]") == "T" and calls == [1, 1]
    assert both == [("aLb", "aLb", "aLb")]


def test_wordpress_way_handler_at_depth_without_recursion():
    depth = 3000                                                     # far past Python's recursion limit
    text = _nested(depth)
    r = Renderer(plugins=())
    calls = []

    def wp_way(node, ctx):
        calls.append(1)
        return f"<i>{ctx.renderer.render(node.content)}</i>"

    for i in range(depth):
        r.register(f"n{i}", wp_way)
    assert r.render(text) == "<i>" * depth + "x" + "</i>" * depth
    assert len(calls) == depth
    r = Renderer(plugins=())
    for i in range(depth):
        r.register(f"n{i}", lambda node, ctx: f"<b>{ctx.content}</b>")
    assert r.render(text) == "<b>" * depth + "x" + "</b>" * depth


def _parse_is_linear_in_memory() -> bool:
    """parse() keeps one copy of the text (not one per level) on deep nesting (issue 14, item 9)."""
    peaks = []
    for depth in (2000, 4000):
        tracemalloc.start()
        shortcodes.parse(_nested(depth))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return peaks[1] < 3 * peaks[0]


def test_deep_nesting_of_1e5_tags_renders():
    assert _parse_is_linear_in_memory()
    depth = 10**5
    text = _nested(depth)
    for policy in ("keep", "strip", "comment"):
        out = Renderer(plugins=(), unknown=policy).render(text)
        assert out == {"keep": text, "strip": "x"}.get(policy, out)
        if policy == "comment":
            assert out.count("<!--") == 2 * depth
    r = Renderer(plugins=())
    for i in range(0, depth, 2):
        r.register(f"n{i}", lambda node, ctx: "C")                  # never asks for its content
    assert r.render(text) == "C"


def test_deep_nesting_of_1e5_tags_renders_without_recursion(monkeypatch):
    """The walk itself, at 10**5 levels, on a tree built directly (every level with its own content string)."""
    from shortcodes.core.nodes import Document, Shortcode, Text
    from shortcodes.renderer import html as html_module

    depth = 10**5
    text = _nested(depth)
    node: "Shortcode | Text" = Text("x", (0, 1))
    for i in reversed(range(depth)):
        # every level shares one short content string: only the walk is measured here
        node = Shortcode(f"n{i}", (), (0, 1), f"[n{i}]", children=(node,), content="x", close_tag=f"[/n{i}]")
    doc = Document((node,), source=text)
    monkeypatch.setattr(html_module, "parse", lambda source, tags=None: doc)
    for policy, expected in (("keep", text), ("strip", "x")):
        assert Renderer(plugins=(), unknown=policy).render(text) == expected
    r = Renderer(plugins=())
    calls = []

    def asks(node, ctx):  # every level asks for its content (lazily, then, past LAZY_DEPTH, children first)
        calls.append(1)
        return "y" if ctx.content in ("x", "y") else "?"

    for i in range(depth):
        r.register(f"n{i}", asks)
    assert r.render(text) == "y" and len(calls) == depth
    r.register("n0", lambda node, ctx: "C")                                  # n0 never asks: nothing below runs
    calls.clear()
    assert r.render(text) == "C" and calls == []
