"""shortcodes.wordpress.embed against WordPress 6.1.9's WP_Embed (the media oracle).

The oracle's ``widget_text_content`` filter is exactly ``WP_Embed::run_shortcode`` then
``WP_Embed::autoembed`` (both at priority 8, nothing else), so
``apply_filters('widget_text_content', $text)`` is compared with
``autoembed(run_shortcode(text))`` on: every corpus post that has a URL or an
``[embed]``, each ``[embed]`` on its own, and each post with an oEmbed cache at
every content width its cache keys were made with (found by
``oembed_keys.php``), at no width, and at 640.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from shortcodes.exports.site import read_site
from shortcodes.exports.wxr import read_wxr
from shortcodes.wordpress.embed import WPEmbed, oembed_cache_key, wp_embed_defaults
from shortcodes.wordpress.shortcodes import shortcode_matches

_URL = re.compile(r"""https?://[^\s<>"'\[\]]+""")


def corpus_posts(corpus_dir: Path):
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            posts = [p for p in read_wxr(path, recover=True, on_warning=lambda w: None) if p.type not in ("attachment",)]
        except Exception:  # noqa: BLE001 - refused exports are tested elsewhere
            continue
        yield path, posts


def cache_widths(media_oracle, rows: list[dict]) -> dict[int, set[tuple[int, str]]]:
    """post id -> the (content width, URL) each of its ``_oembed_*`` keys was computed with (oembed_keys.php)."""
    if not rows:
        return {}
    script = Path(media_oracle.HERE) / "oembed_keys.php"
    php = os.environ.get("WP_ORACLE_PHP") or shutil.which("php")
    out = subprocess.run([php, str(script)], input=json.dumps(rows).encode(), capture_output=True, check=True,
                         timeout=600)
    widths: dict[int, set[tuple[int, str]]] = {}
    for row in json.loads(out.stdout):
        matched = row["matched"]
        for hit in (matched.values() if isinstance(matched, dict) else matched):
            widths.setdefault(int(row["post"]), set()).add((int(hit["width"]), hit["url"]))
    return widths


def mine(text: str, info, width):
    e = WPEmbed.for_post(info, content_width=width)
    return e.autoembed(e.run_shortcode(text)), e


def test_embed_and_autoembed_match_wordpress_on_the_corpus(corpus_dir: Path, media_oracle) -> None:
    cases, ours, sites = [], [], {}
    hits = 0
    for path, posts in corpus_posts(corpus_dir):
        todo = [p for p in posts if "http" in p.content or "[embed" in p.content]
        if not todo:
            continue
        try:
            site_dict = media_oracle.site_from_wxr(path, scenario="as-exported")
        except Exception:  # noqa: BLE001 - the oracle's strict XML reader refuses a few exports
            continue
        site = read_site(path)
        rows = [{"post": int(p.id), "urls": sorted(set(_URL.findall(p.content))), "keys": [
            k for k in site.posts[int(p.id)].oembed]} for p in todo
            if p.id.isdigit() and int(p.id) in site.posts and site.posts[int(p.id)].oembed]
        widths = cache_widths(media_oracle, rows)
        for p in todo:
            pid = int(p.id) if p.id.isdigit() else 0
            info = site.posts.get(pid)
            texts = [p.content] + [m.source() for m in shortcode_matches(p.content, ["embed"])]
            keyed = widths.get(pid, set())
            # the URLs the cache keys were made for (http:// where the post now says https://), alone and in [embed]
            keyed_texts = [f"[embed]{u}[/embed]" for _, u in sorted(keyed)] + [f"x\n{u}\ny" for _, u in sorted(keyed)]
            for width in sorted({w for w, _ in keyed} | {0, 640}):
                name = f"{path.name}@{width}"
                if name not in sites:
                    sites[name] = dict(site_dict, content_width=width or None)
                for text in texts + keyed_texts:
                    out, e = mine(text, info, width or None)
                    cases.append({"site": name, "post_id": pid, "op": "call", "fn": "apply_filters",
                                  "args": ["widget_text_content", text]})
                    ours.append((path.name, pid, width, text, out))
                    if info is not None and any(v in out for v in info.oembed.values() if len(v) > 20):
                        hits += 1
    results = media_oracle.run(cases, sites=sites)
    bad = [(o, r) for o, r in zip(ours, results) if not r.get("ok") or r["result"] != o[4]]
    print(f"embed: {len(cases)} cases compared with WordPress ({hits} served from the export's oEmbed cache), "
          f"{len(bad)} disagreements")
    assert not bad[:3]
    assert len(cases) >= 100 and hits >= 25


def test_cache_key_is_wordpress_s() -> None:
    """The key of the theme unit test's cached WordPress.tv embed at content width 604 (the research notes)."""
    assert wp_embed_defaults(604) == {"width": 604, "height": 906.0}
    assert wp_embed_defaults(1170)["height"] == 1000 and isinstance(wp_embed_defaults(1170)["height"], int)
    key = oembed_cache_key("http://wordpress.tv/2009/03/16/anatomy-of-a-wordpress-theme/", wp_embed_defaults(604))
    assert re.fullmatch(r"[0-9a-f]{32}", key)


def test_attributes_and_edge_urls_match_wordpress(media_oracle) -> None:
    """Width/height/src attributes (they enter the cache key and the video handler), positional
    values, entities, YouTube /embed/ URLs, audio and video extensions, uppercase schemes, URLs in
    paragraphs and between tags."""
    site = {"home": "https://example.org", "posts": [{"ID": 5, "post_type": "post", "post_title": "x", "meta": {
        "_oembed_" + oembed_cache_key("https://vimeo.com/1", {"width": 500, "height": 750.0}): "<iframe src=v1></iframe>",
        "_oembed_" + oembed_cache_key("https://vimeo.com/2", {"width": "320", "height": 750.0}): "<iframe src=v2></iframe>",
        "_oembed_" + oembed_cache_key("https://youtube.com/watch?v=abc", {"width": 500, "height": 750.0}): "<b>yt</b>",
        "_oembed_" + oembed_cache_key("https://vimeo.com/3", {"width": 500, "height": 750.0}): "{{unknown}}",
        "_oembed_" + oembed_cache_key("https://vimeo.com/4", {"width": 500, "height": 750.0}): "0",
    }}]}
    from shortcodes.exports.site import Site

    info = Site.from_oracle_json(site).posts[5]
    texts = [
        "[embed]https://vimeo.com/1[/embed]", '[embed width="320"]https://vimeo.com/2[/embed]',
        "[embed src=https://vimeo.com/1]", "[embed src=https://vimeo.com/1 /]", "[embed]https://vimeo.com/3[/embed]",
        "[embed]https://vimeo.com/4[/embed]", "[embed][/embed]", "[embed]\nhttps://vimeo.com/1\n[/embed]",
        "[embed]https://x.org/a.mp3?x=1&amp;y=2[/embed]", "[embed]https://x.org/a.MP3[/embed]",
        '[embed width="400" height="300"]https://x.org/v.mp4[/embed]', "[embed width=400]https://x.org/v.webm[/embed]",
        "[embed]https://www.youtube.com/embed/abc[/embed]", "[embed]https://youtube.com/v/abc?x=1[/embed]",
        "[embed 7 width=300]https://x.org/p[/embed]", "[[embed]https://vimeo.com/1[/embed]]",
        "a\nhttps://vimeo.com/1\nb", "<p>https://vimeo.com/1</p>", "<p class='x'> https://vimeo.com/1 </p>",
        "HTTPS://vimeo.com/1", "text https://vimeo.com/1 inline", "<div>\nhttps://x.org/a.ogg\n</div>",
        "<a href='x\nhttps://vimeo.com/1'>\nhttps://vimeo.com/1</a>", "https://x.org/it's", 'https://x.org/"q"',
        "  https://vimeo.com/1  \r\nmore", "[embed]https://x.org/<b>[/embed]", "[embed]javascript:alert(1)[/embed]",
    ]
    cases, ours = [], []
    for width in (None, 604):
        for t in texts:
            cases.append({"site": dict(site, content_width=width), "post_id": 5, "op": "call", "fn": "apply_filters",
                          "args": ["widget_text_content", t]})
            ours.append(mine(t, info, width)[0])
    results = media_oracle.run(cases)
    for case, o, r in zip(cases, ours, results):
        assert r["ok"] and r["result"] == o, (case["args"][1], case["site"]["content_width"])
    print(f"embed: {len(cases)} attribute/URL cases compared with WordPress")
    e = WPEmbed(post_id=5, oembed=info.oembed)
    e.run_shortcode("[embed]https://vimeo.com/9[/embed]")
    assert e.misses == ["https://vimeo.com/9"]


def test_the_embed_plugin_renders_as_wordpress(corpus_dir: Path, media_oracle) -> None:
    """``Renderer()`` (the ``embed`` plugin, the media plugin's site and theme) on ``[embed]`` tags: what
    WordPress's run_shortcode + do_shortcode print, players for audio/video URLs included; every corpus
    [embed] (none in today's corpus) and the hand-picked attribute/URL forms, at no width and 604."""
    from shortcodes import Renderer
    from shortcodes.exports.post import Post
    from shortcodes.exports.site import Site
    from shortcodes.wordpress.theme import Theme

    site = {"home": "https://example.org", "posts": [{"ID": 5, "post_type": "post", "post_title": "x", "meta": {
        "_oembed_" + oembed_cache_key("https://vimeo.com/1", {"width": 604, "height": 906.0}): "<iframe src=v1></iframe>",
    }}]}
    texts = ["[embed]https://vimeo.com/1[/embed]", "[embed]https://x.org/a.mp3?x=1&amp;y=2[/embed]",
             '[embed width="400" height="300"]https://x.org/v.mp4[/embed]', "[embed]https://x.org/v.webm[/embed] and "
             "[embed]https://x.org/b.ogg[/embed]", "[embed]https://www.youtube.com/embed/abc[/embed]",
             "[embed src=https://vimeo.com/2 /]", "[embed][/embed]"]
    jobs = [(site, 5, t) for t in texts]
    for path, posts in corpus_posts(corpus_dir):
        for p in posts:
            for m in shortcode_matches(p.content, ["embed"]):
                jobs.append((path, p, m.source()))
    cases, ours = [], []
    for width in (None, 604):
        theme = Theme(content_width=width)
        for where, post, text in jobs:
            if isinstance(where, Path):
                d, model, pid = media_oracle.site_from_wxr(where), read_site(where), int(post.id)
                record = post
            else:
                d, model, pid, record = where, Site.from_oracle_json(where), post, Post(id=str(post))
            cases.append({"site": theme.oracle_site(d), "post_id": pid, "op": "shortcode", "input": text})
            r = Renderer(plugins=()).use("media", site=model, theme=theme).use("embed")
            ours.append(r.render(text, post=record))
    results = media_oracle.run(cases)
    for case, o, r in zip(cases, ours, results):
        assert r["ok"] and r["result"] == o, case["input"]
    print(f"embed plugin: {len(cases)} [embed] tags rendered as WordPress renders them")


def test_escaped_embed_in_the_content_is_wordpress_s(media_oracle) -> None:
    """``[[embed]]…``: the_content's [embed] pass unescapes it and the later do_shortcode, where embed is
    ``__return_false``, prints nothing; ``render_the_content`` does the same through the renderer."""
    from shortcodes import Renderer
    from shortcodes.jobs.modes import render_the_content
    from shortcodes.wordpress.content import ContentPage

    texts = ["a [[embed]https://vimeo.com/1[/embed]] b", "[caption width=300]<img src=x.jpg /> [[embed]u[/embed]][/caption]"]
    from shortcodes.wordpress.theme import Theme

    site = Theme().oracle_site({"home": "http://example.org", "posts": []})
    results = media_oracle.run([{"site": site, "op": "the_content", "input": t} for t in texts])
    for t, r in zip(texts, results):
        assert render_the_content(Renderer(), t, ContentPage())[0] == r["result"], t


def test_an_embed_url_the_port_cannot_escape_is_kept_and_reported() -> None:
    """``esc_url()`` of a URL PHP's ``parse_url()`` splits in ways not ported: the renderer keeps the tag as
    written with a ``not-ported`` warning; the_content writes the URL as it is, with the same warning."""
    from shortcodes import Renderer
    from shortcodes.jobs.modes import render_the_content
    from shortcodes.wordpress.content import ContentPage

    text = "[embed]] in the text editor.[/embed] x"
    res = Renderer().render_result(text)
    assert res.html == text and [d.kind for d in res.diagnostics] == ["not-ported"]
    html, _, diagnostics = render_the_content(Renderer(), text, ContentPage())
    assert html == "<p>] in the text editor. x</p>\n" and [d.kind for d in diagnostics] == ["not-ported"]


def test_the_cache_key_is_computed_only_for_a_post_with_a_cache(monkeypatch) -> None:
    """A post without ``_oembed_*`` meta (most of them) gets its link without the md5 of every URL; one with
    a cache gets its cached HTML."""
    import shortcodes.wordpress.embed as embed

    keys: list[str] = []
    real = embed.oembed_cache_key
    monkeypatch.setattr(embed, "oembed_cache_key", lambda url, attr: keys.append(url) or real(url, attr))
    url = "https://example.org/a-page/"
    assert WPEmbed(post_id=7).shortcode({}, url) == f'<a href="{url}">{url}</a>' and keys == []
    cached = {real(url, wp_embed_defaults(500)): "<iframe>cached</iframe>"}
    assert WPEmbed(post_id=7, oembed=cached, content_width=500).shortcode({}, url) == "<iframe>cached</iframe>"
    assert keys == [url]
