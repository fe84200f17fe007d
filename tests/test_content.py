"""shortcodes.wordpress.content: the ``the_content`` chain against WordPress 6.1.9 (the media oracle's
``the_content`` op: run_shortcode, autoembed, wptexturize, wpautop, shortcode_unautop,
wp_filter_content_tags, capital_P_dangit, do_shortcode with core's media shortcodes, convert_smilies).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from shortcodes import Renderer
from shortcodes.exports.site import read_site
from shortcodes.exports.wxr import read_wxr
from shortcodes.wordpress.blocks import has_blocks
from shortcodes.wordpress.content import ContentPage, convert_smilies, get_the_password_form, the_content
from shortcodes.wordpress.theme import Theme

#: What the oracle registers (add_shortcode in media.php, and WP_Embed's placeholder).
CORE_TAGS = ("caption", "wp_caption", "gallery", "playlist", "audio", "video", "embed")


def _media_tags() -> tuple[str, ...]:
    """The core media tags the renderer's media plugin renders (the others are compared once it does)."""
    from shortcodes.media import TAGS

    return tuple(TAGS)


def corpus(corpus_dir: Path):
    """(export, its posts and pages) for every corpus export; items whose ID another item also has are left
    out (WordPress's importer renumbers one of them; the oracle's site keeps the last)."""
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            items = list(read_wxr(path, recover=True, on_warning=lambda w: None))
        except Exception:  # noqa: BLE001 - refused exports are tested elsewhere
            continue
        ids = [p.id for p in items]
        posts = [p for p in items if p.type in ("post", "page") and p.id.isdigit() and ids.count(p.id) == 1]
        if posts:
            yield path, posts


def corpus_sites(corpus_dir: Path, media_oracle):
    """(export, its posts and pages, the oracle's site, ours) for every corpus export the oracle reads."""
    for path, posts in corpus(corpus_dir):
        try:
            base = media_oracle.site_from_wxr(path, scenario="as-exported")
        except Exception:  # noqa: BLE001 - the oracle's strict XML reader refuses a few exports
            continue
        yield path, posts, base, read_site(path)


def mine(post, site, theme: Theme) -> str:
    renderer = Renderer(plugins=()).use("media", site=site, theme=theme)
    page = ContentPage(site=site, post=site.posts.get(int(post.id)), content_width=theme.content_width)
    return the_content(post.content, tags=CORE_TAGS, page=page,
                       do_shortcode=lambda text: renderer.render(text, post=post))


def test_the_content_matches_wordpress_on_the_corpus(corpus_dir: Path, media_oracle) -> None:
    """Every classic (block-free) post and page of every corpus export the oracle reads, with the default
    html5 theme; the posts with a core media tag also classic and at content width 640."""
    rendered = set(_media_tags())
    missing = [t for t in CORE_TAGS if t not in rendered and t != "embed"]
    cases, ours, sites = [], [], {}
    skipped_blocks = skipped_tags = 0
    for path, posts, base, site in corpus_sites(corpus_dir, media_oracle):
        for post in posts:
            if has_blocks(post.content):
                skipped_blocks += 1
                continue
            if any(f"[{t}" in post.content for t in missing):
                skipped_tags += 1
                continue
            themes = [Theme()]
            if any(f"[{t}" in post.content for t in CORE_TAGS):
                themes += [Theme.classic(), Theme(content_width=640)]
            for theme in themes:
                name = f"{path.name}|{theme.html5 and 'h'}|{theme.content_width}"
                if name not in sites:
                    sites[name] = theme.oracle_site(base)
                cases.append(theme.oracle_case({"site": name, "post_id": int(post.id), "op": "the_content",
                                                "input": post.content}))
                ours.append((path.name, post.id, theme, mine(post, site, theme)))
    results = media_oracle.run(cases, sites=sites)
    rand = [i for i, r in enumerate(results) if any("RAND" in n for n in r.get("nondeterministic", ()))]
    kept = [(o, r) for i, (o, r) in enumerate(zip(ours, results)) if i not in set(rand)]
    bad = [(o[:3], r.get("result"), o[3]) for o, r in kept if not r.get("ok") or r["result"] != o[3]]
    print(f"the_content: {len(kept)} cases compared with WordPress ({len(bad)} disagreements; {len(rand)} with "
          f"[gallery orderby=rand], random in WordPress, left out); "
          f"{skipped_blocks} block posts and {skipped_tags} posts with {', '.join(missing) or 'no'} tags not yet compared")
    for where, theirs, got in bad[:2]:
        print(where, "\nWP:  ", repr(theirs)[:3000], "\nOURS:", repr(got)[:3000])
    assert not bad
    assert len(cases) >= 250


def test_smilies_and_password_form_match_wordpress(media_oracle) -> None:
    """convert_smilies() at the end of the chain (the oracle initialises smilies for the_content only),
    with an https site below /wp; the password form a visitor gets."""
    site = {"home": "https://example.org", "siteurl": "https://example.org/wp", "posts": [
        {"ID": 3, "post_type": "post", "post_title": "x", "post_password": "pw"}]}
    texts = [":) :-) ;) x:) :mrgreen: <code>:)</code> :)", "<pre>\n:)\n</pre> :D\n:P", "&nbsp;:)&nbsp;",
             ":?: :!: 8-) <textarea>:)</textarea>:)", "<b>:)</b> <a title=':)'>:)</a>"]
    cases = [{"site": site, "post_id": 3, "op": "the_content", "input": t} for t in texts]
    cases.append({"site": site, "post_id": 3, "op": "call", "fn": "get_the_password_form", "args": [3]})
    results = media_oracle.run(cases)
    from shortcodes.exports.site import Site

    model = Site.from_oracle_json(site)
    for t, r in zip(texts, results):
        page = ContentPage(site=model, post=model.posts[3])
        assert r["result"] == the_content(t, tags=CORE_TAGS, do_shortcode=str, page=page), t
    assert results[-1]["result"] == get_the_password_form(3, ContentPage(site=model))
    assert convert_smilies(":mrgreen:", ContentPage(site=model)).startswith(
        '<img src="https://example.org/wp/wp-includes/images/smilies/mrgreen.png"')


def test_block_posts_are_not_autopd_and_shortcode_blocks_render(corpus_dir: Path) -> None:
    post = next(p for _, posts in corpus(corpus_dir) for p in posts if "<!-- wp:shortcode -->" in p.content)
    out = the_content(post.content, tags=("caption",), do_shortcode=lambda t: t.replace("[caption", "[CAPTION"),
                      page=ContentPage())
    assert "<!-- wp:" not in out
    assert "[CAPTION" in out or "[caption" not in post.content
    assert the_content("<!-- wp:paragraph --><p>a</p>\n\nb<!-- /wp:paragraph -->", tags=(), do_shortcode=str) \
        == "<p>a</p>\n\nb"


@pytest.mark.parametrize("text", ["", "x", "[embed]https://a.org/x.mp3[/embed]", "http://a.org/\n\n:) Wordpress"])
def test_never_raises(text: str) -> None:
    assert isinstance(the_content(text, tags=CORE_TAGS, do_shortcode=str), str)


def _images_with_metadata(text: str, site) -> bool:
    """``text`` has an ``<img class="wp-image-N">`` whose attachment has metadata (what WordPress gives
    width/height and srcset to)."""
    import re

    for m in re.finditer(r"<img\s[^>]+>", text):
        n = re.search(r"wp-image-([0-9]+)", m.group(0), re.I)
        att = site.attachments.get(int(n.group(1))) if n else None
        if att is not None and att.metadata:
            return True
    return False


def test_block_posts_step_by_step_match_wordpress(corpus_dir: Path, media_oracle) -> None:
    """Block posts, which the oracle cannot run end to end (it has no do_blocks): each filter of the chain,
    on what the port's previous filter gave, against WordPress's own function on the same input; and the
    steps composed are the_content."""
    from shortcodes.wordpress.autop import shortcode_unautop
    from shortcodes.wordpress.blocks import do_blocks
    from shortcodes.wordpress.content import capital_P_dangit, wp_filter_content_tags
    from shortcodes.wordpress.embed import WPEmbed
    from shortcodes.wordpress.formatting import wptexturize

    picked = []
    for path, posts, base, site in corpus_sites(corpus_dir, media_oracle):
        picked += [(path, base, site, p) for p in posts if has_blocks(p.content)]
    picked = picked[::2]
    missing = [t for t in CORE_TAGS if t not in set(_media_tags()) and t != "embed"]
    theme = Theme()
    sites = {path.name: theme.oracle_site(base) for path, base, _, _ in picked}
    texts = [p.content for _, _, _, p in picked]
    compared = 0

    pending = metadata_images = 0

    def check(step: str, fn: str, inputs: list[str], ours: list[str], *extra: object) -> None:
        nonlocal compared, pending, metadata_images
        cases = [theme.oracle_case({"site": path.name, "post_id": int(p.id), "op": "call", "fn": fn,
                                    "args": [t, *extra]}) for (path, _, _, p), t in zip(picked, inputs)]
        for (path, _, site, p), r, o, t in zip(picked, media_oracle.run(cases, sites=sites), ours, inputs):
            metadata_images += step == "wp_filter_content_tags" and _images_with_metadata(t, site)
            if step == "do_shortcode" and any(f"[{tag}" in t for tag in missing):
                pending += 1  # a core tag the media plugin does not render yet
                continue
            if any("RAND" in n for n in r.get("nondeterministic", ())):
                pending += 1  # [gallery orderby=rand]: random in WordPress
                continue
            assert r["ok"] and r["result"] == o, (step, path.name, p.id)
            compared += 1

    pages = [ContentPage(site=site, post=site.posts.get(int(p.id))) for _, _, site, p in picked]
    embeds = [WPEmbed.for_post(pg.post) for pg in pages]
    s1 = [e.autoembed(e.run_shortcode(t)) for e, t in zip(embeds, texts)]
    cases = [theme.oracle_case({"site": path.name, "post_id": int(p.id), "op": "call", "fn": "apply_filters",
                                "args": ["widget_text_content", t]}) for (path, _, _, p), t in zip(picked, texts)]
    for r, o in zip(media_oracle.run(cases, sites=sites), s1):
        assert r["result"] == o
    compared += len(cases)
    s2 = [do_blocks(t) for t in s1]
    s3 = [wptexturize(t, CORE_TAGS) for t in s2]
    check("wptexturize", "wptexturize", s2, s3)
    s4 = [shortcode_unautop(t, CORE_TAGS) for t in s3]
    check("shortcode_unautop", "shortcode_unautop", s3, s4)
    s5 = [wp_filter_content_tags(t, pg) for t, pg in zip(s4, pages)]
    check("wp_filter_content_tags", "wp_filter_content_tags", s4, s5, "the_content")
    s6 = [capital_P_dangit(t) for t in s5]
    check("capital_P_dangit", "capital_P_dangit", s5, s6)
    renderers = [Renderer(plugins=()).use("media", site=site, theme=theme) for _, _, site, _ in picked]
    s7 = [r.render(t, post=p) for r, t, (_, _, _, p) in zip(renderers, s6, picked)]
    check("do_shortcode", "do_shortcode", s6, s7)
    for (_, _, site, p), r, out in zip(picked, renderers, s7):
        if any(f"[{tag}" in p.content for tag in missing):
            continue
        page = ContentPage(site=site, post=site.posts.get(int(p.id)))
        assert the_content(p.content, tags=CORE_TAGS, page=page,
                           do_shortcode=lambda t, r=r, p=p: r.render(t, post=p)) == convert_smilies(out, page)
    print(f"the_content of block posts: {len(picked)} posts, {compared} steps compared with WordPress "
          f"(0 disagreements; {metadata_images} posts with images of attachments with metadata; {pending} steps not "
          f"compared: do_shortcode with {', '.join(missing) or 'no'} tags or a random gallery order)")
    assert len(picked) >= 30


def test_content_images_get_wordpress_sizes_and_srcset(corpus_dir: Path, media_oracle) -> None:
    """The theme unit test's image posts in the ``imported`` and ``synthetic`` scenarios (the metadata
    WordPress would have made, read back from WordPress itself): wp_filter_content_tags adds the same
    width/height, srcset and sizes to every ``<img class="wp-image-N">`` (and the whole the_content agrees),
    with and without a content width."""
    from shortcodes.exports.site import Site

    path = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    posts = [p for _, ps in corpus(corpus_dir) if _ == path for p in ps if "wp-image-" in p.content
             and not has_blocks(p.content)]
    cases, ours = [], []
    for scenario in ("imported", "synthetic"):
        d = media_oracle.site_from_wxr(path, scenario=scenario)
        ids = [p["ID"] for p in d["posts"] if p["post_type"] == "attachment"]
        meta = media_oracle.run([{"site": d, "op": "call", "fn": "array_map",
                                  "args": ["wp_get_attachment_metadata", ids]}])[0]["result"]
        site = Site.from_oracle_json(d, metadata=dict(zip(ids, meta)))
        for theme in (Theme(), Theme(content_width=640)):
            for post in posts:
                cases.append(theme.oracle_case({"site": theme.oracle_site(d), "post_id": int(post.id),
                                                "op": "the_content", "input": post.content}))
                ours.append((scenario, theme.content_width, post.id, mine(post, site, theme)))
    results = media_oracle.run(cases)
    with_srcset = sum(" srcset=" in o[3] for o in ours)
    for o, r in zip(ours, results):
        assert r["ok"] and r["result"] == o[3], o[:3]
    print(f"content images: {len(cases)} the_content cases with wp-image-N images compared ({with_srcset} with srcset)")
    assert with_srcset >= 4


_PIECES = [
    "Hello \"world\" -- it's 1980's 5x5...", "\n", "\n\n", ":) ", ":mrgreen: ", "Wordpress ", "(Wordpress) ",
    "<p>para</p>", "<div>\nblock\n</div>", "<pre>\n\"x\" :)\n</pre>", "<code>'c'</code>", "<!-- note -->",
    "https://vimeo.com/1", "\nhttps://vimeo.com/1\n", "<p>https://x.org/a.mp3</p>", "[embed]https://x.org/v.mp4[/embed]",
    "[embed width=300]https://vimeo.com/2[/embed]", "[[embed]u[/embed]]", "[caption id=\"attachment_7\" width=\"300\"]"
    "<img class=\"wp-image-7\" src=\"https://s.org/wp-content/uploads/2021/10/a-300x200.jpg\" /> A \"cat\"[/caption]",
    "<img class=\"size-full wp-image-7\" src=\"https://s.org/wp-content/uploads/2021/10/a.jpg\" alt=\"\" />",
    "<img src=\"b.jpg\" width=\"10\" height=\"5\">", "<iframe src=\"https://x.org/\" width=\"1\" height=\"2\"></iframe>",
    "[audio src=\"https://x.org/a.mp3\"]", "[video width=900 src=\"https://x.org/v.mp4\"]", "[unknown a=\"b\"]",
    "[gallery ids=\"7\"]", "<blockquote>q</blockquote>", "\t", "  ", "&", "&amp;", "a&b", "[code]\"x\"[/code]",
]


def test_generated_posts_match_wordpress(media_oracle) -> None:
    """Posts made of hand-picked pieces (paragraphs, quotes, URLs alone on lines, [embed]s, captions, images of an
    attachment with metadata, players, smilies, <pre>/<code>, comments), in Hypothesis-chosen orders, through
    the whole chain as ``convert --the-content`` runs it (render_the_content: the renderer with the media and
    embed plugins), against WordPress's the_content: 0 disagreements."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from shortcodes.exports.post import Post
    from shortcodes.exports.site import Site
    from shortcodes.jobs.modes import render_the_content
    from shortcodes.php.serialize import serialize

    meta = {"width": 800, "height": 533, "file": "2021/10/a.jpg", "sizes": {
        "medium": {"file": "a-300x200.jpg", "width": 300, "height": 200, "mime-type": "image/jpeg"},
        "medium_large": {"file": "a-768x512.jpg", "width": 768, "height": 512, "mime-type": "image/jpeg"}}}
    d = {"home": "https://s.org", "upload_url_path": "https://s.org/wp-content/uploads", "posts": [
        {"ID": 3, "post_type": "post", "post_title": "p", "meta": {
            "_oembed_" + __import__("shortcodes.wordpress.embed", fromlist=["x"]).oembed_cache_key(
                "https://vimeo.com/1", {"width": 500, "height": 750.0}): "<iframe src=\"v\"></iframe>"}},
        {"ID": 7, "post_type": "attachment", "post_parent": 3, "post_title": "cat", "post_excerpt": "A cat",
         "attachment_url": "https://s.org/wp-content/uploads/2021/10/a.jpg",
         "meta": {"_wp_attached_file": "2021/10/a.jpg", "_wp_attachment_metadata": serialize(meta)}}]}
    site = Site.from_oracle_json(d)
    theme = Theme()
    total = 0

    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate])  # one PHP batch per example: no slow shrinking
    @given(st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join), min_size=40,
                    max_size=40))
    def run(texts: list[str]) -> None:
        nonlocal total
        cases = [theme.oracle_case({"site": theme.oracle_site(d), "post_id": 3, "op": "the_content", "input": t})
                 for t in texts]
        results = media_oracle.run(cases)
        bad = []
        for t, r in zip(texts, results):
            renderer = Renderer(plugins=()).use("media", site=site, theme=theme).use("embed")
            page = ContentPage(site=site, post=site.posts[3])
            ours = render_the_content(renderer, t, page, post=Post(id="3"))[0]
            if not r["ok"] or r["result"] != ours:
                bad.append((t, r.get("result"), ours))
        total += len(texts)
        assert not bad, "\n".join(f"INPUT {t!r}\nWP    {w!r}\nOURS  {o!r}" for t, w, o in bad[:2])

    run()
    print(f"the_content: {total} generated posts compared with WordPress")


_ALPHABET = list("ab <>/\"'=[]\n&;:)-.x") + ["[embed]", "[/embed]", "https://x.org/a.mp3", "<p>", "</p>",
                                               "<img class=\"wp-image-7\" src=\"a.jpg\">", "<!-- wp:shortcode -->",
                                               "[caption width=9]", "[/caption]", "<pre>", "[[", "]]", "\u00a0"]


def test_render_the_content_never_raises_on_any_text() -> None:
    """Any text through render_the_content (the renderer with its default plugins): a string, never an exception."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from shortcodes.exports.site import Attachment, Site
    from shortcodes.jobs.modes import render_the_content

    site = Site(attachments={7: Attachment(7, mime_type="image/jpeg", metadata={"file": "a.jpg", "width": "x",
                                                                               "sizes": {"m": {"file": 1}}})})
    renderer = Renderer()

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
    def run(text: str) -> None:
        html, counts, diagnostics = render_the_content(renderer, text, ContentPage(site=site))
        assert isinstance(html, str)

    run()
