"""What the export cannot resolve keeps the tag's source with a located diagnostic; nothing ever raises."""
from __future__ import annotations

from types import SimpleNamespace as NS

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes import Renderer
from shortcodes.exports.site import Attachment, PostInfo, Site
from shortcodes.wordpress.theme import Theme

TAGS = ("caption", "wp_caption", "gallery", "audio", "video", "playlist")


def _site() -> Site:
    return Site(url="https://example.org", home="https://example.org", upload_url="https://example.org/up",
                attachments={5: Attachment(5, parent=3, mime_type="image/jpeg", url="https://example.org/up/a.jpg",
                                           attached_file="a.jpg", metadata={"width": 800, "height": 600, "file": "a.jpg",
                                                                             "sizes": {}}),
                             6: Attachment(6, parent=3, mime_type="audio/mpeg", url="", attached_file="")},
                posts={3: PostInfo(3, status="publish")})


def _kept(src: str, site, kind: str) -> None:
    res = Renderer(plugins=()).use("media", site=site).render_result("intro\n  " + src, post={"id": "3"})
    assert res.html == "intro\n  " + src
    found = [(d.kind, d.line, d.column) for d in res.diagnostics]
    assert (kind, 2, 3) in found, found
    assert res.counts[src[1:].split(" ", 1)[0].rstrip("]")]["failed"] == 0


@pytest.mark.parametrize("src", ['[gallery ids="98,99"]', "[gallery]", "[audio]", "[video]"])
def test_no_site_model_keeps_the_tag(src) -> None:
    _kept(src, None, "media-unresolved")


def test_ids_not_in_the_export_keep_the_tag_and_partial_ones_are_named() -> None:
    _kept('[gallery ids="98,99"]', _site(), "media-unresolved")
    res = Renderer(plugins=()).use("media", site=_site()).render_result('[gallery ids="5,99"]', post={"id": "3"})
    assert "gallery-item" in res.html and res.html.count("gallery-item") == 1
    assert [d.kind for d in res.diagnostics] == ["media-unresolved"] and "99" in res.diagnostics[0].message


def test_an_attachment_without_url_keeps_the_tag() -> None:
    site = _site()
    # post 3's first audio (6) has neither a URL nor a file: WordPress would print nothing
    site = Site(url=site.url, home="https://example.org", upload_url="", attachments={6: site.attachments[6]},
                posts=site.posts)
    _kept("[audio]", site, "media-unresolved")


SITES = st.sampled_from((None, "empty", "one"))
VALUE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).filter(lambda v: '"' not in v and "]" not in v)
NAMES = st.sampled_from(("ids", "include", "exclude", "id", "columns", "size", "link", "orderby", "order", "itemtag",
                         "src", "mp3", "mp4", "width", "height", "loop", "poster", "caption", "align", "class",
                         "caption_id", "type", "tracklist", "x"))


@st.composite
def media_tag(draw) -> str:
    name = draw(st.sampled_from(TAGS))
    attrs = draw(st.lists(st.tuples(NAMES, VALUE), max_size=5))
    positional = draw(st.lists(VALUE.filter(lambda v: v and " " not in v and "=" not in v), max_size=2))
    head = f"[{name}" + "".join(f' {k}="{v}"' for k, v in attrs) + "".join(f" {p}" for p in positional) + "]"
    body = draw(st.one_of(st.none(), st.sampled_from(('<img src="a.jpg" width="300"> A caption', '<a href="x">'
                                                      '<img src="b.png"></a>', "برج القاهرة", "<track src=a.vtt>"))))
    return head if body is None else f"{head}{body}[/{name}]"


@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(media_tag(), min_size=1, max_size=4), SITES, st.sampled_from(Theme.sweep()))
def test_never_raises_and_never_fails(tags, which, theme) -> None:
    """Any attributes, positional values, content and site: rendered or kept, never an exception or a failed tag."""
    site = {"empty": Site.empty(), "one": _site(), None: None}[which]
    text = " ".join(tags)
    res = Renderer(plugins=()).use("media", site=site, theme=theme).render_result(text, post={"id": "3"})
    assert all(c["failed"] == 0 for c in res.counts.values()), [d.message for d in res.diagnostics]
    assert not [d for d in res.diagnostics if d.kind == "render-failed"]
    for d in res.diagnostics:
        assert d.line >= 1 and d.column >= 1


def test_site_stand_in_needs_no_more_than_the_interface() -> None:
    """The ports read only the site model's documented fields (duck typing: a plain namespace will do)."""
    att = NS(id=5, parent=3, menu_order=0, mime_type="audio/mpeg", url="https://x.org/a.mp3", guid="", attached_file="",
             status="inherit")
    site = NS(home="https://x.org", upload_url="https://x.org/up", attachments={5: att}, posts={3: NS(id=3)})
    html = Renderer(plugins=()).use("media", site=site).render("[audio]", post={"id": "3"})
    assert 'src="https://x.org/a.mp3?_=1"' in html
