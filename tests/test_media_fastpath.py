"""The media tags' fast paths (Python, no Jinja) write exactly what their bundled templates write.

While ``templates/media/<tag>.html`` is the template in use, the media plugin
renders ``[caption]``, ``[gallery]``, ``[audio]`` and ``[video]`` without Jinja
(``Renderer.add_templates(fast=...)``).  The differential here renders every
case twice: with the fast paths, and through the templates (the same
template files copied into a user template folder, which takes precedence,
so the renderer must use Jinja).  Output, diagnostics (kind, message,
line:column, severity) and counts must be the same.  Also: the one-look-up file type check
(``check_filetype``) against WordPress's loop over its regexes, ``intval``'s shortcut against its general rule,
and the embeds' remembered ``serialize($attr)`` against ``serialize()``.  Cases: Hypothesis over
generated attachment sets, tags and theme settings, in fragments, whole
pages and HTML attribute values; and every media tag of every corpus export
with the export's own site model.  A real override, or a handler, still wins.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes import Renderer
from shortcodes.common.mimes import ALLOWED_MIME_TYPES, WP_MIME_TYPES, check_filetype, mime_patterns
from shortcodes.exports.site import Attachment, PostInfo, Site, read_site
from shortcodes.exports.wxr import read_wxr
from shortcodes.php.numbers import intval
from shortcodes.php.serialize import serialize
from shortcodes.renderer.templates import bundled_templates
from shortcodes.wordpress.embed import _serialized_attr
from shortcodes.wordpress.theme import Theme

FAST = ("caption", "gallery", "audio", "video")


@pytest.fixture(scope="module")
def jinja_folder(tmp_path_factory) -> Path:
    """The bundled media templates, copied: a user folder with the same bytes (forces the Jinja path)."""
    folder = tmp_path_factory.mktemp("media-templates")
    src = bundled_templates("media")
    for entry in src.iterdir():
        if entry.is_file():
            (folder / entry.name).write_bytes(entry.read_bytes())
    return folder


def _pair(jinja_folder: Path, site, theme: Theme) -> tuple[Renderer, Renderer]:
    fast = Renderer(plugins=()).use("media", site=site, theme=theme)
    slow = Renderer(templates=[jinja_folder], plugins=()).use("media", site=site, theme=theme)
    assert set(FAST) <= set(fast._fast_paths())
    assert not slow._fast_paths()       # the copies are "overrides": every tag goes through Jinja
    return fast, slow


def _outcome(res) -> tuple:
    return (res.html, [(d.kind, d.message, d.line, d.column, d.severity) for d in res.diagnostics],
            {k: dict(v) for k, v in res.counts.items()})


def _same(fast: Renderer, slow: Renderer, text: str, post: dict) -> None:
    assert _outcome(fast.render_result(text, post=post)) == _outcome(slow.render_result(text, post=post)), text
    assert (_outcome(fast.render_page_result(text, title="t", post=post))
            == _outcome(slow.render_page_result(text, title="t", post=post))), text


# ----------------------------------------------------------------------------- generated
FILES = ("a.jpg", "b-1200x800.jpg", "c-300x600.png", "d.gif", "e-3000x2000.jpeg", "g.mp3", "h.mp4", "i.ogg", "j.pdf")
TEXTS = st.sampled_from(("", "A view", 'A "quoted" view & more', "<a href='https://x.org'>linked</a> caption",
                         "برج القاهرة عند الغروب", "&amp; &hellip; it's", "  spaced  ", "0"))
MIME = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "mp3": "audio/mpeg",
        "ogg": "audio/ogg", "mp4": "video/mp4", "pdf": "application/pdf"}


@st.composite
def attachment(draw, aid: int) -> Attachment:
    f = draw(st.sampled_from(FILES[:5]) if draw(st.integers(0, 3)) else st.sampled_from(FILES[5:]))  # mostly images
    ext = f.rsplit(".", 1)[1]
    metadata = None
    if MIME[ext].startswith("image/") and draw(st.integers(0, 3)):
        w, h = draw(st.sampled_from(((800, 600), (1200, 800), (300, 600), (3000, 2000), (150, 150))))
        stem = f.rsplit(".", 1)[0]
        sizes = {name: {"file": f"{stem}-{sw}x{sh}.{ext}", "width": sw, "height": sh, "mime-type": MIME[ext]}
                 for name, sw, sh in (("thumbnail", 150, 150), ("medium", 300, 300 * h // w), ("large", 1024, 1024 * h // w))
                 if draw(st.booleans())}
        metadata = {"width": w, "height": h, "file": f"2021/02/{f}", "sizes": sizes}
    elif not MIME[ext].startswith("image/") and draw(st.booleans()):
        metadata = {"length_formatted": "3:02", "artist": draw(TEXTS), "width": 640, "height": 360}
    return Attachment(aid, parent=draw(st.sampled_from((10, 10, 10, 11, 0))), menu_order=draw(st.integers(0, 2)),
                      title=draw(TEXTS), caption=draw(TEXTS), alt=draw(st.sampled_from(("", "An <b>alt</b>", "alt"))),
                      mime_type=MIME[ext], url=f"https://example.org/wp-content/uploads/2021/02/{f}",
                      attached_file=draw(st.sampled_from((f"2021/02/{f}", ""))), metadata=metadata,
                      link=draw(st.sampled_from(("", f"https://example.org/photo-{aid}/"))))


@st.composite
def site(draw) -> Site:
    n = draw(st.integers(1, 6))
    atts = {20 + i: draw(attachment(20 + i)) for i in range(n)}
    posts = {10: PostInfo(10, status="publish"),
             11: PostInfo(11, status=draw(st.sampled_from(("publish", "private"))),
                          password=draw(st.sampled_from(("", "secret"))))}
    return Site(url="https://example.org", home="https://example.org",
                upload_url="https://example.org/wp-content/uploads", attachments=atts, posts=posts)


ATTRS = {
    "gallery": {"ids": st.lists(st.sampled_from(("20", "21", "22", "23", "24", "25", "99")), min_size=1, max_size=4).map(",".join),
                "include": st.sampled_from(("20,21", "22 23", "99")), "exclude": st.sampled_from(("20", "21,22")),
                "orderby": st.sampled_from(("", "title", "ID", "post__in", "menu_order", "rand")),
                "order": st.sampled_from(("ASC", "DESC")), "columns": st.sampled_from(("0", "1", "2", "4", "abc")),
                "size": st.sampled_from(("thumbnail", "medium", "large", "full", "")),
                "link": st.sampled_from(("", "file", "none")), "itemtag": st.sampled_from(("div", "li", "script")),
                "icontag": st.sampled_from(("span", "dt")), "captiontag": st.sampled_from(("p", "", "blink")),
                "id": st.sampled_from(("10", "10", "11", "999"))},
    "caption": {"id": st.sampled_from(("attachment_20", "x y", "")), "align": st.sampled_from(("alignleft", "aligncenter")),
                "width": st.sampled_from(("300", "0", "abc", "1200")), "caption": TEXTS,
                "class": st.sampled_from(("", "wide one"))},
    "audio": {"src": st.sampled_from(("https://x.org/a.mp3", "https://x.org/a.wav?x=1", "", "a b.ogg")),
              "mp3": st.sampled_from(("https://x.org/b.mp3", "")), "loop": st.sampled_from(("on", "")),
              "autoplay": st.sampled_from(("1", "")), "preload": st.sampled_from(("none", "auto", "x")),
              "class": st.sampled_from(("", "mine")), "style": st.sampled_from(("", "width: 50%"))},
    "video": {"src": st.sampled_from(("https://x.org/a.mp4", "https://youtu.be/abc", "https://x.org/a.webm", "")),
              "width": st.sampled_from(("640", "1200", "0", "")), "height": st.sampled_from(("360", "")),
              "poster": st.sampled_from(("", "https://x.org/p.jpg")), "loop": st.sampled_from(("on", "")),
              "preload": st.sampled_from(("metadata", "none"))},
}
BODIES = {"caption": st.sampled_from(('<img src="a.jpg" width="300" class="x"> A caption',
                                      '<a href="x"><img src="b.png" /></a> برج [audio]', "no image", "")),
          "video": st.sampled_from(("", '<track src="a.vtt" kind="subtitles">')),
          "audio": st.just(""), "gallery": st.just("")}


@st.composite
def media_tag(draw) -> str:
    name = draw(st.sampled_from(FAST))
    names = draw(st.lists(st.sampled_from(sorted(ATTRS[name])), max_size=3, unique=True))
    head = f"[{name}" + "".join(f' {k}="{draw(ATTRS[name][k])}"' for k in names)
    if name in ("audio", "video") and draw(st.booleans()):
        head += " https://x.org/positional.mp3"      # a positional URL WordPress ignores
    head += "]"
    body = draw(BODIES[name])
    return f"{head}{body}[/{name}]" if body or (name == "caption" and draw(st.booleans())) else head


@st.composite
def page(draw) -> str:
    tags = draw(st.lists(media_tag(), min_size=1, max_size=4))
    seps = draw(st.lists(st.sampled_from((" ", "\n\n", "<p>x</p>", '\n<a title="', '">')), min_size=len(tags),
                         max_size=len(tags)))
    return "".join(s + t for s, t in zip(seps, tags))


@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.one_of(site(), site(), site(), st.none()), page(), st.sampled_from(Theme.sweep()),
       st.sampled_from(("10", "10", "11", "0")))
def test_fast_paths_write_what_the_templates_write(jinja_folder, the_site, text, theme, post_id) -> None:
    """Generated pages of media tags over generated attachment sets, every theme setting, fragment and page."""
    fast, slow = _pair(jinja_folder, the_site, theme)
    _same(fast, slow, text, {"id": post_id})


# ----------------------------------------------------------------------------- corpus
_TAG = re.compile(r"\[(?:caption|gallery|audio|video)\b")


def test_corpus_media_tags_fast_and_template_agree(corpus_dir, jinja_folder) -> None:
    """Every post with a media tag in every corpus export, with the export's own site model, html5 and classic."""
    posts = exports = 0
    for export in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            the_site = read_site(export, recover=True)
            found = [p for p in read_wxr(export, recover=True) if _TAG.search(p.content or "")]
        except Exception:  # noqa: BLE001 - an export the readers refuse is another test's business
            continue
        if not found:
            continue
        exports += 1
        for theme in (Theme(), Theme.classic()):
            fast, slow = _pair(jinja_folder, the_site, theme)
            for post in found:
                _same(fast, slow, post.content, {"id": post.id})
                posts += 1
    print(f"media fast paths vs templates: {posts} post renderings from {exports} exports, 0 disagreements")
    assert exports >= 5 and posts >= 40


# ----------------------------------------------------------------------------- overrides win
def test_an_override_or_a_handler_still_wins(tmp_path, jinja_folder) -> None:
    the_site = Site(url="https://example.org", home="https://example.org", upload_url="https://example.org/up",
                    attachments={5: Attachment(5, parent=3, mime_type="image/jpeg", url="https://example.org/up/a.jpg",
                                               attached_file="a.jpg",
                                               metadata={"width": 800, "height": 600, "file": "a.jpg", "sizes": {}})},
                    posts={3: PostInfo(3, status="publish")})
    shutil.copytree(jinja_folder, tmp_path / "t")
    gallery = tmp_path / "t" / "gallery.html"
    gallery.write_text("<ul class='mine'>{% for item in wp_media(node, ctx).items %}<li>{{ item.image }}</li>"
                       "{% endfor %}</ul>", encoding="utf-8")
    r = Renderer(templates=[tmp_path / "t"], plugins=()).use("media", site=the_site)
    html = r.render('[gallery ids="5"]', post={"id": "3"})
    assert html.startswith("<ul class='mine'><li><a href=") and "gallery-item" not in html
    assert "gallery" not in r._fast_paths() and "caption" not in r._fast_paths()

    r = Renderer(plugins=()).use("media", site=the_site)
    assert "gallery-item" in r.render('[gallery ids="5"]', post={"id": "3"})
    r.handler("gallery")(lambda node, ctx: "<b>mine</b>")
    assert r.render('[gallery ids="5"]', post={"id": "3"}) == "<b>mine</b>"
    assert "gallery" not in r._fast_paths() and "audio" in r._fast_paths()


# ----------------------------------------------------------------------------- file types
def _filetype_by_regex(name: str, mimes) -> "tuple[str, str] | None":
    for pattern, mime in mime_patterns(mimes):      # WordPress's loop: each row's !\.(ext)$!i in order
        m = pattern.search(name)
        if m is not None:
            return m.group(1), mime
    return None


_EXTS = sorted({e for ext, _m in WP_MIME_TYPES for e in ext.split("|")})
NAMES = st.one_of(
    st.text(st.sampled_from("aZ.-/\n\u212a\u0130Jjp3"), max_size=12),
    st.tuples(st.text(max_size=8), st.sampled_from(_EXTS), st.sampled_from(("", "\n", "\n\n", "?x=1", ".", " ")),
              st.booleans()).map(lambda t: f"{t[0]}.{t[1].upper() if t[3] else t[1]}{t[2]}"))


@settings(max_examples=400, deadline=None)
@given(NAMES, st.sampled_from((WP_MIME_TYPES, ALLOWED_MIME_TYPES, (("jpg|jpeg", "a/b"), ("jpe?g", "c/d")))))
def test_check_filetype_is_the_regex_loop(name, mimes) -> None:
    """The one-look-up ``check_filetype`` finds what WordPress's loop over the rows' regexes finds (last row
    set: a row that is not a plain list of extensions takes the loop itself)."""
    assert check_filetype(name, mimes) == _filetype_by_regex(name, mimes)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(min_value=-(2**70), max_value=2**70),
                 st.integers(min_value=0, max_value=2**70).map(str),
                 st.text(st.sampled_from("0123456789٣²"), min_size=1, max_size=22)))
def test_intval_fast_cases_are_the_general_rule(value) -> None:
    """``intval``'s shortcut for ints and ASCII digit strings gives what its general rule (PHP's leading-number
    reading, saturating) gives: a trailing space sends a string down the general path, as it does not change PHP's
    ``(int)``; an int is clamped as its decimal string is."""
    general = intval(value + " ") if isinstance(value, str) else intval(str(value) + " ")
    assert intval(value) == general


SCALARS = st.one_of(st.integers(-5, 2000), st.floats(allow_nan=False, width=32), st.booleans(), st.none(),
                    st.text(max_size=6), st.just(1), st.just(1.0), st.just(True))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.sampled_from(("width", "height", "src")), st.integers(0, 3)),
                          st.one_of(SCALARS, st.lists(SCALARS, max_size=2))), max_size=4))
def test_embed_cache_key_serialization_is_serialize(pairs) -> None:
    """The remembered ``serialize($attr)`` of an embed's attributes is ``serialize()`` itself, asked twice (the
    second from the memo), with ``1``, ``1.0`` and ``True`` told apart and unhashable values not remembered."""
    attr = dict(pairs)
    assert _serialized_attr(attr) == serialize(dict(attr))
    assert _serialized_attr(dict(attr)) == serialize(dict(attr))
