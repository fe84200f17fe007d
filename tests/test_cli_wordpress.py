"""The WordPress options of ``render`` and ``convert``: --the-content, --html5/--classic, --content-width,
--image-size, --rtl/--no-rtl, --visitor; the site model read for each export."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from shortcodes.cli import main
from shortcodes.cli.options import parse_image_size
from shortcodes.common.errors import InputError
from shortcodes.exports.post import Post
from shortcodes.jobs.convert import Converter, ConvertOptions, convert
from shortcodes.media import settings
from shortcodes.wordpress.theme import Theme

TUT = "WordPress__theme-test-data__themeunittestdata.wordpress.xml"


@pytest.fixture(scope="module")
def tut(corpus_dir: Path) -> Path:
    return corpus_dir / "wxr" / TUT


def records(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text("utf-8").splitlines())}


def test_the_content_jsonl_records_are_what_wordpress_prints(tut: Path, tmp_path: Path, media_oracle) -> None:
    """``convert --the-content --to jsonl``: each record has the post's id and its rendered content, and the
    content of the theme unit test's caption, image-alignment, embed and plain posts is WordPress's the_content."""
    out = tmp_path / "tut.jsonl"
    assert main(["convert", str(tut), "--to", "jsonl", "-o", str(out), "--the-content", "-q"]) == 0
    recs = records(out)
    site = media_oracle.site_from_wxr(tut, scenario="as-exported")
    posts = {p["ID"]: p for p in site["posts"]}
    from shortcodes.exports.wxr import read_wxr

    bodies = {p.id: p.content for p in read_wxr(tut) if p.type in ("post", "page")}
    plain = [i for i, b in bodies.items() if b and "<!-- wp:" not in b and "[" not in b][:3]
    ids = ["1163", "1177", "1133", "582", "1168", *plain]
    results = media_oracle.run([Theme().oracle_case({"site": Theme().oracle_site(site), "post_id": int(i),
                                                     "op": "the_content", "input": bodies[i]}) for i in ids])
    for i, r in zip(ids, results):
        assert int(i) in posts and recs[i]["id"] == i
        assert recs[i]["content"] == r["result"], i
    print(f"convert --the-content: {len(ids)} JSON Lines records equal WordPress's the_content")


def test_visitor_gets_the_password_form(tut: Path, tmp_path: Path) -> None:
    author, visitor = tmp_path / "a.jsonl", tmp_path / "v.jsonl"
    assert main(["convert", str(tut), "--to", "jsonl", "-o", str(author), "--the-content", "-q"]) == 0
    assert main(["convert", str(tut), "--to", "jsonl", "-o", str(visitor), "--the-content", "--visitor", "-q"]) == 0
    a, v = records(author)["1168"], records(visitor)["1168"]
    assert 'class="post-password-form"' in v["content"] and 'id="pwbox-1168"' in v["content"]
    assert "post-password-form" not in a["content"] and a["content"].strip()
    assert records(visitor)["1163"]["content"] == records(author)["1163"]["content"]  # no password: the same


def test_classic_and_html5_captions(tut: Path, tmp_path: Path) -> None:
    html5, classic = tmp_path / "h.jsonl", tmp_path / "c.jsonl"
    assert main(["convert", str(tut), "--to", "jsonl", "-o", str(html5), "-q"]) == 0
    assert main(["convert", str(tut), "--to", "jsonl", "-o", str(classic), "--classic", "-q"]) == 0
    assert '<figure id="attachment_754"' in records(html5)["1163"]["content"]
    c = records(classic)["1163"]["content"]
    assert '<div id="attachment_754"' in c and "<figure" not in c and "[caption" not in c


def test_rtl_follows_the_export_language_unless_told(tmp_path: Path) -> None:
    wxr = tmp_path / "ar.xml"
    wxr.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                   'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                   'xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>'
                   "<language>ar</language><item><title>x</title><wp:post_id>5</wp:post_id>"
                   "<wp:post_type>post</wp:post_type><content:encoded>[caption width=300]<img src=\"a.jpg\" /> "
                   "برج[/caption]</content:encoded></item></channel></rss>", "utf-8")
    seen = {}
    for rtl in (None, False, True):
        conv = Converter(ConvertOptions(rtl=rtl))
        out = tmp_path / f"{rtl}.jsonl"
        report = convert([wxr], out, to="jsonl", converter=conv)
        assert report.posts_written == 1
        conv.prepare(Post(id="5", source_file=str(wxr)))
        seen[rtl] = settings(conv.renderer).theme.rtl
    assert seen == {None: True, False: False, True: True}


def test_summary_counts_the_media_tags_as_rendered(tut: Path, tmp_path: Path, capsys) -> None:
    assert main(["convert", str(tut), "--to", "jsonl", "-o", str(tmp_path / "x.jsonl"), "--the-content"]) == 0
    err = capsys.readouterr().err
    assert "caption  rendered 12" in err


def test_render_the_content_of_a_file(tmp_path: Path, capsys) -> None:
    src = tmp_path / "post.txt"
    src.write_text('"Hi" -- see:\n\n[caption width=300 id=attachment_7]<img src="a.jpg" /> A cat[/caption]\n\n'
                   "https://example.org/page\n", "utf-8")
    assert main(["render", str(src), "--the-content", "--content-width", "640"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<p>&#8220;Hi&#8221; &#8212; see:</p>\n")
    assert '<figure id="attachment_7"' in out and "<p>https://example.org/page</p>" in out
    assert main(["render", str(src), "--the-content", "--autop"]) == 2


def test_image_size_and_theme_options() -> None:
    assert parse_image_size("large=1200x0") == ("large", (1200, 0, False))
    with pytest.raises(InputError):
        parse_image_size("large=big")
    from shortcodes.cli import build_parser
    from shortcodes.cli.options import theme_from

    args = build_parser().parse_args(["render", "x", "--classic", "--content-width", "640", "--image-size",
                                      "square=400x400,crop", "--no-rtl", "--visitor"])
    theme = theme_from(args)
    assert (theme.html5, theme.content_width, theme.rtl, theme.visitor) == (frozenset(), 640, False, True)
    assert theme.size("square").crop and theme.size_names[-1] == "square"


def test_status_any_takes_every_status_with_the_content(tut: Path, tmp_path: Path) -> None:
    """``--to html --status any --protected --the-content``: every status and the password-protected post
    are written (the author's view, the content rendered through the_content)."""
    from shortcodes.exports.wxr import read_wxr

    statuses = {p.status for p in read_wxr(tut) if p.type in ("post", "page")}
    assert {"publish", "draft"} <= statuses or len(statuses) > 1
    default = convert([tut], tmp_path / "a", to="html", options=ConvertOptions(the_content=True, site=True))
    every = convert([tut], tmp_path / "b", to="html",
                    options=ConvertOptions(the_content=True, site=True, statuses=("any",), protected=True))
    assert every.posts_written > default.posts_written
    page = next((tmp_path / "b").rglob("*password-protected*"), None)
    assert page is not None and "post-password-form" not in page.read_text("utf-8")


@pytest.mark.parametrize("the_content", [False, True])
def test_theme_unit_test_to_html_leaves_no_core_media_tag(tut: Path, tmp_path: Path, capsys, the_content: bool) -> None:
    """``convert --to html`` of the theme unit test export (with and without --the-content): no page holds a
    raw [caption, [gallery, [audio, [video or [embed, and the summary counts them as rendered."""
    out = tmp_path / "site"
    argv = ["convert", str(tut), "--to", "html", "-o", str(out), *(["--the-content"] if the_content else [])]
    assert main(argv) == 0
    err = capsys.readouterr().err
    pages = list(out.rglob("*.html"))
    raw = [(p.name, tag) for p in pages for tag in ("[caption", "[gallery", "[audio", "[video", "[embed")
           if tag in p.read_text("utf-8")]
    assert len(pages) > 50 and not raw
    for line in ("caption  rendered 12", "gallery  rendered 12", "audio    rendered 1"):
        assert line in err


def test_render_takes_the_direction_from_locale_unless_told(tmp_path: Path, monkeypatch, capsys) -> None:
    import shortcodes.media as media

    seen = []
    real = media.configure
    monkeypatch.setattr(media, "configure", lambda r, **kw: (seen.append(kw["theme"].rtl), real(r, **kw)))
    src = tmp_path / "a.txt"
    src.write_text("x", "utf-8")
    for extra in ([], ["--locale", "ar-EG"], ["--locale", "ar-EG", "--no-rtl"], ["--rtl"]):
        assert main(["render", str(src), *extra]) == 0
    assert seen == [False, True, False, True]
