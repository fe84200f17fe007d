"""Block-editor content (shortcodes.wordpress.blocks): WordPress's own block parser is the judge.

``tests/php/blocks.php`` runs ``WP_Block_Parser`` from the oracle's WordPress 6.1.9 and renders each
block statically (innerContent in order, inner blocks in place): the names it finds and the HTML it
keeps must be the port's, on every block post of the corpus and on generated delimiter soup.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.exports import read_posts
from shortcodes.renderer import Renderer
from shortcodes.wordpress.blocks import (
    DYNAMIC_BLOCKS,
    Block,
    do_blocks,
    dynamic_blocks,
    has_blocks,
    parse_blocks,
    walk_blocks,
)

PHP_SCRIPT = Path(__file__).parent / "php" / "blocks.php"
BLOCK_TEST = "WordPress__theme-test-data__64-block-test-data.xml"
DELIMITER_LEFT = re.compile(r"<!--\s+/?wp:")


def _quiet(_w) -> None:
    return None


@pytest.fixture(scope="session")
def block_posts(corpus_dir) -> list:
    """Every post of the corpus with block delimiters in its content."""
    posts = []
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            posts.extend(p for p in read_posts([path], recover=True, on_warning=_quiet) if has_blocks(p.content))
        except Exception:  # noqa: BLE001 - files that are not exports at all are not this test's concern
            continue
    assert len(posts) > 100
    return posts


@pytest.fixture(scope="session")
def wp_blocks(wp):
    """``texts -> [{names, html}]`` by WordPress's WP_Block_Parser, in one php process per call."""
    php = shutil.which("php")
    wpinc = wp.wpinc()

    def run(texts: list[str]) -> list[dict]:
        out = subprocess.run([php, str(PHP_SCRIPT), wpinc], input=json.dumps(texts), capture_output=True,
                             text=True, check=True)
        return json.loads(out.stdout)

    return run


def _static(block: Block) -> str:
    inner = iter(block.inner_blocks)
    return "".join(c if c is not None else _static(next(inner)) for c in block.inner_content)


def _port(text: str) -> dict:
    blocks = parse_blocks(text)
    return {"names": [b.name for b in walk_blocks(blocks)], "html": "".join(_static(b) for b in blocks)}


def test_the_parser_is_wordpress_on_every_block_post_of_the_corpus(block_posts, wp_blocks):
    texts = [p.content for p in block_posts]
    expected = wp_blocks(texts)
    for post, text, want in zip(block_posts, texts, expected):
        assert _port(text) == want, post.where()


_piece = st.one_of(
    st.sampled_from(["<!-- wp:paragraph -->", "<!-- /wp:paragraph -->", "<!-- wp:group {\"a\":1} -->",
                     "<!-- /wp:group -->", "<!-- wp:latest-posts /-->", "<!-- wp:my-plugin/box {\"x\":\"}\"} -->",
                     "<!-- /wp:my-plugin/box -->", "<!-- wp:x {bad json} -->", "<!--wp:nospace-->",
                     "<!-- wp:Upper -->", "<!-- wp:a\n{\"k\":[1,2]}\n/-->", "<!-- /wp:x {\"a\":1} /-->",
                     "0", "<p>", "</p>", "\n\n", "[gallery]", "}", " -->", "<!-- wp:"]),
    st.text(alphabet="ab<>!-/{}\" :wp\n0", max_size=8),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_piece, max_size=14).map("".join), min_size=30, max_size=30))
def test_the_parser_is_wordpress_on_generated_delimiter_soup(wp_blocks, texts):
    for text, want in zip(texts, wp_blocks(texts)):
        assert _port(text) == want, text


def test_do_blocks_leaves_no_delimiter_and_keeps_every_other_byte(block_posts):
    """An independent check of what is kept: the text with every delimiter cut out by a plain regex."""
    delimiter = re.compile(r"<!--\s+/?wp:[a-z][a-z0-9_/-]*\s+(\{.*?\}\s+)?/?-->", re.S)
    for post in block_posts:
        out = do_blocks(post.content)
        assert not DELIMITER_LEFT.search(out), post.where()
        if "wp:shortcode" not in post.content:
            assert out == delimiter.sub("", post.content), post.where()


def test_the_shortcode_block_hands_its_text_to_the_renderer():
    text = ('<!-- wp:paragraph -->\n<p>Figures:</p>\n<!-- /wp:paragraph -->\n\n'
            '<!-- wp:shortcode -->\n[covid19-ultimate-card region="EG"]\n<!-- /wp:shortcode -->')
    html = Renderer(autop=True, as_of="2021-10-10").render(text)
    assert "<!--" not in html and "[covid19-ultimate-card region" not in html
    assert html.startswith("\n<p>Figures:</p>\n") and html.count("<section class=\"sc-covid-card ") == 1


def test_block_posts_get_no_wpautop_and_parse_as_html(block_posts):
    """WordPress switches wpautop off for posts with blocks: no <p> around a delimiter, no stray </p>."""
    renderer = Renderer(autop=True)
    for post in block_posts:
        html = renderer.render(post.content)
        assert not DELIMITER_LEFT.search(html), post.where()
        assert "<p><!--" not in html, post.where()
    plain = Renderer(autop=True).render("a\n\nb")
    assert plain == "<p>a</p>\n<p>b</p>\n"


def test_the_block_test_export_pages_have_no_autop_damage(corpus_dir):
    posts = [p for p in read_posts([corpus_dir / "wxr" / BLOCK_TEST], on_warning=_quiet) if has_blocks(p.content)]
    assert len(posts) >= 60
    renderer = Renderer(autop=True)
    parser = html5lib.HTMLParser(strict=False)
    for post in posts:
        html = renderer.render(post.content)
        assert not re.search(r"<p>\s*</?(ul|ol|li|figure|div|h\d|table)\b", html), post.where()
        parser.parseFragment(html)
        # the only errors html5lib reports are those already in the saved HTML, never a <p> we added
        assert not any(e[1] == "unexpected-end-tag" and e[2].get("name") == "p" for e in parser.errors), \
            (post.where(), parser.errors[:3])


def test_dynamic_blocks_are_named_and_static_ones_are_not(block_posts):
    names = {b.name for p in block_posts for b in walk_blocks(parse_blocks(p.content)) if b.name}
    dynamic = {n for p in block_posts for n in dynamic_blocks(p.content)}
    assert dynamic and dynamic <= names
    assert "core/paragraph" not in dynamic and "core/image" not in dynamic and "core/shortcode" not in dynamic
    assert {"core/latest-posts", "core/archives"} & dynamic
    assert all(n in DYNAMIC_BLOCKS or not n.startswith("core/") for n in dynamic)
    assert dynamic_blocks('<!-- wp:acme/box --><div>saved</div><!-- /wp:acme/box --><!-- wp:acme/feed /-->') == \
        ["acme/feed"]


def test_the_dynamic_block_list_is_wordpress_own(wp):
    """Every name of DYNAMIC_BLOCKS is a block WordPress registers with a PHP file of its own."""
    folder = Path(wp.wpinc()) / "blocks"
    required = set(re.findall(r"/blocks/([a-z-]+)\.php", (folder / "require-dynamic-blocks.php").read_text()))
    ours = {n.removeprefix("core/") for n in DYNAMIC_BLOCKS}
    assert ours - {"legacy-widget", "widget-group"} <= required
    assert required - ours == {"image", "gallery", "cover", "file", "shortcode"}
