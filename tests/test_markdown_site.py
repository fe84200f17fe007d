"""``convert --to markdown``: a site for Hugo, Jekyll, Astro or plain CommonMark from real exports.

What each site should hold is read with ``xml.etree``; the Markdown is rendered back by markdown-it-py
(the round trip keeps every word of each post, in order), the front matter is read back as YAML, and
the Astro files are compiled by ``@mdx-js/mdx`` (tests/js).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_helpers import html_text, render, words
from test_site_html import THEME_UNIT, _items, _published, _run

from shortcodes.cli import main
from shortcodes.markdown import split_front_matter

JS = Path(__file__).parent / "js"
FLAVOURS = {"hugo": r"content/(posts/)?[^/]+/index\.md", "jekyll": r"(_posts/\d{4}-\d{2}-\d{2}-[^/]+|[^/]+)\.md",
            "astro": r"src/content/(blog|pages)/[^/]+\.mdx", "commonmark": r"(posts|pages)/[^/]+\.md"}
STYLESHEETS = {"hugo": "static/css/shortcodes.css", "jekyll": "assets/css/shortcodes.css",
               "astro": "public/shortcodes.css", "commonmark": "shortcodes.css"}


def _files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in (".md", ".mdx"))


@pytest.fixture(scope="module")
def theme_sites(corpus_dir, tmp_path_factory) -> dict[str, Path]:
    out = {}
    for flavour in FLAVOURS:
        site = tmp_path_factory.mktemp(flavour) / "site"
        code = main(["convert", str(corpus_dir / "wxr" / THEME_UNIT), "--to", "markdown", "--flavor", flavour,
                     "-o", str(site), "-q"])
        assert code == 0
        out[flavour] = site
    return out


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_published_post_and_page_is_one_file_where_the_generator_expects_it(theme_sites, corpus_dir,
                                                                                    flavour):
    files = _files(theme_sites[flavour])
    assert len(files) == len(_published(_items(corpus_dir / "wxr" / THEME_UNIT)))
    for f in files:
        assert re.fullmatch(FLAVOURS[flavour], f.relative_to(theme_sites[flavour]).as_posix()), f


@pytest.mark.parametrize("flavour", ["hugo", "jekyll", "astro"])
def test_front_matter_has_the_keys_the_generator_documents(theme_sites, corpus_dir, flavour):
    items = {i["title"]: i for i in _published(_items(corpus_dir / "wxr" / THEME_UNIT))}
    alias = {"hugo": "aliases", "jekyll": "redirect_from"}.get(flavour)
    seen = 0
    for f in _files(theme_sites[flavour]):
        meta, body = split_front_matter(f.read_text(encoding="utf-8"))
        assert meta["title"] in items, f
        if flavour == "astro":
            assert "pubDate" in meta or "date" in meta or meta.get("draft") is not None
        else:
            assert "date" in meta
        if alias and items[meta["title"]]["type"] == "post":
            assert meta[alias] and all(a.startswith("/") for a in meta[alias])
        seen += 1
    assert seen


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_round_trip_keeps_every_word_of_every_post_in_order(theme_sites, corpus_dir, flavour, tmp_path):
    """WXR → rendered (the same conversion, as JSON Lines) → Markdown → markdown-it-py → the same words, in order."""
    rendered = tmp_path / "rendered.jsonl"
    assert main(["convert", str(corpus_dir / "wxr" / THEME_UNIT), "--to", "jsonl", "--autop", "-o", str(rendered),
                 "--status", "publish", "--post-type", "post,page", "-q"]) == 0
    by_title: dict[str, list[str]] = {}
    for line in rendered.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_title.setdefault(record["title"].strip(), []).append(record["content"])
    checked = 0
    for f in _files(theme_sites[flavour]):
        text = f.read_text(encoding="utf-8")
        if flavour == "commonmark":
            first = text.split("\n", 1)[0]
            title = html_text(render(first)).strip() if first.startswith("# ") else ""  # no title: no heading
        else:
            title = split_front_matter(text)[0]["title"]
        got = words(render(text, gfm=True))
        # the post's own words, in order, in what a CommonMark renderer makes of the file
        assert any(_in_order(words(html), got) for html in by_title[title]), (f, title)
        checked += 1
    assert checked == sum(map(len, by_title.values())) - 1  # the password-protected post is not written


def _in_order(want: list[str], got: list[str]) -> bool:
    """Every word of ``want`` appears in ``got`` in the same order (got may hold more: a title heading)."""
    it = iter(got)
    return all(any(w == g for g in it) for w in want)


def test_astro_files_compile_with_mdx(theme_sites):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (JS / "node_modules" / "@mdx-js" / "mdx").is_dir():
        pytest.skip(f"@mdx-js/mdx is not installed: run `npm ci --prefix {JS}`")
    files = _files(theme_sites["astro"])
    docs = [split_front_matter(f.read_text(encoding="utf-8"))[1] for f in files]
    out = subprocess.run([node, str(JS / "compile_mdx.mjs")], input=json.dumps(docs), capture_output=True,
                         text=True, check=True, timeout=300)
    bad = [(f.name, r["error"]) for f, r in zip(files, json.loads(out.stdout)) if not r["ok"]]
    assert not bad and len(files) > 50, bad[:3]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_seed_article_keeps_four_cards_arabic_and_rtl(seed_text, tmp_path, capsys, flavour):
    from wxr_kit import write_wxr

    (tmp_path / "in").mkdir()
    src = write_wxr(tmp_path / "in" / "seed.xml", [
        {"id": 10, "title": "المرصد السوري", "date": "2021-10-10 09:00:00", "slug": "hasakah", "content": seed_text}])
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "markdown", "--flavor", flavour, "-o", site,
                        "--as-of", "post-date")
    assert code == 0, err
    (f,) = _files(site)
    text = f.read_text(encoding="utf-8")
    assert text.count('<section class="sc-covid-card') == 4 and "<style" not in text
    assert "الحسكة" in text and "\u200f" not in seed_text or "\u200f" in text
    if flavour != "commonmark":
        meta = split_front_matter(text)[0]
        flat = json.dumps(meta, ensure_ascii=False)
        assert '"lang": "ar"' in flat and '"dir": "rtl"' in flat
    css = (site / STYLESHEETS[flavour]).read_text(encoding="utf-8")
    assert ".sc-covid-card" in css
    assert render(text).count('<section class="sc-covid-card') == 4  # the raw HTML blocks survive CommonMark


def test_kept_shortcodes_are_written_through_not_escaped(tmp_path, capsys, corpus_dir):
    src = corpus_dir / "wxr" / THEME_UNIT
    root = ET.parse(src).getroot()
    galleries = [i for i in root.iter("item") if "[gallery" in (i.findtext(
        "{http://purl.org/rss/1.0/modules/content/}encoded") or "")]
    assert galleries
    for flavour, style in (("hugo", "hugo"), ("jekyll", "verbatim")):
        site = tmp_path / flavour
        rules = tmp_path / f"{flavour}.json"
        rules.write_text(json.dumps({"shortcodes": {"gallery": style}}), encoding="utf-8")
        code, _, err = _run(capsys, "convert", src, "--to", "markdown", "--flavor", flavour, "-o", site,
                            "--keep-shortcodes", rules)
        assert code == 0, err
        text = "".join(f.read_text(encoding="utf-8") for f in _files(site))
        assert "\\[gallery" not in text
        assert ("{{< gallery" if style == "hugo" else "[gallery") in text
    site = tmp_path / "plain"
    assert _run(capsys, "convert", src, "--to", "markdown", "-o", site, "--keep-shortcodes", "gallery,caption")[0] == 0
    text = "".join(f.read_text(encoding="utf-8") for f in _files(site))
    assert "[gallery" in text and "[caption" in text and "\\[gallery" not in text


def test_password_protected_posts_are_drafts_with_a_notice(tmp_path, capsys, corpus_dir):
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", corpus_dir / "wxr" / THEME_UNIT, "--to", "markdown", "-o", site,
                        "--protected")
    assert code == 0, err
    protected = [f for f in _files(site) if "password-protected on the original site" in f.read_text(encoding="utf-8")]
    assert len(protected) == 1 and "draft: true" in protected[0].read_text(encoding="utf-8")


def test_featured_images_are_in_the_front_matter(theme_sites, corpus_dir):
    items = _items(corpus_dir / "wxr" / THEME_UNIT)
    urls = {i["id"]: i["url"] for i in items if i["type"] == "attachment"}
    want = {i["title"]: urls[i["thumbnail"]] for i in _published(items) if i["thumbnail"] in urls}
    assert want
    got = {}
    for f in _files(theme_sites["astro"]):
        meta = split_front_matter(f.read_text(encoding="utf-8"))[0]
        if meta.get("heroImage"):
            got[meta["title"]] = meta["heroImage"]
    assert got == want


def test_jobs_2_writes_the_same_files(theme_sites, corpus_dir, tmp_path):
    site = tmp_path / "site"
    assert main(["convert", str(corpus_dir / "wxr" / THEME_UNIT), "--to", "markdown", "--flavor", "hugo", "-o",
                 str(site), "-q", "--jobs", "2"]) == 0
    one = {p.relative_to(theme_sites["hugo"]): p.read_bytes() for p in theme_sites["hugo"].rglob("*")
           if p.is_file() and p.name != ".shortcodes-site.json"}
    two = {p.relative_to(site): p.read_bytes() for p in site.rglob("*")
           if p.is_file() and p.name != ".shortcodes-site.json"}
    assert one == two and len(one) > 50


@pytest.mark.parametrize("flavour", ["hugo", "jekyll", "astro", "commonmark"])
def test_posts_with_one_slug_get_their_own_slug_and_file(tmp_path, capsys, flavour):
    """Two published posts with the slug ``hello`` on one day (two exports of one site, a re-used slug): each
    has its own file *and* slug, so a generator that reads the slug from the front matter (Hugo) does not
    publish both at ``/posts/hello/``."""
    from wxr_kit import write_wxr

    export = write_wxr(tmp_path / "site.xml", [
        {"id": 1, "slug": "hello", "date": "2021-10-10 08:00:00", "title": "First", "content": "<p>one</p>"},
        {"id": 2, "slug": "hello", "date": "2021-10-10 09:00:00", "title": "Second", "content": "<p>two</p>"}])
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", export, "--to", "markdown", "--flavor", flavour, "-o", site)
    assert code == 0, err
    files = [f for f in _files(site) if f.suffix in (".md", ".mdx")]
    assert len(files) == 2
    paths = {("Second" if "two" in f.read_text(encoding="utf-8") else "First"): f.relative_to(site).as_posix()
             for f in files}
    assert len(paths) == 2 and "hello-2" in paths["Second"] and "hello-2" not in paths["First"], paths
    if flavour == "hugo":
        slugs = {split_front_matter(f.read_text(encoding="utf-8"))[0]["slug"] for f in files}
        assert slugs == {"hello", "hello-2"}
