"""[audio] and [video] against WordPress 6.1.9's wp_audio_shortcode() / wp_video_shortcode().

Both sides get the same site: the oracle's description of a corpus export (or
a generated one), with what the oracle derives in PHP written out as plain
meta (``media_kit.materialize``), read here by ``Site.from_oracle_json``.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from media_kit import (
    corpus_tags,
    materialize,
    materialize_many,
    render_here,
    run_cases,
    site_model,
    trim_site,
    wordpress_input,
)

from shortcodes import Renderer
from shortcodes.exports.site import Site
from shortcodes.wordpress.theme import Theme

SCENARIOS = ("as-exported", "imported", "synthetic")
pytestmark = pytest.mark.oracle


def _compare(media_oracle, jobs):
    """jobs: (oracle site, model, post id, source, theme, page text) -> list of disagreements."""
    cases = [{"site": s, "post_id": pid, "input": wordpress_input(src)} for s, _m, pid, src, _t in jobs]
    out = []
    for res, (_s, model, pid, src, t) in zip(run_cases(media_oracle, cases), jobs):
        html, kinds = render_here(src, t, pid, model)
        expected = res["result"] if res["ok"] else None
        if res["ok"] and (expected or "") != html:
            out.append((src, pid, t, expected, html))
        if not res["ok"]:  # a PHP fatal error stops WordPress's whole page: here that tag keeps its source
            if "wordpress-fatal" not in kinds or not any(tag in html for tag in re.findall(r"\[(?:audio|video)[^\]]*\]", src)):
                out.append((src, pid, t, res["error"], html))
    return out


def test_corpus_players_match_wordpress(corpus_dir, media_oracle) -> None:
    """Every [audio]/[video] of every export × the three scenarios × html5/classic × content_width × RTL."""
    tags = list(corpus_tags(corpus_dir, ("audio", "video")))
    assert tags, "the corpus has [audio] tags (theme unit test post 587)"
    by_export = defaultdict(list)
    for ct in tags:
        by_export[ct.export].append(ct)
    jobs = []
    for export, cts in by_export.items():
        for scenario in SCENARIOS:
            full = media_oracle.site_from_wxr(export, scenario=scenario)
            base = materialize(media_oracle, trim_site(media_oracle, full, [(ct.post_id, ct.source) for ct in cts]))
            for t in Theme.sweep():
                site = t.oracle_site(base)
                model = site_model(site)
                jobs += [(site, model, ct.post_id, ct.source, t) for ct in cts]
    bad = _compare(media_oracle, jobs)
    print(f"[audio]/[video] corpus cases compared with WordPress 6.1.9: {len(jobs)} ({len(tags)} tags), "
          f"disagreements: {len(bad)}")
    assert not bad, bad[:3]


# ----------------------------------------------------------------------------- generated
HOSTS = ("https://example.org", "http://cdn.example.org")
FILES = ("a.mp3", "b.ogg", "c.m4a", "d.wav", "e.flac", "f.mp4", "g.m4v", "h.webm", "i.ogv", "j.flv", "k.MP3",
         "l.wma", "m.mov", "n.txt", "o", "برج.mp3", "p q.mp4")
SUFFIXES = ("", "?v=1", "?a=1&b=2", "#t=5", "?x=%20y", "?feature=share")
URLS = st.one_of(
    st.builds(lambda h, f, s: f"{h}/wp-content/uploads/2020/01/{f}{s}", st.sampled_from(HOSTS), st.sampled_from(FILES),
              st.sampled_from(SUFFIXES)),
    st.sampled_from(("https://www.youtube.com/watch?v=abc&feature=share", "http://youtu.be/xyz", "https://vimeo.com/123?x=1",
                     "http://player.vimeo.com/video/9", "javascript:alert(1).mp3", "example.org/a.mp3", "/local/a.mp3",
                     "a.mp3", "https://x.org/a&amp;b.mp3", "https://x.org/it's.mp3")),
)
FLAGS = st.sampled_from(("", "1", "true", "false", "FALSE", "on", "0", "yes"))
NUMBERS = st.sampled_from(("", "320", "640", "1280", "1920", "480px", "0", "abc", "300.5", " 800"))
ATTRS = {
    "src": URLS, "mp3": URLS, "ogg": URLS, "m4a": URLS, "wav": URLS, "flac": URLS, "mp4": URLS, "m4v": URLS,
    "webm": URLS, "ogv": URLS, "flv": URLS, "poster": URLS, "loop": FLAGS, "autoplay": FLAGS, "muted": FLAGS,
    "preload": st.sampled_from(("", "none", "auto", "metadata")), "width": NUMBERS, "height": NUMBERS,
    "class": st.sampled_from(("", "my-player", "a b")), "style": st.sampled_from(("", "width: 50%;")),
}


@st.composite
def player_tag(draw) -> str:
    tag = draw(st.sampled_from(("audio", "video")))
    names = draw(st.lists(st.sampled_from(sorted(ATTRS)), max_size=4, unique=True))
    parts = [f'{n}="{draw(ATTRS[n])}"' for n in names]
    if draw(st.booleans()) and not names:
        parts.insert(0, draw(URLS))  # [audio https://…]: a positional value WordPress ignores
    inner = draw(st.sampled_from((None, '<track kind="captions" src="c.vtt">', '\n\t<track src="c.vtt">\n')))
    head = f"[{tag}{' ' if parts else ''}{' '.join(parts)}]"
    return head if inner is None or tag == "audio" else f"{head}{inner}[/{tag}]"


@st.composite
def player_site(draw) -> dict:
    posts = [{"ID": 10, "post_type": "post", "post_status": "publish", "post_title": "Post"}]
    for i in range(draw(st.integers(1, 4))):  # an export without attachments keeps the tags: see below
        f = draw(st.sampled_from(FILES))
        posts.append({"ID": 20 + i, "post_type": "attachment", "post_parent": draw(st.sampled_from((10, 10, 11))),
                      "menu_order": draw(st.integers(0, 2)), "post_title": f"T{i}",
                      "attachment_url": f"{draw(st.sampled_from(HOSTS))}/wp-content/uploads/2021/02/{f}",
                      "guid": draw(st.sampled_from(("", f"http://old.example.org/?attachment_id={20 + i}")))})
    home = draw(st.sampled_from(HOSTS))
    return {"home": home, "siteurl": home, "upload_url_path": home + "/wp-content/uploads", "posts": posts}


THEMES = st.builds(Theme, content_width=st.sampled_from((None, 640, 500, 1200)), rtl=st.booleans())


@settings(max_examples=4, suppress_health_check=list(HealthCheck), deadline=None, phases=[Phase.reuse, Phase.generate])
@given(st.lists(st.tuples(player_site(), st.lists(player_tag(), min_size=1, max_size=3), THEMES), min_size=30,
                max_size=30))
def test_generated_players_match_wordpress(media_oracle, pages) -> None:
    """Generated [audio]/[video] pages (attribute forms, sources, flags, sizes, positional URLs, several
    players per page for the instance counters) over generated attachment sets."""
    jobs = []
    for site, (_raw, tags, theme) in zip(materialize_many(media_oracle, [p[0] for p in pages]), pages):
        site = theme.oracle_site(site)
        jobs.append((site, site_model(site), 10, " ".join(tags), theme))
    bad = _compare(media_oracle, jobs)
    print(f"generated [audio]/[video] pages compared with WordPress 6.1.9: {len(jobs)}, disagreements: {len(bad)}")
    assert not bad, "\n".join(f"{src!r} post {pid} {t}:\n WordPress: {exp!r}\n here:      {got!r}" for src, pid, t, exp, got in bad[:4])


def test_positional_url_is_reported_when_something_else_plays() -> None:
    from types import SimpleNamespace as NS
    att = NS(id=7, parent=3, menu_order=0, mime_type="audio/mpeg", url="https://x.org/up/other.mp3", guid="",
             attached_file="")
    site = NS(home="https://x.org", upload_url="https://x.org/up", attachments={7: att}, posts={3: NS(id=3)})
    r = Renderer(plugins=()).use("media", site=site)
    res = r.render_result("[audio https://x.org/up/a.mp3]", post={"id": "3"})
    assert 'src="https://x.org/up/other.mp3?_=1"' in res.html
    assert [d.kind for d in res.diagnostics] == ["positional-url-ignored"]
    res = r.render_result("[audio https://x.org/up/other.mp3]", post={"id": "3"})
    assert not res.diagnostics  # what plays is that URL
    res = r.render_result("x [video https://x.org/v.mp4]", post={"id": "3"})
    assert res.html == "x " and [(d.kind, d.column) for d in res.diagnostics] == [("positional-url-ignored", 3)]


@pytest.mark.parametrize("src", ["[audio]", "[video https://x.org/v.mp4]", '[audio mp3="https://x.org/a.ogg"]'])
def test_without_attachments_the_tag_is_kept(media_oracle, src) -> None:
    """An export without attachments (plain files, REST without media) cannot say what WordPress played:
    WordPress prints nothing there, this project keeps the tag and says why (file:line:column)."""
    assert media_oracle.render({"home": "http://example.org", "posts": [{"ID": 3, "post_type": "post"}]}, 3, src) in ("", None)
    for site in (None, Site.empty()):
        res = Renderer(plugins=()).use("media", site=site).render_result(f"a\n {src}", post={"id": "3"})
        assert res.html == f"a\n {src}"
        assert [(d.kind, d.line, d.column) for d in res.diagnostics][-1] == ("media-unresolved", 2, 2)
