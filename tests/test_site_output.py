"""Whole runs over many inputs: one bad input never sinks the others, no half sites, page names, nesting."""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import html5lib
import pytest
from wxr_kit import make_wxr, write_wxr

from shortcodes.cli import main
from shortcodes.common.status import ExitStatus
from shortcodes.exports import Post, read_posts
from shortcodes.exports.wxr import read_wxr
from shortcodes.jobs.convert import Converter, ConvertOptions, convert, page_path
from shortcodes.jobs.outputs.html import MAX_NAME_BYTES
from shortcodes.jobs.writing import MANIFEST

NS = "{http://www.w3.org/1999/xhtml}"
THEME_UNIT = "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
SMALL = "WordPress__wordpress-importer__small-export.xml"
NOT_WXR = "torchbox__wagtail-wordpress-import__test.xml"  # well-formed XML, root <catalog>


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _index_links(site: Path) -> list[str]:
    """The index's links to posts' pages (not to the listing pages, category/x/index.html...)."""
    root = html5lib.HTMLParser(strict=False).parse((site / "index.html").read_text(encoding="utf-8"))
    return [h for a in root.iter(f"{NS}a") if not (h := unquote(a.get("href"))).endswith("index.html")]


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "index.html")


def _files(site: Path) -> list[str]:
    """Every page the tool wrote, the listing pages too (not the site's index)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p != site / "index.html")


def _site_pages(path: Path, recover: bool) -> "int | None":
    """How many pages a site gets from a file by default (published posts and pages, no password), or None."""
    try:
        return sum(1 for p in read_posts([path], recover=recover, on_warning=lambda w: None)
                   if p.type in ("post", "page") and p.status == "publish" and not p.password)
    except Exception:  # noqa: BLE001 - the question is only whether it can be read
        return None


def _readable(path: Path, recover: bool) -> "int | None":
    """How many posts a file gives on its own, or None when it cannot be read."""
    try:
        return len(list(read_posts([path], recover=recover, on_warning=lambda w: None)))
    except Exception:  # noqa: BLE001 - the question is only whether it can be read
        return None


# -- one bad input never sinks the others ------------------------------------------------------------


def test_inventory_of_the_whole_corpus_reports_each_unreadable_file_and_counts_the_others(corpus_dir, capsys):
    files = sorted((corpus_dir / "wxr").glob("*.xml"))
    assert len(files) == 66
    code, out, err = _run(capsys, "inventory", *files, "--format", "json", "-q")
    assert code == ExitStatus.PROBLEMS and "Traceback" not in err
    unreadable = [f for f in files if _readable(f, recover=False) is None]
    assert unreadable and (corpus_dir / "wxr" / NOT_WXR) in unreadable
    for f in unreadable:  # each named with file:line:column
        assert re.search(rf"^{re.escape(str(f))}:\d+:\d+: error: .*skipped", err, re.M), f.name
    report = json.loads(out)
    everything = sum(len(list(read_posts([f], on_warning=lambda w: None))) for f in files if f not in unreadable)
    assert report["posts"] >= everything > 0  # the readable files, plus what the others gave before their error


def test_convert_corpus_with_recover_to_html_writes_every_readable_post_and_the_index(corpus_dir, tmp_path, capsys):
    files = sorted((corpus_dir / "wxr").glob("*.xml"))
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", *files, "--recover", "--to", "html", "-o", site, "-q")
    assert code == ExitStatus.PROBLEMS and "Traceback" not in err
    assert re.search(rf"^{re.escape(str(corpus_dir / 'wxr' / NOT_WXR))}:2:1: error: not a WordPress export", err, re.M)
    expected = sum(n for f in files if (n := _site_pages(f, recover=True)) is not None)
    pages = _pages(site)
    assert len(pages) == expected > 300
    assert sorted(_index_links(site)) == pages  # the index covers what was written


def test_to_wxr_writes_the_readable_exports_and_reports_the_others(corpus_dir, tmp_path, capsys):
    good = [corpus_dir / "wxr" / THEME_UNIT, corpus_dir / "wxr" / SMALL]
    bad = [corpus_dir / "wxr" / NOT_WXR, corpus_dir / "wxr" / "WordPress__wordpress-importer__malformed.xml"]
    out = tmp_path / "out"
    code, _, err = _run(capsys, "convert", *good, *bad, "--to", "wxr", "--mode", "keep", "-o", out)
    assert code == ExitStatus.PROBLEMS
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in good)
    for src in good:
        assert (out / src.name).read_bytes() == src.read_bytes()
    for src in bad:
        assert f"{src}:" in err and "this input is skipped" in err
    assert "2 inputs not read" in err
    # with --recover the malformed one is readable, but cannot be rewritten byte for byte: said, not written
    code, _, err = _run(capsys, "convert", good[1], bad[1], "--to", "wxr", "--recover", "-o", tmp_path / "r")
    assert code == ExitStatus.PROBLEMS and "well-formed exports only" in err
    assert [p.name for p in (tmp_path / "r").iterdir()] == [good[1].name]


def test_no_input_readable_is_still_exit_2_and_writes_nothing(corpus_dir, tmp_path, capsys):
    bad = [corpus_dir / "wxr" / NOT_WXR, corpus_dir / "wxr" / "WordPress__wordpress-importer__malformed.xml"]
    code, _, err = _run(capsys, "convert", *bad, "--to", "html", "-o", tmp_path / "site")
    assert code == ExitStatus.USAGE and "none of the 2 inputs could be read" in err
    assert not (tmp_path / "site").exists() and [p.name for p in tmp_path.iterdir()] == []


# -- no half sites --------------------------------------------------------------------------------------


class Interrupt(BaseException):
    """Stands for Ctrl-C or SIGTERM arriving in the middle of a run."""


def _interrupting(after: int) -> Converter:
    conv = Converter(ConvertOptions(mode="keep", site=True, inline_styles=False))  # as --to html wants it
    real = conv.convert_post
    seen = [0]

    def convert_post(post: Post):
        seen[0] += 1
        if seen[0] > after:
            raise Interrupt()
        return real(post)

    conv.convert_post = convert_post  # type: ignore[method-assign]
    return conv


def test_an_interrupted_run_leaves_the_previous_site(corpus_dir, tmp_path):
    src = corpus_dir / "wxr" / THEME_UNIT
    site = tmp_path / "site"
    convert([src], site, to="html", options=ConvertOptions(mode="keep"))
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    with pytest.raises(Interrupt):
        convert([src], site, to="html", converter=_interrupting(after=100))
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left
    # a first run interrupted leaves no site at all
    with pytest.raises(Interrupt):
        convert([src], tmp_path / "new", to="html", converter=_interrupting(after=100))
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_stale_pages_from_an_earlier_run_are_named_and_clean_removes_only_them(corpus_dir, tmp_path, capsys):
    site = tmp_path / "site"
    big, small = corpus_dir / "wxr" / THEME_UNIT, corpus_dir / "wxr" / SMALL
    assert _run(capsys, "convert", big, "--to", "html", "-o", site, "-q")[0] == 0
    first = _files(site)
    (site / "extra").mkdir()
    (site / "extra" / "logo.txt").write_text("the user's own file", encoding="utf-8")
    code, _, err = _run(capsys, "convert", small, "--to", "html", "-o", site)
    root = html5lib.HTMLParser(strict=False).parse((site / "index.html").read_text(encoding="utf-8"))
    second = {unquote(a.get("href")) for a in root.iter(f"{NS}a")}  # the pages and listing pages it wrote
    stale = sorted(set(first) - second)
    assert code == 0 and stale
    assert f"note: {site}/ holds {len(stale)} pages from an earlier run that this run did not write (e.g. " \
           f"{stale[0]}); kept, and not in index.html: --clean removes them" in err
    assert set(_files(site)) == set(first) | second  # nothing was lost
    (site / stale[0]).write_text("edited by hand", encoding="utf-8")  # no longer what the tool wrote
    code, _, err = _run(capsys, "convert", small, "--to", "html", "-o", site, "--clean")
    assert code == 0 and "--clean removed" in err
    assert set(_files(site)) == second | {stale[0]}  # ours removed; the edited page kept
    assert (site / "extra" / "logo.txt").read_text(encoding="utf-8") == "the user's own file"
    assert "never touched" in err
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == second | {"index.html"}


def test_a_rerun_into_the_same_folder_replaces_it_in_one_step(corpus_dir, tmp_path, capsys):
    site = tmp_path / "site"
    src = corpus_dir / "wxr" / SMALL
    for _ in range(2):
        assert _run(capsys, "convert", src, "--to", "html", "-o", site, "-q")[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert sorted(_index_links(site)) == _pages(site)


# -- page names -----------------------------------------------------------------------------------------


def test_long_cjk_titles_and_slugs_get_names_within_the_byte_limit(tmp_path, capsys):
    title = "新型冠状病毒疫情最新数据" * 7  # 84 characters, 252 bytes of UTF-8
    src = write_wxr(tmp_path / "cjk.xml", [{"id": i, "title": f"{title}{i}", "date": "2021-10-10 00:00:00",
                                            "slug": title if i % 2 else "", "content": "[gallery]"}
                                           for i in range(1, 5)])
    site = tmp_path / "site"
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", site)
    assert code == 0, err
    pages = _pages(site)
    assert len(pages) == 4 and len({p.lower() for p in pages}) == 4
    assert all(len(Path(p).name.encode("utf-8")) <= MAX_NAME_BYTES for p in pages)
    used: set[str] = set()
    long = Post(id="9", slug="あ" * 200, date="2021-10-10")
    names = [page_path(long, used) for _ in range(3)]
    assert len(set(names)) == 3 and all(len(n.rsplit("/", 1)[1].encode()) <= MAX_NAME_BYTES for n in names)


# -- inputs and outputs do not nest ---------------------------------------------------------------------


def test_an_output_inside_an_input_folder_is_refused(tmp_path, capsys):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.html").write_text("<p>[gallery]</p>", encoding="utf-8")
    for out, to in ((posts, "html"), (posts / "site", "html"), (posts / "all.jsonl", "jsonl")):
        code, _, err = _run(capsys, "convert", posts, "--to", to, "-o", out)
        assert code == ExitStatus.USAGE and "inside the input folder" in err, out
    assert sorted(p.name for p in posts.iterdir()) == ["a.html"]


def test_an_input_inside_the_output_folder_is_refused(tmp_path, capsys, corpus_dir):
    site = tmp_path / "site"
    site.mkdir()
    src = site / "export.xml"
    shutil.copy(corpus_dir / "wxr" / SMALL, src)
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", site)
    assert code == ExitStatus.USAGE and "holds the input" in err
    assert sorted(p.name for p in site.iterdir()) == ["export.xml"]


# -- --in-place --------------------------------------------------------------------------------------------


def _seed_export(tmp_path: Path, seed_text: str, name: str = "site.xml") -> Path:
    body = make_wxr([{"id": 10, "title": "Hasakah", "content": seed_text}])
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(body.encode("utf-8")))
    else:
        path.write_text(body, encoding="utf-8")
    return path


def test_in_place_on_a_gz_export_writes_gzip(seed_text, tmp_path, capsys):
    src = _seed_export(tmp_path, seed_text, "site.xml.gz")
    before = src.read_bytes()
    code, _, err = _run(capsys, "convert", src, "--to", "wxr", "--mode", "normalize", "--in-place")
    assert code == 0, err
    assert src.read_bytes()[:2] == b"\x1f\x8b"  # gzip, as the name says
    (post,) = list(read_wxr(src))
    assert 'region="EG"' in post.content
    assert Path(f"{src}.bak").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_in_place_never_replaces_an_existing_backup(seed_text, tmp_path, capsys):
    src = _seed_export(tmp_path, seed_text)
    original = src.read_bytes()
    assert _run(capsys, "convert", src, "--to", "wxr", "--mode", "normalize", "--in-place", "-q")[0] == 0
    normalized = src.read_bytes()
    assert Path(f"{src}.bak").read_bytes() == original
    code, _, err = _run(capsys, "convert", src, "--to", "wxr", "--mode", "render", "--in-place")
    assert code == 0 and f"backups: {src}.bak.1" in err
    assert Path(f"{src}.bak").read_bytes() == original  # the first backup is kept
    assert Path(f"{src}.bak.1").read_bytes() == normalized
    assert '<section class="sc-covid-card' in list(read_wxr(src))[0].content


def test_a_post_whose_new_text_xml_cannot_hold_fails_alone(tmp_path, capsys):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "echo.html").write_text("{{ attrs.v }}", encoding="utf-8")
    items = [("1", "before"), ("2", r'[echo v="bell\x07"]'), ("3", "[echo v=ok] after")]
    src = write_wxr(tmp_path / "echo.xml", [{"id": i, "content": text} for i, text in items])
    out = tmp_path / "out.xml"
    code, _, err = _run(capsys, "convert", src, "--to", "wxr", "--templates", templates, "-o", out)
    assert code == ExitStatus.PROBLEMS and "Traceback" not in err
    assert re.search(r"error: post 2 \('p2'\): not converted \(the new content holds U\+0007, which XML 1\.0 "
                     r"cannot hold\); written through unchanged", err), err
    posts = {p.id: p.content for p in read_wxr(out)}
    assert posts == {"1": "before", "2": r'[echo v="bell\x07"]', "3": "ok after"}
    # the other outputs hold it as the renderer wrote it
    code, _, _ = _run(capsys, "convert", src, "--to", "jsonl", "--templates", templates, "-o", tmp_path / "o.jsonl")
    assert code == 0 and "bell\\u0007" in (tmp_path / "o.jsonl").read_text(encoding="utf-8")
    assert os.path.exists(out)


def test_a_bad_file_inside_a_folder_is_skipped_and_the_folder_read(tmp_path: Path) -> None:
    """One bad input never sinks the others, inside a folder too (each file on its own)."""
    import json

    from shortcodes.cli import main

    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.txt").write_text("[x]one", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"caf\xe9")          # not UTF-8
    (folder / "c.txt").write_text("three", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["convert", str(folder), "--to", "jsonl", "-o", str(out), "-q"]) == 1
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["a.txt", "c.txt"]
