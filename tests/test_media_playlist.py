"""[playlist]: the tracks this project plays are the ones WordPress 6.1.9 lists, with the same data.

WordPress's playlist is an empty player filled by its JavaScript from a JSON track list
(``<script type="application/json" class="wp-playlist-script">``); the oracle's output carries that
list, so each generated playlist's tracks (order, URL, type, title, caption, description, the
``artist album genre year length_formatted`` metadata, video sizes) are compared with it.  The
markup is this project's own (a static ``<ol>`` of players), so it is not compared.
"""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from media_kit import materialize_many, run_cases, site_model

from shortcodes import Renderer, parse
from shortcodes.php.serialize import serialize
from shortcodes.wordpress.media import MediaRequest, PlaylistView, playlist_view
from shortcodes.wordpress.theme import Theme

pytestmark = pytest.mark.oracle
SCRIPT = re.compile(r'<script type="application/json" class="wp-playlist-script">(.*?)</script>', re.S)
FILES = ("a.mp3", "b.ogg", "c.m4a", "d.wav", "e.mp4", "f.webm", "g.ogv", "h.jpg", "i.mp3")
META = st.fixed_dictionaries({}, optional={"artist": st.sampled_from(("Fayrouz", "فيروز", "", "A & B")),
                                          "album": st.sampled_from(("Best", "")), "year": st.sampled_from(("1970", "0")),
                                          "length_formatted": st.sampled_from(("3:04", "")),
                                          "width": st.sampled_from((1280, 0)), "height": st.sampled_from((720, 0))})


@st.composite
def playlist_site(draw) -> dict:
    posts = [{"ID": 10, "post_type": "post", "post_status": "publish", "post_title": "Post"}]
    for i in range(draw(st.integers(1, 5))):
        f = draw(st.sampled_from(FILES))
        p = {"ID": 20 + i, "post_type": "attachment", "post_parent": draw(st.sampled_from((10, 10, 11))),
             "menu_order": draw(st.integers(0, 2)), "post_title": draw(st.sampled_from(("Song", "أغنية", "", "A <b>"))),
             "post_excerpt": draw(st.sampled_from(("", "A caption"))), "post_content": draw(st.sampled_from(("", "Text"))),
             "attachment_url": f"https://example.org/wp-content/uploads/2021/02/{f}", "derive_attached_file": True,
             "meta": {}}
        meta = draw(META)
        if meta:
            p["meta"]["_wp_attachment_metadata"] = serialize(meta)
        posts.append(p)
    return {"home": "https://example.org", "upload_url_path": "https://example.org/wp-content/uploads", "posts": posts}


TAGS = st.sampled_from(("[playlist]", '[playlist type="video"]', '[playlist ids="22,20,99"]', '[playlist type="x"]',
                        '[playlist orderby="title" order="DESC"]', '[playlist exclude="20"]', '[playlist id="11"]',
                        '[playlist ids="21" type="video" style="dark"]'))


def _mine(view) -> "list[dict] | None":
    if not isinstance(view, PlaylistView):
        return None
    return [{"src": t.src, "type": t.type, "title": t.title, "caption": t.caption, "description": t.description,
             "meta": dict(t.meta), "size": (t.width, t.height)} for t in view.tracks]


def _theirs(html: "str | None") -> "list[dict] | None":
    m = SCRIPT.search(html or "")
    if m is None:
        return None
    out = []
    for t in json.loads(m.group(1))["tracks"]:
        d = t.get("dimensions", {}).get("resized")
        out.append({"src": t["src"], "type": t["type"], "title": t["title"], "caption": t["caption"],
                    "description": t["description"], "meta": t["meta"] or {}, "size": (d["width"], d["height"]) if d else None})
    return out


@settings(max_examples=3, suppress_health_check=list(HealthCheck), deadline=None, phases=[Phase.reuse, Phase.generate])
@given(st.lists(st.tuples(playlist_site(), TAGS, st.builds(Theme, content_width=st.sampled_from((None, 640)),
                                                           visitor=st.booleans())), min_size=20, max_size=20))
def test_playlist_tracks_are_wordpress_tracks(media_oracle, pages) -> None:
    sites = materialize_many(media_oracle, [p[0] for p in pages])
    jobs = [(t.oracle_site(s), tag, t) for s, (_raw, tag, t) in zip(sites, pages)]
    results = run_cases(media_oracle, [t.oracle_case({"site": s, "post_id": 10, "input": tag}) for s, tag, t in jobs])
    bad = []
    for res, (s, tag, t) in zip(results, jobs):
        view = playlist_view(parse(tag).children[0].php_atts(), "", MediaRequest(site_model(s), t, 10))
        mine, theirs = _mine(view), _theirs(res.get("result"))
        if mine is None and theirs is None:
            continue
        if mine is not None and theirs is not None:
            for a, b in zip(mine, theirs):
                if b["size"] is None:
                    a["size"] = None
            if mine == theirs:
                continue
        bad.append((tag, t, theirs, mine, view))
    print(f"[playlist] track lists compared with WordPress 6.1.9: {len(jobs)}, disagreements: {len(bad)}")
    assert not bad, bad[:2]


def test_static_markup_plays_every_track_in_order() -> None:
    from shortcodes.exports.site import Attachment, PostInfo, Site
    site = Site(home="https://x.org", upload_url="https://x.org/up", posts={3: PostInfo(3)}, attachments={
        5: Attachment(5, parent=3, menu_order=1, title="Second <i>", mime_type="audio/mpeg", url="https://x.org/up/b.mp3",
                      attached_file="b.mp3"),
        6: Attachment(6, parent=3, menu_order=0, title="First", mime_type="audio/ogg", url="https://x.org/up/a.ogg",
                      attached_file="a.ogg", metadata={"artist": "فيروز"})})
    html = Renderer(plugins=()).use("media", site=site).render("[playlist]", post={"id": "3"})
    assert html.index("a.ogg") < html.index("b.mp3") and html.count("<audio ") == 2
    assert "&#8220;Second &lt;i&gt;&#8221;" in html and "&mdash; فيروز" in html
    assert Renderer(plugins=()).use("media", site=site, theme=Theme(visitor=True)).render("[playlist]", post={"id": "3"}) == ""
