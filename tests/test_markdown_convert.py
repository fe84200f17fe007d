"""HTML → Markdown (shortcodes.markdown.convert): WordPress's media markup, the seed, escaping, real posts."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_helpers import html_tags, html_text, liquid, render, words

from shortcodes.markdown import convert_body, convert_html

FLAVOURS = ("commonmark", "hugo", "jekyll", "astro")

# WordPress 6.1.9's markup, as the spec (shared/research/wordpress-media.md §1) gives it.
CAPTION_HTML5 = ('<figure id="attachment_754" aria-describedby="caption-attachment-754" style="width: 300px" '
                 'class="wp-caption alignright"><img class="size-medium wp-image-754" '
                 'src="https://example.org/wp-content/uploads/2021/10/cairo-tower-300x225.jpg" alt="برج القاهرة" '
                 'width="300" height="225" /><figcaption id="caption-attachment-754" class="wp-caption-text">'
                 'برج القاهرة عند الغروب</figcaption></figure>')
AUDIO = ("<!--[if lt IE 9]><script>document.createElement('audio');</script><![endif]-->\n"
         '<audio class="wp-audio-shortcode" id="audio-587-1" preload="none" style="width: 100%;" controls="controls">'
         '<source type="audio/mpeg" src="https://example.org/a.mp3?_=1" /><source type="audio/ogg" '
         'src="https://example.org/a.ogg?_=1" /><a href="https://example.org/a.mp3">https://example.org/a.mp3</a></audio>')
VIDEO = ('<div style="width: 640px;" class="wp-video"><!--[if lt IE 9]><script>document.createElement(\'video\');'
         '</script><![endif]-->\n<video class="wp-video-shortcode" id="video-587-1" width="640" height="360" '
         'poster="https://example.org/p.jpg" preload="metadata" controls="controls"><source type="video/mp4" '
         'src="https://example.org/v.mp4?_=1" /><a href="https://example.org/v.mp4">https://example.org/v.mp4</a>'
         '</video></div>')
GALLERY_CLASSIC = ("\n\t\t<style type='text/css'>\n\t\t\t#gallery-1 {\n\t\t\t\tmargin: auto;\n\t\t\t}\n\t\t</style>\n"
                   "\t\t<div id='gallery-1' class='gallery galleryid-555 gallery-columns-2 gallery-size-thumbnail'>"
                   "<dl class='gallery-item'>\n\t\t\t<dt class='gallery-icon landscape'>\n\t\t\t\t<a href='https://e.org/p/'>"
                   "<img width=\"150\" height=\"150\" src=\"https://e.org/a-150x150.jpg\" class=\"attachment-thumbnail\" "
                   "alt=\"canola\" decoding=\"async\" loading=\"lazy\" /></a>\n\t\t\t</dt>\n\t\t\t\t<dd class='wp-caption-text "
                   "gallery-caption' id='gallery-1-611'>\n\t\t\t\tA &#8220;dusk&#8221; &#038; dawn\n\t\t\t\t</dd></dl>\n\t\t\t"
                   "<br style='clear: both' />\n\t\t</div>\n")
EMBED_IFRAME = ('<p>Watch:</p><p><iframe title="Video" width="640" height="360" '
                'src="https://www.youtube.com/embed/nwe-H6l4beM?feature=oembed" frameborder="0" allowfullscreen></iframe></p>')
EMBED_BLOCKQUOTE = ('<blockquote class="wp-embedded-content" data-secret="0123456789"><a href="https://example.org/p/">'
                    'A post</a></blockquote><iframe class="wp-embedded-content" sandbox="allow-scripts" '
                    'security="restricted" style="position: absolute; clip: rect(1px, 1px, 1px, 1px);" '
                    'src="https://example.org/p/embed/#?secret=0123456789" data-secret="0123456789" width="500" '
                    'height="282" title="A post" frameborder="0" marginwidth="0" marginheight="0" scrolling="no"></iframe>')
MEDIA = {"caption": CAPTION_HTML5, "audio": AUDIO, "video": VIDEO, "gallery-classic": GALLERY_CLASSIC,
         "embed-iframe": EMBED_IFRAME, "embed-blockquote": EMBED_BLOCKQUOTE}


def _md(html: str, flavour: str = "commonmark", **kw: str) -> str:
    return convert_body(html, flavour, **kw).markdown  # type: ignore[arg-type]


def _raw_blocks_ok(md: str) -> None:
    md = re.sub(r"^```.*?^```", "", md, flags=re.S | re.M)     # code may show anything
    md = re.sub(r"(`+).*?\1", "", md)
    assert "<!--" not in md
    assert "<style" not in md and "<script" not in md
    assert not re.search(r"(?<!\]\()<https?://", md), "autolink"
    assert not re.search(r"<(?:img|source|br|hr|track|input|wbr)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*(?<!/)>", md), md


@pytest.mark.parametrize("name", sorted(MEDIA))
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_media_markup_is_kept_as_valid_raw_html(name: str, flavour: str) -> None:
    md = _md(MEDIA[name], flavour)
    _raw_blocks_ok(md)
    back = render(md, gfm=flavour != "commonmark")
    assert words(back) == words(MEDIA[name])
    for tag in ("figure", "audio", "video", "iframe", "source", "figcaption"):
        assert html_tags(back).count(tag) == html_tags(MEDIA[name]).count(tag), (tag, md)


def test_caption_layout_blank_lines_around_block() -> None:
    md = _md("<p>Before</p>" + CAPTION_HTML5 + "<p>After</p>")
    assert md.startswith("Before\n\n<figure ")
    assert "</figure>\n\nAfter\n" in md
    assert 'alt="برج القاهرة" width="300" height="225" />' in md


def test_ie_comment_and_style_are_removed_and_stylesheets_returned() -> None:
    res = convert_html(GALLERY_CLASSIC)
    assert [s.css.strip().split()[0] for s in res.stylesheets] == ["#gallery-1"]
    assert "margin: auto" not in res.markdown
    audio = convert_html(AUDIO)
    assert "createElement" not in audio.markdown and "<!--" not in audio.markdown
    assert audio.notes == ()     # the script was inside a comment: nothing of the post was lost


def test_gallery_caption_entities_survive() -> None:
    md = _md(GALLERY_CLASSIC)
    assert "A “dusk” &amp; dawn" in md


def test_seed_cards_carried_through(seed_html: str) -> None:
    for flavour in FLAVOURS:
        res = convert_body(seed_html, flavour, lang="ar", dir="rtl")
        md = res.markdown
        assert md.count('<section class="sc-covid-card') == 4
        assert md.count("<data ") == seed_html.count("<data ")
        assert [s.name for s in res.stylesheets] == ["covid19-ultimate-card.css"]
        assert "<style" not in md
        assert "٬" not in seed_html or "٬" in md
        back = render(md, gfm=flavour != "commonmark")
        assert words(back) == words(seed_html)
        assert html_tags(back).count("section") == 4
        # direction marks and digits untouched
        for ch in "\u200e\u200f\u061c":
            assert md.count(ch) == seed_html.count(ch)


def test_arabic_digits_and_direction_marks() -> None:
    html = '<p>عدد الحالات \u200f٣١٢٬٤١٣\u200f و\u061c ١٢ [١] <span dir="ltr">+837</span></p>'
    md = _md(html, "hugo", lang="ar", dir="rtl")
    assert "\u200f٣١٢٬٤١٣\u200f" in md and "\u061c" in md and "[١]" in md
    assert '<span dir="ltr">+837</span>' in md
    same = _md('<p dir="rtl" lang="ar">نص</p>', "hugo", lang="ar", dir="rtl")
    assert same == "نص\n"       # the page says it already: plain Markdown


@pytest.mark.parametrize("text", ["[gallery ids=\"1,2\"]", "[1]", "[citation needed]", "[vc_row][vc_column]x[/vc_column][/vc_row]",
                                  "[caption id=\"a\"]<img src=\"x\"> y[/caption]", "see [note] (below)"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_shortcode_like_text_is_never_bracket_escaped(text: str, flavour: str) -> None:
    from html import escape

    md = _md(f"<p>{escape(text, quote=False)}</p>", flavour)
    assert "\\[" not in md and "\\]" not in md
    back = render(md)
    assert html_text(back).strip() == text
    assert "<a " not in back


@pytest.mark.parametrize(("text", "flavour", "bad"), [
    ("{{< youtube x >}}", "hugo", "{{<"), ("{{% note %}}", "hugo", "{{%"),
    ("{{ site.title }} {% include x %}", "jekyll", "{{"), ("{% raw %}", "jekyll", "{%"),
    ("{props.x} a < b", "astro", "{props"), ("x {: .class}", "jekyll", "{:"),
])
def test_generator_syntax_in_text_is_escaped(text: str, flavour: str, bad: str) -> None:
    from html import escape

    md = _md(f"<p>{escape(text)}</p>", flavour)
    if flavour == "jekyll":
        md = liquid(md)         # fails if Liquid would see a tag outside {% raw %}
    else:
        assert not re.search(r"(?<!\\)" + re.escape(bad), md), md
    assert html_text(render(md)).strip() == text


def test_code_keeps_its_text_and_is_made_inert() -> None:
    html = "<pre><code>{{< x >}} {% y %} a*b_c [d](e)</code></pre>"
    hugo = _md(html, "hugo")
    assert "{{</* x */>}}" in hugo
    jekyll = _md(html, "jekyll")
    assert jekyll.startswith("{% raw %}") and jekyll.rstrip().endswith("{% endraw %}")
    assert "{{< x >}} {% y %}" in liquid(jekyll)
    plain = _md(html)
    assert "a*b_c [d](e)" in plain


def test_mdx_import_export_lines_and_braces() -> None:
    md = _md("<p>import x from 'y'</p><p>export default 1</p><p>{a}</p>", "astro")
    assert not re.search(r"^(import|export)\b", md, re.M)
    assert "\\{a\\}" in md


def test_markdown_constructs() -> None:
    html = ("<h2>Title</h2><p>Some <em>em</em>, <strong>strong</strong>, <a href='https://e.org/a_b'>link</a>, "
            "<code>x_y</code>.</p><ul><li>one</li><li>two<ul><li>three</li></ul></li></ul><ol><li>a</li></ol>"
            "<blockquote><p>quote</p></blockquote><pre><code class='language-py'>x = 1\n\ny = 2</code></pre>"
            "<table><tr><th>a|b</th><th>c</th></tr><tr><td>1</td><td>2</td></tr></table>")
    md = _md(html, "hugo")
    assert md.startswith("## Title\n")
    assert "[link](https://e.org/a_b)" in md and "`x_y`" in md
    assert "```py\nx = 1\n\ny = 2\n```" in md
    assert "a\\|b" in md
    back = render(md, gfm=True)
    for tag in ("h2", "em", "strong", "a", "code", "ul", "ol", "li", "blockquote", "pre", "table", "th", "td"):
        assert html_tags(back).count(tag) == html_tags(html).count(tag), tag
    # CommonMark has no tables: the table stays HTML there
    assert "<table>" in _md(html, "commonmark")


def test_complex_table_stays_html() -> None:
    html = '<table><tr><td colspan="2">wide</td></tr><tr><td>a</td><td>b</td></tr></table>'
    md = _md(html, "hugo")
    assert md.startswith("<table>") and 'colspan="2"' in md


def test_blocks_inside_lists_and_quotes_keep_the_prefix() -> None:
    md = _md("<blockquote>" + CAPTION_HTML5 + "</blockquote><ul><li>" + CAPTION_HTML5 + "</li></ul>")
    back = render(md)
    assert html_tags(back).count("figure") == 2
    assert re.search(r"<blockquote>\s*<figure", back) and re.search(r"<li>\s*<figure", back)


# ---------------------------------------------------------------- properties

_TEXT = st.text(alphabet=st.sampled_from(list("ab cd*_[]()<>&{}|~#!\\`=-+.:;\"'1٢٣عربي\u200f\u00a0\n")), min_size=1, max_size=20)


def _esc(t: str) -> str:
    from html import escape

    return escape(t, quote=False)


def _phrasing(link_text: "st.SearchStrategy[str] | None") -> "st.SearchStrategy[str]":
    """Inline HTML; links (whose text is ``link_text``) only where ``link_text`` is given."""
    def extend(kids: "st.SearchStrategy[str]") -> "st.SearchStrategy[str]":
        options = [
            st.tuples(st.sampled_from(["em", "strong", "code", "span", "bdi", "sup"]), kids).map(
                lambda p: f"<{p[0]}>{p[1]}</{p[0]}>"),
            st.lists(kids, min_size=1, max_size=3).map(" ".join),
        ]
        if link_text is not None:
            options.append(st.tuples(link_text, kids).map(lambda p: f'<a href="https://e.org/x">{p[0]}</a> {p[1]}'))
        return st.one_of(*options)

    return st.recursive(_TEXT.map(_esc), extend, max_leaves=6)


# A link's text holds no link: HTML forbids it (a parser ends the outer link at the inner one's start), and
# Markdown cannot write it (the inner one comes out as escaped text, its URL among the words).
_inline = _phrasing(_phrasing(None))
_block = st.one_of(
    _inline.map(lambda t: f"<p>{t}</p>"),
    st.tuples(st.sampled_from(["h1", "h2", "h3"]), _inline).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>"),
    st.lists(_inline, min_size=1, max_size=3).map(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
    _inline.map(lambda t: f"<blockquote><p>{t}</p></blockquote>"),
    _TEXT.map(lambda t: f"<pre><code>{_esc(t)}</code></pre>"),
    _inline.map(lambda t: f'<figure class="wp-caption"><img src="a.jpg" alt="x" /><figcaption>{t}</figcaption></figure>'),
    _inline.map(lambda t: f'<div dir="ltr"><p>{t}</p></div>'),
)
_document = st.lists(_block, min_size=1, max_size=5).map("".join)


def _norm(ws: list[str]) -> list[str]:
    return ws


@settings(max_examples=150)
@given(_document, st.sampled_from(FLAVOURS))
def test_text_survives_html_markdown_html(html: str, flavour: str) -> None:
    md = _md(html, flavour, lang="ar", dir="rtl")
    back = render(liquid(md) if flavour == "jekyll" else md, gfm=flavour != "commonmark")
    assert words(back) == words(html), md


@settings(max_examples=100)
@given(_TEXT, st.sampled_from(FLAVOURS))
def test_any_text_paragraph_round_trips_exactly(text: str, flavour: str) -> None:
    if not text.strip():
        return
    md = _md(f"<p>{_esc(text)}</p>", flavour)
    back = html_text(render(liquid(md) if flavour == "jekyll" else md, gfm=flavour != "commonmark"))
    expected = " ".join(text.replace("\u00a0", "\x00").split()).replace("\x00", "\u00a0")
    assert " ".join(back.split()) == " ".join(expected.split()), md


@given(st.text(alphabet=st.sampled_from(list("{}%<>ab ")), min_size=2, max_size=12))
def test_no_generator_syntax_from_text(text: str) -> None:
    html = f"<p>{_esc(text)}</p>"
    assert "{{<" not in _md(html, "hugo") and "{{%" not in _md(html, "hugo")
    liquid(_md(html, "jekyll"))
    mdx = _md(html, "astro")
    assert not re.search(r"(?<!\\)[{}]", mdx) and not re.search(r"(?<!\\)<", mdx)


# ---------------------------------------------------------------- real inputs

@pytest.fixture(scope="module")
def seed_html(seed_text: str) -> str:
    from shortcodes import Renderer

    return Renderer(as_of="2021-10-10", autop=True).render(seed_text)


@pytest.fixture(scope="module")
def corpus_bodies(corpus_dir):  # type: ignore[no-untyped-def]
    import warnings

    from shortcodes import Renderer
    from shortcodes.exports import read_posts

    r = Renderer(autop=True)
    bodies = []
    warnings.simplefilter("ignore")      # the exports' own warnings are the WXR tests' business
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            for post in read_posts([path], recover=True):
                if post.type in ("post", "page") and post.content.strip():
                    bodies.append((f"{path.name}:{post.id}", r.render(post.content)))
        except Exception:  # noqa: BLE001 - unusable exports are the WXR tests' business
            continue
    assert len(bodies) > 100
    return bodies


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_corpus_posts_keep_their_words(corpus_bodies, flavour: str) -> None:  # type: ignore[no-untyped-def]
    bad = []
    for label, html in corpus_bodies:
        md = _md(html, flavour)
        _raw_blocks_ok(md)
        if flavour == "jekyll":
            md = liquid(md)
        if words(render(md, gfm=flavour != "commonmark")) != words(html):
            bad.append(label)
    assert not bad, bad[:10]


@pytest.mark.oracle
def test_wordpress_the_content_of_theme_unit_test(corpus_dir, wp) -> None:  # type: ignore[no-untyped-def]
    """WordPress's own the_content (real media.php) for every theme-unit-test post, converted."""
    import importlib.util
    import sys

    media = corpus_dir.parent / "oracle" / "media" / "media_oracle.py"
    if not media.exists():
        pytest.skip(f"{media} is missing")
    spec = importlib.util.spec_from_file_location("media_oracle", media)
    mo = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["media_oracle"] = mo
    spec.loader.exec_module(mo)  # type: ignore[union-attr]
    from shortcodes.exports import read_posts

    wxr = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    posts = [p for p in read_posts([wxr]) if p.type in ("post", "page") and p.content]
    site = mo.site_from_wxr(str(wxr), scenario="synthetic",
                            theme_supports={"html5": ["caption", "gallery", "style", "script"]}, content_width=640)
    results = mo.run([{"site": site, "post_id": int(p.id), "op": "the_content", "input": p.content} for p in posts])
    html = [r["result"] for r in results if r.get("ok")]
    assert len(html) == len(posts)
    assert sum(h.count("<figure") for h in html) >= 12
    for flavour in FLAVOURS:
        bad = []
        for h in html:
            md = _md(h, flavour)
            _raw_blocks_ok(md)
            back = render(liquid(md) if flavour == "jekyll" else md, gfm=flavour != "commonmark")
            if words(back) != words(h) or html_tags(back).count("figure") != html_tags(h).count("figure"):
                bad.append(h[:80])
        assert not bad, (flavour, bad[:3])
