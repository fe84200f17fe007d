"""``convert --to html`` as a site owner expects it: what is published, and a site that holds together.

What the pages should be is read independently of the project's reader, with ``xml.etree`` on the
corpus exports; every page is parsed by html5lib in strict mode, and every internal link is followed.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shortcodes.cli import main
from shortcodes.common.status import ExitStatus

NS = "{http://www.w3.org/1999/xhtml}"
THEME_UNIT = "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
BLOCKS = "WordPress__theme-test-data__64-block-test-data.xml"
POLISH = "contentful__wordpress-exporter.rb__wordpress.xml"
SITES = [THEME_UNIT, BLOCKS, POLISH, "WordPress__wordpress-importer__a11y-unit-test-data.xml",
         "jekyll__jekyll-import__sitetitle.wordpress.2025-01-19.000.xml",
         "hexojs__hexo-migrator-wordpress__wordpress.xml", "WordPress__wordpress-importer__small-export.xml"]


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _wp(path: Path) -> str:
    """``{uri}`` of the file's ``wp:`` namespace (export/1.0/, 1.1/, 1.2/)."""
    return "{" + re.search(rb'xmlns:wp="([^"]+)"', path.read_bytes()).group(1).decode() + "}"


def _items(path: Path) -> list[dict[str, str]]:
    """Each <item> of an export by xml.etree: type, status, password, title, id, slug, thumbnail."""
    WP = _wp(path)
    out = []
    for item in ET.parse(path).getroot().iter("item"):
        def text(tag: str, item: ET.Element = item) -> str:
            return text_of(item, tag)
        meta = {text_of(m, f"{WP}meta_key"): text_of(m, f"{WP}meta_value") for m in item.findall(f"{WP}postmeta")}
        out.append({"type": text(f"{WP}post_type"), "status": text(f"{WP}status"), "title": text("title"),
                    "password": text(f"{WP}post_password"), "id": text(f"{WP}post_id"),
                    "url": text(f"{WP}attachment_url"), "thumbnail": meta.get("_thumbnail_id", "").strip(),
                    "date": text(f"{WP}post_date")})
    return out


def text_of(node: ET.Element, tag: str) -> str:
    found = node.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _published(items: list[dict[str, str]]) -> list[dict[str, str]]:
    return [i for i in items if i["type"] in ("post", "page") and i["status"] == "publish" and not i["password"]]


def _post_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "index.html")


def _tree(path: Path):
    """The page parsed by html5lib in strict mode: any parse error fails the test."""
    return html5lib.HTMLParser(strict=True).parse(path.read_bytes())


@pytest.fixture(scope="module")
def theme_site(corpus_dir, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("theme") / "site"
    assert main(["convert", str(corpus_dir / "wxr" / THEME_UNIT), "--to", "html", "-o", str(site), "-q"]) == 0
    return site


# -- what is published ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_a_site_has_exactly_the_published_posts_and_pages(corpus_dir, tmp_path, capsys, name):
    src = corpus_dir / "wxr" / name
    items = _items(src)
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", site)
    assert code == 0, err
    expected = _published(items)
    assert len(_post_pages(site)) == len(expected)
    left = len(items) - len(expected)
    if left:
        assert f"note: left out {left} of {len(items)} items: " in err
    shown = Counter("".join(_tree(p).find(f".//{NS}h1").itertext()) for p in _post_pages(site))
    # no draft, private, future, menu item, attachment or password-protected post among the titles
    assert Counter(t for t in shown.elements() if not t.endswith(", no title)")) == \
        Counter(e["title"] for e in expected if e["title"])


def test_the_summary_says_what_was_left_out_and_why(corpus_dir, tmp_path, capsys):
    items = _items(corpus_dir / "wxr" / THEME_UNIT)
    types = Counter(i["type"] for i in items)
    code, _, err = _run(capsys, "convert", corpus_dir / "wxr" / THEME_UNIT, "--to", "html", "-o", tmp_path / "s")
    (line,) = [x for x in err.splitlines() if x.startswith("note: left out")]
    assert f"{types['nav_menu_item']} nav_menu_item (never pages)" in line
    assert f"{types['attachment']} attachment (--post-type attachment writes them)" in line
    drafts = sum(1 for i in items if i["status"] == "draft" and i["type"] in ("post", "page"))
    assert f"{drafts} draft" in line and "password-protected (--protected" in line


def test_status_and_post_type_widen_the_site(corpus_dir, tmp_path, capsys):
    src = corpus_dir / "wxr" / THEME_UNIT
    items = _items(src)
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "a", "--status", "any",
                        "--post-type", "post,page,attachment")
    assert code == 0, err
    want = [i for i in items if i["type"] in ("post", "page", "attachment") and not i["password"]]
    assert len(_post_pages(tmp_path / "a")) == len(want)
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "b", "--post-type", "any")
    assert code == 0, err
    want = [i for i in items if i["type"] not in ("attachment", "nav_menu_item") and i["status"] == "publish"
            and not i["password"]]
    assert len(_post_pages(tmp_path / "b")) == len(want)


def test_an_unknown_value_is_an_error_listing_the_values_present(corpus_dir, tmp_path, capsys):
    src = corpus_dir / "wxr" / THEME_UNIT
    statuses = Counter(i["status"] for i in _items(src))
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "s", "--status", "publish,publised")
    assert code == ExitStatus.USAGE and not (tmp_path / "s").exists()
    assert "no post has the status 'publised'" in err
    assert all(f"{s} {n}" in err for s, n in statuses.items())
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "s", "--post-type", "nav_menu_item")
    assert code == ExitStatus.USAGE and "never a page of a site" in err and not (tmp_path / "s").exists()


def test_password_protected_posts_only_when_asked_and_then_marked(corpus_dir, tmp_path, capsys):
    src = corpus_dir / "wxr" / THEME_UNIT
    (protected,) = [i for i in _items(src) if i["password"] and i["status"] == "publish"]
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "s", "--protected")
    assert code == 0, err
    pages = [p for p in _post_pages(tmp_path / "s") if "".join(_tree(p).find(f".//{NS}h1").itertext()) ==
             protected["title"]]
    assert len(pages) == 1
    notice = [p for p in _tree(pages[0]).iter(f"{NS}p") if "sc-post__notice" in p.get("class", "")]
    assert notice and "password-protected" in "".join(notice[0].itertext())
    index = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "(password-protected)" in index


# -- the site holds together -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [BLOCKS, POLISH])
def test_every_page_is_valid_html5_and_every_internal_link_resolves(corpus_dir, tmp_path, capsys, name, theme_site):
    site = tmp_path / "site"
    assert _run(capsys, "convert", corpus_dir / "wxr" / name, "--to", "html", "-o", site)[0] == 0
    for folder in (site, theme_site):
        checked = 0
        for page in folder.rglob("*.html"):
            checked += check_links(folder, page, _tree(page))
        assert checked > 3 * len(_post_pages(folder))


def references(root: ET.Element) -> "list[tuple[str, str]]":
    """``(attribute, URL)`` of every link and media reference of a parsed page: ``href``, ``src``,
    ``poster`` and each ``srcset`` candidate."""
    out = []
    for el in root.iter():
        for attr in ("href", "src", "poster"):
            if el.get(attr):
                out.append((attr, el.get(attr)))
        for candidate in (el.get("srcset") or "").split(","):
            if candidate.strip():
                out.append(("srcset", candidate.split()[0]))
    return out


def local_file(page: Path, ref: str) -> Path:
    """The file a relative reference of ``page`` names (a folder: its ``index.html``)."""
    target = (page.parent / unquote(urlsplit(ref).path)).resolve()
    return target / "index.html" if target.is_dir() else target


def check_links(folder: Path, page: Path, root: ET.Element, resolve=local_file) -> int:
    """The link checker: every reference of ``page`` that is not to another site (no scheme), nor to the
    old site's own root (``/wp-admin/…``: ``resolve`` returns ``None`` for those it leaves), names a file
    of ``folder``; returns how many were checked."""
    checked = 0
    for _, ref in references(root):
        if not ref or urlsplit(ref).scheme or ref.startswith(("#", "//")):
            continue
        target = resolve(page, ref) if not ref.startswith("/") or resolve is not local_file else None
        if target is None:
            continue
        assert target.is_file() and folder.resolve() in target.resolve().parents, (page, ref, target)
        checked += 1
    return checked


def test_a_post_page_has_its_title_date_author_terms_and_links(theme_site, corpus_dir):
    src = corpus_dir / "wxr" / THEME_UNIT
    root = ET.parse(src).getroot()
    WP = _wp(src)
    authors = {text_of(a, f"{WP}author_login"): text_of(a, f"{WP}author_display_name")
               for a in root.iter(f"{WP}author")}
    page = next(p for p in _post_pages(theme_site) if p.name == "markup-html-tags-and-formatting.html")
    tree = _tree(page)
    assert "".join(tree.find(f".//{NS}h1").itertext()) == "Markup: HTML Tags and Formatting"
    time = tree.find(f".//{NS}time")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?", time.get("datetime"))
    author = tree.find(f".//{NS}a[@rel='author']")
    assert "".join(author.itertext()) in authors.values()
    rels = Counter(a.get("rel") for a in tree.iter(f"{NS}a"))
    assert rels["category"] >= 1 and rels["tag"] >= 1 and rels["home"] == 1 and rels["prev"] + rels["next"] >= 1


def test_featured_images_are_the_thumbnails_attachment(theme_site, corpus_dir):
    items = _items(corpus_dir / "wxr" / THEME_UNIT)
    urls = {i["id"]: i["url"] for i in items if i["type"] == "attachment"}
    with_thumb = [i for i in _published(items) if i["thumbnail"] in urls]
    assert with_thumb
    found = {}
    for page in _post_pages(theme_site):
        tree = _tree(page)
        fig = [f for f in tree.iter(f"{NS}figure") if "sc-post__featured" in f.get("class", "")]
        if fig:
            found["".join(tree.find(f".//{NS}h1").itertext())] = fig[0].find(f"{NS}img").get("src")
    assert found == {i["title"]: urls[i["thumbnail"]] for i in with_thumb}


def test_prev_next_chain_every_post_newest_to_oldest_and_the_index_is_newest_first(theme_site):
    index = _tree(theme_site / "index.html")
    days = [t.get("datetime") for t in index.iter(f"{NS}time")]
    assert days and days == sorted(days, reverse=True)
    posts = [p for p in _post_pages(theme_site) if 'sc-post--post"' in p.read_text(encoding="utf-8")]
    newest = [p for p in posts if _tree(p).find(f".//{NS}a[@rel='next']") is None]
    assert len(newest) == 1
    seen, page = [], newest[0]
    while page is not None:
        seen.append(page)
        prev = _tree(page).find(f".//{NS}a[@rel='prev']")
        page = (page.parent / unquote(prev.get("href"))).resolve() if prev is not None else None
    assert sorted(seen) == sorted(p.resolve() for p in posts)


def test_listing_pages_at_wordpress_paths_list_their_posts(theme_site, corpus_dir):
    items = [i for i in _published(_items(corpus_dir / "wxr" / THEME_UNIT))]
    years = Counter(i["date"][:4] for i in items)
    for year, n in years.items():
        tree = _tree(theme_site / year / "index.html")
        links = [a for a in tree.iter(f"{NS}a") if a.get("rel") != "home"]
        assert len(links) == n
    for kind in ("category", "tag", "author"):
        folders = [p for p in (theme_site / kind).iterdir() if (p / "index.html").is_file()]
        assert folders
    root = ET.parse(corpus_dir / "wxr" / THEME_UNIT).getroot()
    WP = _wp(corpus_dir / "wxr" / THEME_UNIT)
    uncategorized = [i for i in root.iter("item") if text_of(i, f"{WP}post_type") == "post"
                     and text_of(i, f"{WP}status") == "publish" and not text_of(i, f"{WP}post_password")
                     and any(c.get("domain") == "category" and c.get("nicename") == "uncategorized"
                             for c in i.findall("category"))]
    tree = _tree(theme_site / "category" / "uncategorized" / "index.html")
    assert len([a for a in tree.iter(f"{NS}a") if a.get("rel") != "home"]) == len(uncategorized)


def test_site_title_and_language_come_from_the_export(corpus_dir, tmp_path, capsys, theme_site):
    root = ET.parse(corpus_dir / "wxr" / POLISH).getroot()
    site = tmp_path / "pl"
    assert _run(capsys, "convert", corpus_dir / "wxr" / POLISH, "--to", "html", "-o", site)[0] == 0
    title, lang = root.find("channel/title").text, root.find("channel/language").text
    for page in site.rglob("*.html"):
        html = _tree(page)
        assert html.get("lang") == lang and html.get("dir") == "ltr"
    assert "".join(_tree(site / "index.html").find(f".//{NS}h1").itertext()) == title
    assert _tree(theme_site / "index.html").find(f".//{NS}title").text == "Theme Unit Test Data"


def test_the_seed_article_page_is_arabic_right_to_left_with_its_four_cards(seed_text, tmp_path, capsys):
    from wxr_kit import write_wxr

    (tmp_path / "in").mkdir()
    src = write_wxr(tmp_path / "in" / "seed.xml", [
        {"id": 10, "title": "المرصد السوري", "date": "2021-10-10 09:00:00", "slug": "hasakah", "content": seed_text}])
    site = tmp_path / "site"
    assert _run(capsys, "convert", src, "--to", "html", "-o", site, "--as-of", "post-date")[0] == 0
    (page,) = _post_pages(site)
    tree = _tree(page)
    assert tree.get("lang") == "ar" and tree.get("dir") == "rtl"
    assert len([s for s in tree.iter(f"{NS}section") if "sc-covid-card" in s.get("class", "").split()]) == 4
    assert page.read_text(encoding="utf-8").count('data-sc-style="covid19-ultimate-card.css"') == 1


def test_templates_of_the_site_are_overridable(corpus_dir, tmp_path, capsys):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "_page.html").write_text('<!DOCTYPE html><html lang="{{ lang }}"><head><title>{{ title }}</title>'
                                      '</head><body><h1 class="mine">{{ entry.title }}</h1>{{ body }}'
                                      '<a href="{{ nav.home.href }}">home</a></body></html>', encoding="utf-8")
    (theme / "_index.html").write_text("<!DOCTYPE html><html><head><title>{{ title }}</title></head><body>"
                                       "{% for e in entries %}<a class=mine href='{{ e.href }}'>x</a>{% endfor %}"
                                       "</body></html>", encoding="utf-8")
    site = tmp_path / "site"
    src = corpus_dir / "wxr" / "WordPress__wordpress-importer__small-export.xml"
    assert _run(capsys, "convert", src, "--to", "html", "-o", site, "--templates", theme)[0] == 0
    pages = _post_pages(site)
    assert pages and all('<h1 class="mine">' in p.read_text(encoding="utf-8") for p in pages)
    assert (site / "index.html").read_text(encoding="utf-8").count("class=mine") == len(pages)


def test_rest_titles_are_text(tmp_path, capsys):
    rest = tmp_path / "posts.json"
    rest.write_text(json.dumps([{"id": 5, "date": "2021-10-10T09:00:00", "slug": "egypt", "type": "post",
                                 "status": "publish", "title": {"rendered": "Egypt &#8211; figures &amp; more"},
                                 "excerpt": {"rendered": "<p>Short &#8220;quote&#8221;</p>\n"},
                                 "content": {"rendered": "<p>Body</p>", "protected": False}}]), encoding="utf-8")
    site = tmp_path / "site"
    assert _run(capsys, "convert", rest, "--to", "html", "-o", site)[0] == 0
    (page,) = _post_pages(site)
    assert "".join(_tree(page).find(f".//{NS}h1").itertext()) == "Egypt – figures & more"
    assert "&amp;#8211;" not in page.read_text(encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _run(capsys, "convert", rest, "--to", "jsonl", "-o", out)[0] == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["title"] == "Egypt – figures & more" and record["excerpt"] == "Short “quote”"


# -- inputs ---------------------------------------------------------------------------------------------


def test_a_folder_of_exports_is_read_and_an_xml_that_is_no_export_is_skipped(corpus_dir, tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    names = [THEME_UNIT, POLISH, "WordPress__wordpress-importer__small-export.xml"]
    for name in names:
        (folder / name).write_bytes((corpus_dir / "wxr" / name).read_bytes())
    (folder / "sitemap.xml").write_text('<?xml version="1.0"?><urlset/>', encoding="utf-8")
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", folder, "--to", "html", "-o", site)
    assert code == ExitStatus.PROBLEMS, err  # a file skipped in a folder is a reader's warning, counted (exit 1)
    items = [i for name in names for i in _items(corpus_dir / "wxr" / name)]
    assert f"posts: {len(items)} read" in err
    assert len(_post_pages(site)) == len(_published(items))
    assert re.search(r"sitemap\.xml: .*not a WordPress export.*skipped", err)


def test_plain_files_keep_their_names_and_take_their_title_from_the_first_heading_or_line(tmp_path, capsys):
    folder = tmp_path / "posts"
    folder.mkdir()
    files = {"covid.2021.10.html": "<p>lead</p><h2>Egypt &amp; Sudan</h2><p>x</p>",
             "covid.2021.11.txt": "\n  Second month\n\nbody",
             "notes.v2.md": "intro\n\n## Notes, version 2\n\ntext",
             "site.wordpress__post-1031-" + "x" * 80 + ".html": "<p>long name</p>"}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    assert _run(capsys, "convert", folder, "--to", "html", "-o", site)[0] == 0
    pages = {p.name: "".join(_tree(p).find(f".//{NS}h1").itertext()) for p in _post_pages(site)}
    assert pages == {"covid.2021.10.html": "Egypt & Sudan", "covid.2021.11.html": "Second month",
                     "notes.v2.html": "Notes, version 2", "site.wordpress__post-1031-" + "x" * 80 + ".html": "long name"}


def _script_language_loop(text: str) -> "str | None":
    """The character loop script_language() was before it counted with regular expressions."""
    arabic = hebrew = latin = 0
    for ch in text:
        cp = ord(ch)
        if cp < 0x80:
            latin += ch.isalpha()
        elif (0x0620 <= cp <= 0x064A or 0x066E <= cp <= 0x06D3 or 0x06FA <= cp <= 0x06FC or 0x0750 <= cp <= 0x077F
              or 0x08A0 <= cp <= 0x08C9 or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFC):
            arabic += 1
        elif 0x05D0 <= cp <= 0x05EA:
            hebrew += 1
        elif ch.isalpha() and cp < 0x0250:
            latin += 1
    if arabic and arabic > latin and arabic >= hebrew:
        return "ar"
    if hebrew and hebrew > latin:
        return "he"
    return None


@given(st.text(alphabet=st.sampled_from("aZé ßµªĀɏɐ\u0627\u0628\u06cc\u05d0\u05ea\u0660\u064b\ufb50\u0370 ")))
def test_script_language_counts_as_the_character_loop_did(text):
    from shortcodes.common.locales import script_language

    assert script_language(text) == _script_language_loop(text)


_SCRIPT_CHARS = "aZé ßµªĀɏɐ\u0627\u0628\u06cc\u05d0\u05ea\u05c0\u0660\u064b\ufb50\ufeff\u0800\u0370\u2019<> "


@given(st.lists(st.tuples(st.sampled_from(_SCRIPT_CHARS), st.integers(1, 900)), max_size=12))
def test_script_language_by_bytes_is_the_counted_one(runs):
    """The byte bounds and the counting stopped early decide as counting every letter does, on texts
    longer than the chunks the Arabic letters are counted in."""
    from shortcodes.common.locales import _script_language_counted, script_language

    text = "".join(ch * n for ch, n in runs)
    assert script_language(text) == _script_language_counted(text) == _script_language_loop(text)


def test_script_language_by_bytes_on_the_corpus(corpus_texts):
    from shortcodes.common.locales import _script_language_counted, script_language
    from shortcodes.renderer.page import strip_tags

    for label, text in corpus_texts:
        for t in (text, strip_tags(text)):
            assert script_language(t) == _script_language_counted(t), label


def test_media_url_moves_every_upload_reference_of_the_site(corpus_dir, tmp_path, capsys):
    src = corpus_dir / "wxr" / THEME_UNIT
    old = "https://wpthemetestdata.files.wordpress.com/"
    assert old in src.read_text(encoding="utf-8")
    for to in ("html", "markdown"):
        site = tmp_path / to
        code, _, err = _run(capsys, "convert", src, "--to", to, "-o", site, "--media-url", f"{old}=/media/")
        assert code == 0, err
        texts = [p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".md")]
        assert not any(old in t for t in texts)
        assert sum(t.count("/media/") for t in texts) > 50
    featured = [f.find(f"{NS}img").get("src") for p in _post_pages(tmp_path / "html")
                for f in _tree(p).iter(f"{NS}figure") if "sc-post__featured" in f.get("class", "")]
    assert featured and all(s.startswith("/media/") for s in featured)
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "x", "--media-url", "nothing")
    assert code == ExitStatus.USAGE and "give OLD=NEW" in err


def test_jobs_2_pages_rendered_and_written_by_the_workers(corpus_dir, tmp_path, capsys, monkeypatch):
    """With ``--jobs 2`` and an export converted by units, the post pages are rendered and written into the
    staged site by the workers (``write_post_pages``): the same files as one process, and a page a worker
    cannot write is the run's error, naming the page's final path; nothing is put in place."""
    import errno

    from shortcodes.exports.wxr import units as wxr_units
    from shortcodes.jobs.outputs import html as html_output

    src = corpus_dir / "wxr" / THEME_UNIT
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 4000)
    recorded: list[int] = []
    real = html_output._record
    monkeypatch.setattr(html_output, "_record", lambda staged, written, outputs: (
        recorded.append(len(written)), real(staged, written, outputs)))
    trees = []
    for jobs in ("1", "2"):
        code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / jobs, "--jobs", jobs, "-q")
        assert code == 0, err
        trees.append({p.relative_to(tmp_path / jobs): p.read_bytes() for p in (tmp_path / jobs).rglob("*")
                      if p.is_file()})
    assert trees[0] == trees[1] and sum(recorded) == len([p for p in trees[0] if p.name != "index.html"
                                                          and p.suffix == ".html"])
    victim = sorted(p for p in trees[0] if p.name != "index.html" and p.suffix == ".html")[3].as_posix()
    real_write = html_output.write_staged

    def full(staging, rel, text, folders=None):
        if rel == victim:
            raise OSError(errno.ENOSPC, "No space left on device", str(Path(staging, rel)))
        return real_write(staging, rel, text, folders)

    monkeypatch.setattr(html_output, "write_staged", full)  # the workers are forked after: theirs too
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "3", "--jobs", "2", "-q")
    assert code != 0 and str(tmp_path / "3" / victim) in err and "No space left" in err, err
    assert not (tmp_path / "3").exists() and not list(tmp_path.glob(".3.*"))  # no output, no staging left
