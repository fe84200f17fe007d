"""``--uploads DIR`` and the links between posts, for ``--to html`` and every Markdown flavour.

The uploads folder is built in each test from the export's attachment metadata, read with ``xml.etree``
(``_wp_attached_file``, else the attachment URL's path; the sizes' ``file`` names of
``_wp_attachment_metadata``): real PNG files, so a browser can show them.  Every site is then checked
with the link checker of ``test_site_html`` (Markdown: rendered by markdown-it-py first, each reference
resolved as the flavour's generator lays the site out).
"""
from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_helpers import render
from test_markdown_site import JS
from test_site_html import BLOCKS, NS, THEME_UNIT, _post_pages, _run, _tree, _wp, check_links, references

from shortcodes.markdown import split_front_matter

FLAVOURS = ["hugo", "jekyll", "astro", "commonmark"]
SITES = [THEME_UNIT, BLOCKS]


def png() -> bytes:
    """A 4×3 red PNG."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(3))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def attachment_files(src: Path) -> dict[str, str]:
    """Each attachment file of the export (its path under uploads) -> its attachment URL, by xml.etree."""
    WP = _wp(src)
    out: dict[str, str] = {}
    for item in ET.parse(src).getroot().iter("item"):
        if (item.findtext(f"{WP}post_type") or "").strip() != "attachment":
            continue
        meta = {m.findtext(f"{WP}meta_key"): m.findtext(f"{WP}meta_value") or "" for m in item.findall(f"{WP}postmeta")}
        url = (item.findtext(f"{WP}attachment_url") or "").strip()
        rel = meta.get("_wp_attached_file", "").strip()
        if not rel:
            path = unquote(urlsplit(url).path)
            rel = path.split("/wp-content/uploads/", 1)[1] if "/wp-content/uploads/" in path else path.lstrip("/")
        if not rel:
            continue
        out[rel] = url
        sizes = re.findall(r's:4:"file";s:\d+:"([^"]+)"', meta.get("_wp_attachment_metadata", ""))
        for name in sizes[1:]:  # the first "file" is the original's own path
            out.setdefault(f"{rel.rsplit('/', 1)[0]}/{name}" if "/" in rel else name, url)
    return out


def make_uploads(src: Path, folder: Path) -> dict[str, str]:
    files = attachment_files(src)
    for rel in files:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png())
    return files


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file()}


@pytest.fixture(scope="module")
def uploads(corpus_dir, tmp_path_factory) -> dict[str, tuple[Path, dict[str, str]]]:
    out = {}
    for name in SITES:
        folder = tmp_path_factory.mktemp("uploads") / "wp-content" / "uploads"
        out[name] = (folder, make_uploads(corpus_dir / "wxr" / name, folder))
        assert out[name][1], name
    return out


def _old_hosts(src: Path) -> set[str]:
    """The hosts of the export's own files and pages (attachment URLs, item links), by xml.etree."""
    hosts = set()
    for item in ET.parse(src).getroot().iter("item"):
        for tag in (f"{_wp(src)}attachment_url", "link"):
            url = (item.findtext(tag) or "").strip()
            if url:
                hosts.add(urlsplit(url).hostname)
    return hosts - {None}


# -- the HTML site -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_html_site_with_uploads_every_reference_resolves_to_a_copied_file(corpus_dir, tmp_path, capsys, name,
                                                                           uploads):
    src = corpus_dir / "wxr" / name
    folder, files = uploads[name]
    before = _digest(folder)
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", site, "--uploads", folder.parent.parent)
    assert code == 0, err
    assert _digest(folder) == before  # the backup is read, never changed
    copied = [p for p in (site / "uploads").rglob("*") if p.is_file()]
    assert copied and re.search(rf"note: copied {len(copied)} files? the posts use from ", err)
    media = checked = 0
    for page in site.rglob("*.html"):
        root = _tree(page)
        checked += check_links(site, page, root)
        for _attr, ref in references(root):
            if not urlsplit(ref).scheme and "uploads/" in ref:
                media += 1
    assert media >= len(copied) and checked > media
    # every copy is a file of the backup, byte for byte
    for p in copied:
        assert p.read_bytes() == (folder / p.relative_to(site / "uploads")).read_bytes()


@pytest.mark.parametrize("name", SITES)
def test_no_reference_to_a_copied_file_or_a_written_post_is_left_on_the_old_host(corpus_dir, tmp_path, capsys, name,
                                                                                 uploads):
    src = corpus_dir / "wxr" / name
    folder, files = uploads[name]
    site = tmp_path / "site"
    assert _run(capsys, "convert", src, "--to", "html", "-o", site, "--uploads", folder)[0] == 0
    WP = _wp(src)
    written = {(item.findtext("link") or "").strip().rstrip("/").split("://")[-1]
               for item in ET.parse(src).getroot().iter("item")
               if item.findtext(f"{WP}post_type") in ("post", "page") and item.findtext(f"{WP}status") == "publish"
               and not (item.findtext(f"{WP}post_password") or "").strip()}
    copied = {url.split("://")[-1] for url in files.values()}
    hosts = _old_hosts(src)
    seen_old = 0
    for page in _post_pages(site):
        for _attr, ref in references(_tree(page)):
            if urlsplit(ref).hostname not in hosts:
                continue
            seen_old += 1
            bare = ref.split("://")[-1].split("?")[0].split("#")[0]
            assert bare.rstrip("/") not in written, (page, ref)
            assert bare not in copied, (page, ref)
    assert seen_old < 5  # what is left: files the backup does not have, links to posts the export lacks


def test_a_file_missing_from_the_uploads_is_reported_with_its_post_and_left_as_its_url(corpus_dir, tmp_path,
                                                                                       capsys):
    src = corpus_dir / "wxr" / BLOCKS
    folder = tmp_path / "uploads"
    files = make_uploads(src, folder)
    gone = sorted(files)[0]
    (folder / gone).unlink()
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", site, "--uploads", folder, "-v")
    assert code == 0, err
    notes = [line for line in err.splitlines() if "[upload-missing]" in line]
    assert notes and all(re.search(r":\d+:\d+: info: post \d+ \('[^']+'\): \d+ files? not in --uploads ", n)
                         for n in notes)
    assert any(gone in n for n in notes)
    assert re.search(rf"note: \d+ files? the posts use (is|are) not in {re.escape(str(folder))} \(e\.g\. .*, used by "
                     r"post \d+ \('", err)
    texts = "".join(p.read_text(encoding="utf-8") for p in _post_pages(site))
    assert files[gone].split("://")[-1] in texts  # left as its URL
    assert not (site / "uploads" / gone).exists()
    # without -v: the summary line only
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "quiet", "--uploads", folder)
    assert "[upload-missing]" not in err and "not in " in err
    for flavour in FLAVOURS:  # the same notes for Markdown, and the reference left as its URL
        md = tmp_path / flavour
        code, _, err = _run(capsys, "convert", src, "--to", "markdown", "--flavor", flavour, "-o", md,
                            "--uploads", folder, "-v")
        assert code == 0 and sorted(line for line in err.splitlines() if "[upload-missing]" in line) == sorted(notes)
        texts = "".join(p.read_text(encoding="utf-8") for p in md.rglob("*") if p.suffix in (".md", ".mdx"))
        assert files[gone].split("://")[-1] in texts and not any(p.name == gone.rsplit("/", 1)[-1]
                                                                  for p in md.rglob("*"))


def test_uploads_and_media_url_combine_and_a_missing_folder_is_an_error(corpus_dir, tmp_path, capsys):
    src = corpus_dir / "wxr" / BLOCKS
    folder = tmp_path / "uploads"
    files = make_uploads(src, folder)
    gone = sorted(files)[0]
    (folder / gone).unlink()
    old = "https://wpthemetestdata.files.wordpress.com/"
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", site, "--uploads", folder,
                        "--media-url", f"{old}=https://cdn.example/")
    assert code == 0, err
    texts = "".join(p.read_text(encoding="utf-8") for p in _post_pages(site))
    assert old not in texts
    assert f"https://cdn.example/{gone}" in texts  # what the backup lacks: --media-url
    assert "../../uploads/" in texts  # what it has: the copy
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "x", "--uploads", tmp_path / "nope")
    assert code == 2 and "--uploads" in err and "no such folder" in err
    code, _, err = _run(capsys, "convert", src, "--to", "jsonl", "-o", tmp_path / "x.jsonl", "--uploads", folder)
    assert code == 2 and "--to html or markdown" in err


# -- links between posts -------------------------------------------------------------------------------


def _linking_export(src: Path, out: Path) -> tuple[Path, list[dict[str, str]]]:
    """The export with one more published post that links to every post, page and attachment in the
    spellings WordPress accepts (permalink with and without ``/``, ``http``/``https``, ``www.``, ``?p=``,
    ``?page_id=``, ``?attachment_id=``, the ``guid``)."""
    WP = _wp(src)
    items = []
    anchors = []
    for item in ET.parse(src).getroot().iter("item"):
        kind, link, pid = (item.findtext(f"{WP}post_type") or "", (item.findtext("link") or "").strip(),
                           (item.findtext(f"{WP}post_id") or "").strip())
        if kind not in ("post", "page", "attachment") or not link or not pid:
            continue
        items.append({"type": kind, "id": pid, "link": link, "status": item.findtext(f"{WP}status") or "",
                      "password": (item.findtext(f"{WP}post_password") or "").strip()})
        host = urlsplit(link).netloc
        spellings = [link, link.rstrip("/"), link.replace("https://", "http://"),
                     link.replace(f"://{host}", f"://www.{host}")]
        query = {"post": "p", "page": "page_id", "attachment": "attachment_id"}[kind]
        spellings.append(f"{urlsplit(link).scheme}://{host}/?{query}={pid}")
        guid = (item.findtext("guid") or "").strip()
        # its first address (an attachment's is its file): on an earlier domain, or its own ?p=ID (a guid of
        # the site's own host naming another ID is that post's address, not this one's)
        if kind != "attachment" and guid.startswith("http") and (
                urlsplit(guid).hostname != urlsplit(link).hostname or re.search(rf"[?&](p|page_id)={pid}$", guid)):
            spellings.append(guid)
        anchors += [f'<a href="{u}">{kind} {pid}</a>' for u in spellings]
    text = src.read_text(encoding="utf-8")
    body = "<p>" + " ".join(anchors) + "</p>"
    item = (f"<item><title>Every link</title><link>https://example.invalid/every-link/</link>"
            f"<wp:post_id>999999</wp:post_id><wp:post_date>2030-01-01 00:00:00</wp:post_date>"
            f"<wp:post_name>every-link</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")
    out.write_text(text.replace("</channel>", item + "\n</channel>", 1), encoding="utf-8")
    return out, items


def test_links_between_posts_point_at_the_new_pages_and_unwritten_ones_are_kept_and_counted(corpus_dir, tmp_path,
                                                                                           capsys):
    src, items = _linking_export(corpus_dir / "wxr" / THEME_UNIT, tmp_path / "site.xml")
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", site, "--post-type", "post,page,attachment")
    assert code == 0, err
    page = next(p for p in _post_pages(site) if p.name == "every-link.html")
    root = _tree(page)
    found = {}
    for a in root.iter(f"{NS}a"):
        if a.text and re.fullmatch(r"(post|page|attachment) \d+", a.text):
            found.setdefault(a.text, set()).add(a.get("href"))
    written = {f"{i['type']} {i['id']}" for i in items
               if not i["password"] and (i["status"] == "publish" or (i["type"] == "attachment"
                                                                      and i["status"] == "inherit"))}
    assert written and set(found) == {f"{i['type']} {i['id']}" for i in items}
    for label, hrefs in found.items():
        if label in written:
            assert len(hrefs) == 1, (label, hrefs)  # every spelling: the same new page
            (href,) = hrefs
            assert not urlsplit(href).scheme and check_links(site, page, ET.fromstring(f'<a href="{href}"/>')) == 1
        else:
            assert all(urlsplit(h).scheme for h in hrefs)  # kept as written
    unwritten = len(found) - len(written & set(found))
    m = re.search(rf"note: (\d+) links to {unwritten} posts that are not written", err)
    assert unwritten and m and int(m.group(1)) >= unwritten * 5


# -- attachment pages ----------------------------------------------------------------------------------


def test_gallery_links_go_to_generated_attachment_pages_or_else_to_the_file(corpus_dir, tmp_path, capsys, uploads):
    src = corpus_dir / "wxr" / THEME_UNIT
    folder, _ = uploads[THEME_UNIT]
    with_pages = tmp_path / "pages"
    assert _run(capsys, "convert", src, "--to", "html", "-o", with_pages, "--uploads", folder,
                "--post-type", "post,page,attachment")[0] == 0
    gallery = with_pages / "2010" / "09" / "post-format-gallery.html"
    icons = [a.get("href") for div in _tree(gallery).iter(f"{NS}div") if "gallery-icon" in div.get("class", "")
             for a in div.iter(f"{NS}a")]
    pages = [(gallery.parent / unquote(h)).resolve() for h in icons]
    attachment_pages = [p for p in pages if p.is_file() and "sc-attachment" in p.read_text(encoding="utf-8")]
    assert len(icons) >= 5 and len(attachment_pages) == len(icons), icons  # every one: its attachment's page
    for p in attachment_pages:
        root = _tree(p)
        img = next(root.iter(f"{NS}img"))
        assert check_links(with_pages, p, root) >= 2 and "uploads/" in img.get("src")
        back = [a for a in root.iter(f"{NS}a") if (p.parent / unquote(a.get("href", ""))).resolve() == gallery.resolve()]
        assert back, p  # "Attached to": the gallery's post
    without = tmp_path / "files"
    assert _run(capsys, "convert", src, "--to", "html", "-o", without, "--uploads", folder)[0] == 0
    page = without / "2010" / "09" / "post-format-gallery.html"
    icons = [ref for _, ref in references(_tree(page)) if "/uploads/" in ref]
    assert len(icons) >= 5 and all(re.search(r"\.(jpe?g|png|gif)$", r) for r in icons)
    assert check_links(without, page, _tree(page)) >= len(icons)


# -- Markdown ------------------------------------------------------------------------------------------


_LIQUID_LINK = re.compile(r"\{% link (.+?) %\}")


def _resolver(flavour: str, site: Path):
    """How the flavour's generator resolves a reference of the file ``page`` (a Markdown file)."""

    def resolve(page: Path, ref: str) -> "Path | None":
        path = unquote(urlsplit(ref).path)
        if flavour == "jekyll":
            if not path.startswith("/"):
                return None
            return site / path.lstrip("/")  # {% link x %}: a file of the site's source
        if flavour == "astro":
            if not path.startswith("/"):
                return None
            parts = path.strip("/").split("/")
            if path.startswith("/uploads/") or not path.endswith("/"):
                return site / "public" / path.lstrip("/")
            if len(parts) == 2 and parts[0] == "blog":
                return site / "src" / "content" / "blog" / (parts[1] + ".mdx")
            return site / "src" / "content" / "pages" / (path.strip("/") + ".mdx")
        if path.startswith("/"):
            return None  # the old site's own root (/wp-admin/…): not the site's
        target = (page.parent / path).resolve()
        if flavour == "hugo" and ref.endswith("/"):
            return target / "index.md"  # the page's URL: its bundle
        return target

    return resolve


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", SITES)
def test_markdown_with_uploads_every_reference_resolves_in_the_generators_layout(corpus_dir, tmp_path, capsys,
                                                                                 flavour, name, uploads):
    src, items = _linking_export(corpus_dir / "wxr" / name, tmp_path / "site.xml")
    folder, _ = uploads[name]
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "markdown", "--flavor", flavour, "-o", site,
                        "--uploads", folder)
    assert code == 0, err
    resolve = _resolver(flavour, site)
    files = [p for p in site.rglob("*") if p.suffix in (".md", ".mdx")]
    media = checked = 0
    for page in files:
        text = page.read_text(encoding="utf-8")
        assert "wpscref" not in text
        if flavour == "jekyll":
            text = _LIQUID_LINK.sub(lambda m: "/" + m.group(1).replace(" ", "%20"), text)
        root = html5lib.parse(render(text, gfm=flavour != "commonmark"), namespaceHTMLElements=False)
        checked += check_links(site, page, root, resolve)
        media += sum(1 for el in root.iter() for a in ("src", "srcset") if el.get(a) and not urlsplit(el.get(a)).scheme)
    copies = [p for p in site.rglob("*") if p.is_file() and p.suffix.lower() in (".jpg", ".jpeg", ".png", ".gif")]
    assert copies and media >= 5 and checked > media
    if flavour == "hugo":  # page resources: beside index.md
        assert all((p.parent / "index.md").is_file() for p in copies)
    if flavour == "astro" and shutil.which("node") and (JS / "node_modules" / "@mdx-js" / "mdx").is_dir():
        docs = [split_front_matter(f.read_text(encoding="utf-8"))[1] for f in files]
        out = subprocess.run([shutil.which("node"), str(JS / "compile_mdx.mjs")], input=json.dumps(docs),
                             capture_output=True, text=True, check=True, timeout=300)
        bad = [(f.name, r["error"]) for f, r in zip(files, json.loads(out.stdout)) if not r["ok"]]
        assert not bad, bad[:3]  # the links and copies written, every file still compiles
    every = next(p for p in files if "every-link" in p.name or "every-link" in p.parent.name)
    body = every.read_text(encoding="utf-8")
    written = [i for i in items if i["type"] != "attachment" and i["status"] == "publish" and not i["password"]]
    assert written and not any(i["link"] in body for i in written)


def test_a_plain_html_file_shows_its_title_once(tmp_path, capsys):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.html").write_text("<h1>Egypt &amp; Sudan</h1><p>text</p><h2>More</h2>", encoding="utf-8")
    (folder / "b.md").write_text("# Notes\n\ntext\n", encoding="utf-8")
    site = tmp_path / "site"
    assert _run(capsys, "convert", folder, "--to", "html", "-o", site)[0] == 0
    for page, title in ((site / "a.html", "Egypt & Sudan"), (site / "b.html", "Notes")):
        text = "".join(_tree(page).find(f".//{NS}main").itertext())
        assert text.count(title) == 1, (page, text)
    md = tmp_path / "md"
    assert _run(capsys, "convert", folder, "--to", "markdown", "--flavor", "commonmark", "-o", md)[0] == 0
    assert (md / "posts" / "a.md").read_text(encoding="utf-8").count("Egypt & Sudan") == 1
    assert "More" in (md / "posts" / "a.md").read_text(encoding="utf-8")
    shutil.rmtree(md)


# -- recognising the old site's URLs (properties) ------------------------------------------------------

_SEGMENT = st.text(alphabet=st.sampled_from("abcdefghij-0123456789éمص"), min_size=1, max_size=12).filter(
    lambda s: s.strip("-") == s)


@given(host=st.sampled_from(["old.example", "blog.old.example", "old-site.org"]), folder=st.sampled_from(["", "/blog"]),
       slug=_SEGMENT, pid=st.integers(1, 10**6), https=st.booleans(), www=st.booleans(), slash=st.booleans(),
       fragment=st.sampled_from(["", "#comments"]), name=_SEGMENT, ext=st.sampled_from(["jpg", "PNG", "mp3", "pdf"]))
def test_every_spelling_of_an_old_url_is_recognised(host, folder, slug, pid, https, www, slash, fragment, name, ext):
    from urllib.parse import quote

    from shortcodes.exports.post import Post
    from shortcodes.exports.site import Attachment, PostInfo, Site
    from shortcodes.jobs.outputs.links import SiteLinks

    home = f"https://{host}{folder}"
    link = f"{home}/2021/10/{quote(slug)}/"
    file = f"2021/10/{name} x.{ext}"
    site = Site(url=home, home=home, upload_url=f"{home}/wp-content/uploads",
                posts={pid: PostInfo(pid, link=link)},
                attachments={pid + 1: Attachment(pid + 1, url=f"{home}/wp-content/uploads/{quote(file)}")})
    links = SiteLinks({"a.xml": site, "b.xml": Site(url="https://other.example", home="https://other.example")})
    spelled = link.replace("https://", "https://" if https else "http://").replace(
        f"://{host}", f"://www.{host}" if www else f"://{host}")
    spelled = (spelled if slash else spelled.rstrip("/")) + fragment
    for source in ("a.xml", "b.xml"):  # from a post of the same export, or of another one
        assert links.post_target(spelled, source) == ("a.xml", pid)
        for url in (spelled, spelled.replace("://", "://ann@", 1)):  # mark()'s quick host test agrees
            assert links.post_target(url, source) == ("a.xml", pid)
            assert "wpscref" in links.mark(f'<a href="{url}">x</a>', Post(id="1", source_file=source)), url
        assert links.post_target(f"{home}/?p={pid}", source) == ("a.xml", pid)
        assert links.post_target(f"{home}/index.php?p={pid}&amp;x=1", source) == ("a.xml", pid)
        assert links.post_target(f"{home}/?p={pid + 7}", source) is None
        uploads = f"{spelled.split('/2021/')[0]}/wp-content/uploads/{quote(file)}?w=300{fragment}"
        assert links.upload_path(uploads, source) == file
    assert links.post_target(urlsplit(link).path, "a.xml") == ("a.xml", pid)  # root-relative, on its own site
    assert links.post_target(f"https://elsewhere.example/2021/10/{quote(slug)}/", "a.xml") is None
    assert links.upload_path(f"https://elsewhere.example/wp-content/uploads/{quote(file)}", "a.xml") is None


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_markdown_attachment_pages_are_written_and_linked(corpus_dir, tmp_path, capsys, flavour, uploads):
    folder, _ = uploads[THEME_UNIT]
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", corpus_dir / "wxr" / THEME_UNIT, "--to", "markdown", "--flavor", flavour,
                        "-o", site, "--uploads", folder, "--post-type", "post,page,attachment")
    assert code == 0, err
    resolve = _resolver(flavour, site)
    pages = parents = 0
    for page in (p for p in site.rglob("*") if p.suffix in (".md", ".mdx")):
        text = page.read_text(encoding="utf-8")
        if flavour == "jekyll":
            text = _LIQUID_LINK.sub(lambda m: "/" + m.group(1).replace(" ", "%20"), text)
        root = html5lib.parse(render(text, gfm=flavour != "commonmark"), namespaceHTMLElements=False)
        check_links(site, page, root, resolve)
        if 'class="sc-attachment"' in text:  # the file, and (when it has one) its post, linked (checked above)
            pages += 1
            parents += "Attached to: [" in text
    assert pages >= 30 and parents >= 20


def _one_site(tmp_path: Path, files: "list[str]"):
    from shortcodes.exports.post import Post
    from shortcodes.exports.site import Attachment, PostInfo, Site
    from shortcodes.jobs.outputs.links import HtmlLayout, SiteLinks

    for rel in files:
        (tmp_path / "up" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "up" / rel).write_bytes(png())
    base = "https://old.example/wp-content/uploads"
    site = Site(url="https://old.example", home="https://old.example", upload_url=base,
                posts={5: PostInfo(5, link="https://old.example/2021/10/hello/")},
                attachments={9: Attachment(9, parent=5, url=f"{base}/2021/10/a.jpg", attached_file="2021/10/a.jpg",
                                           metadata={"sizes": {"thumbnail": {"file": "a-150x150.jpg"}}},
                                           link="https://old.example/2021/10/hello/a/")})
    links = SiteLinks({"site.xml": site}, tmp_path / "up")
    post = Post(id="5", type="post", title="Hello", source_file="site.xml", link="https://old.example/2021/10/hello/")
    links.wrote(post, "2021/10/hello.html")
    return links, post, HtmlLayout()


def test_playlist_json_srcset_and_poster_point_at_the_copies_and_text_is_left_alone(tmp_path):
    links, post, layout = _one_site(tmp_path, ["2021/10/a.jpg", "2021/10/a-150x150.jpg", "2021/10/s.mp3"])
    html = ('<p>See https://old.example/wp-content/uploads/2021/10/a.jpg in the text.</p>'
            '<img src="https://old.example/wp-content/uploads/2021/10/a-150x150.jpg" srcset="'
            'https://old.example/wp-content/uploads/2021/10/a-150x150.jpg 150w, //old.example/wp-content/uploads/'
            '2021/10/a.jpg 1024w"><video poster="/wp-content/uploads/2021/10/a.jpg"></video>'
            '<script type="application/json" class="wp-playlist-script">{"tracks":[{"src":'
            '"https:\\/\\/old.example\\/wp-content\\/uploads\\/2021\\/10\\/s.mp3?_=1#t=5"}]}</script>'
            '<a href="https://old.example/?attachment_id=9">a</a> <a href="http://www.old.example/2021/10/hello">me</a>')
    out = links.resolve(links.mark(html, post), "2021/10/hello.html", layout)
    assert out.startswith("<p>See https://old.example/wp-content/uploads/2021/10/a.jpg in the text.</p>")
    assert 'src="../../uploads/2021/10/a-150x150.jpg"' in out
    assert 'srcset="../../uploads/2021/10/a-150x150.jpg 150w, ../../uploads/2021/10/a.jpg 1024w"' in out
    assert 'poster="../../uploads/2021/10/a.jpg"' in out
    assert '"src":"..\\/..\\/uploads\\/2021\\/10\\/s.mp3#t=5"' in out  # JSON's escaped slashes kept
    assert '<a href="../../uploads/2021/10/a.jpg">a</a>' in out  # no attachment pages: the file
    assert '<a href="hello.html">me</a>' in out
    assert sorted(links.copies) == ["uploads/2021/10/a-150x150.jpg", "uploads/2021/10/a.jpg",
                                    "uploads/2021/10/s.mp3"]


def test_a_file_that_is_not_there_or_outside_the_folder_is_missing_never_copied(tmp_path):
    links, post, layout = _one_site(tmp_path, ["2021/10/a.jpg"])
    (tmp_path / "secret.jpg").write_bytes(b"x")
    html = ('<img src="https://old.example/wp-content/uploads/2021/10/gone.jpg">'
            '<img src="https://old.example/wp-content/uploads/2021/10/../../../secret.jpg">')
    out = links.resolve(links.mark(html, post), "2021/10/hello.html", layout)
    assert out == html and not links.copies
    (note,) = links.post_notes(post)
    assert "post 5 ('Hello')" in str(note) and "2021/10/gone.jpg" in str(note) and note.kind == "upload-missing"
    assert links.post_notes(post) == []  # said once


def _adoptions(monkeypatch, to: str, *, unit_bytes: int) -> list[bool]:
    """Exports cut in units of ``unit_bytes``; the list it returns gets, for each text the ``--to`` output
    marks, whether a worker's marks were adopted (``mark_entry`` given ``marked``)."""
    from shortcodes.exports.wxr import units as wxr_units
    from shortcodes.jobs.outputs import html as html_output
    from shortcodes.jobs.outputs import markdown as md_output

    monkeypatch.setattr(wxr_units, "UNIT_BYTES", unit_bytes)
    output = md_output if to == "markdown" else html_output
    adopted: list[bool] = []
    real = output.mark_entry

    def spy(*args, **kw):
        adopted.append((args[5] if len(args) > 5 else kw.get("marked")) is not None)
        return real(*args, **kw)

    monkeypatch.setattr(output, "mark_entry", spy)
    return adopted


@pytest.mark.parametrize("to", ["html", "markdown"])
def test_texts_marked_by_the_workers_are_those_of_one_process(corpus_dir, tmp_path, capsys, uploads, monkeypatch, to):
    """With ``--jobs 2`` and an export converted by units, each worker marks the texts of its posts
    (``mark_in_worker``; for Markdown it writes their bodies too) and the parent adopts the marks: links,
    copied uploads, missing files and their notes, byte for byte those of one process."""
    src, _ = _linking_export(corpus_dir / "wxr" / THEME_UNIT, tmp_path / "site.xml")
    folder = tmp_path / "some" / "wp-content" / "uploads"
    shutil.copytree(uploads[THEME_UNIT][0], folder)
    gone = sorted(p for p in folder.rglob("*") if p.is_file())[::3]  # a third of the files: missing
    for p in gone:
        p.unlink()
    adopted = _adoptions(monkeypatch, to, unit_bytes=4000)  # the export in many units, on the workers
    trees, said = [], []
    for jobs in ("1", "2"):
        site = tmp_path / f"site-{jobs}"
        adopted.clear()
        code, _, err = _run(capsys, "convert", src, "--to", to, "-o", site, "--uploads", folder, "--jobs", jobs, "-v")
        assert code == 0, err
        trees.append({str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()})
        said.append(err)
        assert any(adopted) == (jobs == "2")  # one process marks every text itself
    assert trees[0] == trees[1] and said[0] == said[1]
    assert "not in --uploads" in said[0]  # missing files noted, in the same places
    every = next(t for n, t in trees[0].items() if "every-link" in n and n.endswith((".md", ".html"))).decode()
    assert "wpscref" not in every and ('](' in every if to == "markdown" else 'href="../' in every)


def test_relative_path_is_posixpaths():
    from shortcodes.jobs.outputs.html import relative_path

    part = st.sampled_from(["a", "b", "2021", "10", "x.html", "index.html", "é"])
    path = st.lists(part, min_size=1, max_size=4).map("/".join)

    @given(path, st.one_of(st.just("."), path))
    def same(target, start):
        assert relative_path(target, start) == posixpath.relpath(target, start)

    same()


@pytest.mark.parametrize("to", ["html", "markdown"])
def test_uploads_and_links_are_the_same_on_two_processes(corpus_dir, tmp_path, capsys, to, uploads):
    src, _ = _linking_export(corpus_dir / "wxr" / BLOCKS, tmp_path / "site.xml")
    folder, _ = uploads[BLOCKS]
    trees = []
    for jobs in ("1", "2"):
        site = tmp_path / f"site-{jobs}"
        code, _, err = _run(capsys, "convert", src, "--to", to, "-o", site, "--uploads", folder, "--jobs", jobs)
        assert code == 0, err
        trees.append({str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    assert trees[0] == trees[1] and any("uploads" in name or name.endswith(".jpg") for name in trees[0])


_LOOKALIKE_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>T</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://old.example</wp:base_site_url><wp:base_blog_url>https://old.example</wp:base_blog_url>
<item><title>About wpscref000000z tokens</title><link>https://old.example/a/</link>
<content:encoded><![CDATA[Tokens look like wpscref000000z or wpscref000001z. <a href="https://old.example/b/">B</a>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_name>a</wp:post_name><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date>2021-01-01 00:00:00</wp:post_date></item>
<item><title>B</title><link>https://old.example/b/</link>
<content:encoded><![CDATA[<a href="https://old.example/a/">A</a>, and <a href="wpscref999999z">wpscref999999z</a>]]></content:encoded>
<wp:post_id>2</wp:post_id><wp:post_name>b</wp:post_name><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date>2021-01-02 00:00:00</wp:post_date></item>
</channel></rss>
"""


@pytest.mark.parametrize("to", ["html", "markdown"])
def test_text_that_looks_like_a_token_is_kept(tmp_path, capsys, monkeypatch, to):
    # A post about this tool may write what its tokens look like: that text is the post's, not a reference
    # (before the tokens had a nonce, it was resolved as one: an IndexError that stopped the whole site).
    src = tmp_path / "site.xml"
    src.write_text(_LOOKALIKE_EXPORT, encoding="utf-8")
    adopted = _adoptions(monkeypatch, to, unit_bytes=200)  # one post a unit: --jobs 2 marks them on the workers
    trees = []
    for jobs in ("1", "2"):
        site = tmp_path / f"site-{jobs}"
        adopted.clear()
        code, _, err = _run(capsys, "convert", src, "--to", to, "-o", site, "--jobs", jobs)
        assert code == 0, err
        assert adopted == [jobs == "2"] * 2  # --jobs 2: both texts marked by the workers
        trees.append({str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*")
                      if p.is_file() and p.suffix in (".html", ".md")})
    assert trees[0] == trees[1]
    a = next(t for n, t in trees[0].items() if re.search(r"(^|/)a(\.html|\.md|/index\.md)$", n))
    b = next(t for n, t in trees[0].items() if re.search(r"(^|/)b(\.html|\.md|/index\.md)$", n))
    assert "wpscref000000z" in a and "wpscref000001z" in a and "About wpscref000000z tokens" in a
    assert "wpscref999999z" in b
    assert "old.example" not in a + b  # the real links still point at the new pages
    assert not re.search(r"wpscref[a-z]+\d+z", "".join(trees[0].values()))  # no token of the run is left


def test_a_worker_marks_with_the_writing_process_nonce():
    from shortcodes.jobs.outputs.links import MarkJob, SiteLinks

    links = SiteLinks({})
    assert links.nonce != SiteLinks({}).nonce
    job = MarkJob(links.nonce)
    assert SiteLinks({}, nonce=job.nonce).renumber(f"wpscref{links.nonce}000001z", 2) == f"wpscref{links.nonce}000003z"
    with pytest.raises(ValueError, match="ASCII letters"):
        SiteLinks({}, nonce="12")
