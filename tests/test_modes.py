"""Conversion modes (strip, unwrap) and the one rule of what counts as a shortcode (core.classify).

* Item "--mode strip": WordPress's ``strip_shortcodes()`` stays exact, but a
  post whose enclosed content is dropped gets a ``content-dropped`` warning
  with the count; ``--mode unwrap`` removes the tags and keeps what they
  enclose.
* Item "what counts as a shortcode": ``--all-tags`` (and ``Renderer(tags=None)``)
  use the inventory's rule, which lives in ``shortcodes.core.classify``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shortcodes
from shortcodes.cli import main
from shortcodes.core import classify
from shortcodes.exports import Post, read_posts
from shortcodes.jobs import inventory as inventory_module
from shortcodes.jobs.convert import Converter, ConvertOptions, convert_posts
from shortcodes.jobs.inventory import Inventory
from shortcodes.jobs.modes import MODES
from shortcodes.wordpress import do_shortcode, strip_shortcodes

MEDIA = ("gallery", "caption", "audio", "video", "embed")


def _theme_unit_posts(corpus_dir: Path) -> list[Post]:
    path = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    posts = [p for p in read_posts(path) if "[caption" in p.content]
    assert len(posts) >= 4
    return posts


def _unwrapped(text: str, tags) -> str:
    """WordPress with a handler that returns its content, shortcodes run (nothing inside HTML tags).

    (WordPress hands the brackets it encoded inside HTML tags to a handler as ``&#91;``, which the
    nested ``do_shortcode()`` keeps as ``&#091;``: they are brackets of the text.)
    """
    assert "&#9" not in text
    handlers: dict = {}
    for t in tags:
        handlers[t] = lambda atts, content, tag: do_shortcode(content, handlers, ignore_html=True)
    return do_shortcode(text, handlers, ignore_html=True).replace("&#091;", "[").replace("&#093;", "]")


# -- --mode strip: exact, and it says what it dropped ---------------------------------------------------

def test_mode_strip_warns_when_enclosed_content_is_dropped(corpus_dir):
    posts = _theme_unit_posts(corpus_dir)
    results = list(convert_posts(posts, ConvertOptions(mode="strip", tags=MEDIA)))
    warned = 0
    for post, res in results:
        assert res.content == strip_shortcodes(post.content, MEDIA)       # still WordPress's, byte for byte
        doc = shortcodes.renderer.html.parse_view(shortcodes.renderer.html.html_view(post.content), MEDIA)
        enclosing = [n for n in doc.children if isinstance(n, shortcodes.Shortcode) and n.content
                     and not n.escaped]
        dropped = [p for p in res.problems if p.kind == "content-dropped"]
        if not enclosing:
            assert dropped == []
            continue
        (warning,) = dropped                                          # one per post
        chars = sum(len(n.content) for n in enclosing)
        assert warning.severity == "warning"
        assert f"{len(enclosing)} enclosing tag" in warning.message and f"{chars} character" in warning.message
        assert "--mode unwrap" in warning.message
        line, col = post.position(enclosing[0].span[0])
        assert (warning.line, warning.column) == (line, col)
        warned += 1
    assert warned >= 4


def test_mode_strip_warns_when_enclosed_content_is_dropped_cli(tmp_path, capsys):
    src = tmp_path / "p.html"
    src.write_text('a [caption id="c1"]<img src="x.png"> A photo[/caption] b [gallery]', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    main(["convert", str(src), "--to", "jsonl", "-o", str(out), "--mode", "strip", "--tags", "caption,gallery", "-q"])
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["content"] == "a  b "
    (d,) = [d for d in record["diagnostics"] if d["kind"] == "content-dropped"]
    assert "1 enclosing tag ([caption])" in d["message"] and "25 characters" in d["message"]
    assert (d["line"], d["column"]) == (1, 3)


# -- --mode unwrap -----------------------------------------------------------------------------------

def test_mode_unwrap_is_registered_and_offered():
    assert "unwrap" in MODES.names()
    assert ConvertOptions(mode="unwrap").mode == "unwrap"


def test_mode_unwrap_keeps_what_the_tags_enclose(corpus_dir):
    posts = _theme_unit_posts(corpus_dir)
    for post, res in convert_posts(posts, ConvertOptions(mode="unwrap", tags=MEDIA)):
        assert res.content == _unwrapped(post.content, MEDIA)
        assert res.content.count("<img") == post.content.count("<img")   # the captions' images stay
        assert "[caption" not in res.content
        assert not [p for p in res.problems if p.kind == "content-dropped"]
        assert res.counts["caption"]["stripped"] == post.content.count("[caption")


_PIECES = st.sampled_from(["[b]", "[b x=1]", "[/b]", "[c]", "[/c]", "[[b]]", "[b/]", "x", " ", "<a title=\"",
                           '">', "<!-- ", " -->", "<img>", "[u]", "[/u]", "]", "["])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=20).map("".join))
def test_mode_unwrap_keeps_what_the_tags_enclose_property(text):
    conv = Converter(ConvertOptions(mode="unwrap", tags=("b", "c")))
    new, _counts, _diags = conv.convert_text(text)
    assert new == _unwrapped(text, ("b", "c"))
    strip_conv = Converter(ConvertOptions(mode="strip", tags=("b", "c")))
    if "[/b]" not in text and "[/c]" not in text:                 # nothing encloses: strip is unwrap
        assert strip_conv.convert_text(text)[0] == new


# -- what counts as a shortcode: one rule, one home --------------------------------------------------

def test_what_counts_as_a_shortcode_has_one_home():
    for name in ("shortcode_reason", "TagEvidence", "WORDPRESS_TAGS", "PLUGIN_TAGS", "PLUGIN_PREFIXES"):
        assert getattr(inventory_module, name) is getattr(classify, name)


def test_what_counts_as_a_shortcode_inventory_agrees_per_post(corpus_dir):
    """Over one post, the inventory and Document.probable_shortcodes() decide alike."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus_dir / "posts").iterdir())
             if p.suffix in (".txt", ".html", ".md")]
    texts += [p.content for p in read_posts(corpus_dir / "wxr" / "WordPress__theme-test-data__64-block-test-data.xml")]
    checked = 0
    for text in texts:
        if "[" not in text:
            continue
        inv = Inventory(known={"covid19-ultimate-card"})
        inv.add_text(text)
        doc = shortcodes.parse(text)
        assert {s.name for s in inv.shortcodes()} == {
            sc.name for sc in doc.probable_shortcodes(known={"covid19-ultimate-card"})}
        checked += 1
    assert checked > 20


TEXT = ('<!-- wp:image {"style":{"color":{"duotone":["#8c00b7","#fcff41"]}}} -->\n'
        "See [1] and [citation needed]; [simple boat]. [note]kept[/note] [gallery ids=\"1\"] [x a=1]\n")


@pytest.mark.parametrize("mode, expected", [
    ("strip", '<!-- wp:image {"style":{"color":{"duotone":["#8c00b7","#fcff41"]}}} -->\n'
              "See [1] and [citation needed]; [simple boat].   \n"),
    ("unwrap", '<!-- wp:image {"style":{"color":{"duotone":["#8c00b7","#fcff41"]}}} -->\n'
               "See [1] and [citation needed]; [simple boat]. kept  \n"),
    ("keep", TEXT),
])
def test_all_tags_uses_what_counts_as_a_shortcode(mode, expected):
    conv = Converter(ConvertOptions(mode=mode, all_tags=True))
    new, counts, _ = conv.convert_text(TEXT)
    assert new == expected
    assert set(counts) == {"note", "gallery", "x"}


def test_all_tags_render_uses_what_counts_as_a_shortcode():
    for unknown in ("strip", "comment", "keep"):
        conv = Converter(ConvertOptions(mode="render", all_tags=True, unknown=unknown))
        new, counts, _ = conv.convert_text(TEXT)
        assert "[1]" in new and "[citation needed]" in new and "[simple boat]" in new
        assert '"duotone":["#8c00b7","#fcff41"]' in new
        assert set(counts) == {"note", "gallery", "x"}
    with pytest.raises(shortcodes.RenderError):                      # [x a=1] is a shortcode: refused
        shortcodes.render(TEXT, unknown="error")
    assert shortcodes.render("[1] [citation needed]", unknown="error") == "[1] [citation needed]"
