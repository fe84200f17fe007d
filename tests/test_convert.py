"""shortcodes convert: real exports in, byte-exact or rendered out; errors placed in the file."""
from __future__ import annotations

import csv
import dataclasses
import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path
from urllib.parse import unquote

import html5lib
import pytest
from hostile_xml import BILLION_LAUGHS, EXTERNAL_ENTITY
from hypothesis import given, settings
from hypothesis import strategies as st
from wxr_kit import make_wxr as _wxr

from shortcodes import parse
from shortcodes.cards import format_number
from shortcodes.cli import main
from shortcodes.exports import Post, read_posts
from shortcodes.exports.wxr import read_wxr
from shortcodes.jobs.convert import Converter, ConvertOptions, convert, convert_posts, page_path

NS = "{http://www.w3.org/1999/xhtml}"
CARD_REGIONS = ["EG", "AE", "PS", None]
SAFE = "torchbox__wagtail-wordpress-import__test.xml"  # well-formed, but its root is <catalog>: not an export


# -- helpers ---------------------------------------------------------------------------------------


def _well_formed(corpus_dir: Path) -> list[Path]:
    """The files SOURCES.md marks well-formed (expat), from its wxr/ table."""
    text = (corpus_dir / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## wxr/", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and not line.startswith("| file") and len(cells) > 8 and cells[8] == "ok":
            names.append(cells[0])
    assert len(names) > 40
    return [corpus_dir / "wxr" / n for n in names if n != SAFE]


@pytest.fixture
def seed_wxr(tmp_path, seed_text) -> Path:
    path = tmp_path / "in" / "hasakah.xml"
    path.parent.mkdir()
    path.write_text(_wxr([
        {"id": 10, "title": "المرصد السوري <b>&</b>", "date": "2021-10-10 09:00:00", "slug": "hasakah",
         "content": seed_text},
        {"id": 11, "title": "Same article, earlier", "date": "2020-06-01 10:00:00", "slug": "hasakah",
         "content": seed_text},
        {"id": 12, "title": "No cards", "date": "2021-10-11 10:00:00", "slug": "plain", "type": "page",
         "content": "Just [gallery] and [1].", "status": "draft"},
    ]), encoding="utf-8")
    return path


def _cards(page: str) -> list[dict]:
    """Each card of a page: region, and per row the number shown and its machine value."""
    root = html5lib.HTMLParser(strict=False).parse(page)
    out = []
    for sec in root.iter(f"{NS}section"):
        if "sc-covid-card" not in sec.get("class", "").split():
            continue
        rows = {}
        for div in sec.iter(f"{NS}div"):
            keys = [c.split("--", 1)[1] for c in div.get("class", "").split() if c.startswith("sc-covid-card__row--")]
            data = div.find(f".//{NS}data")
            if keys and data is not None:
                rows[keys[0]] = ("".join(data.itertext()), data.get("value"))
        time = sec.find(f".//{NS}time")
        out.append({"region": sec.get("data-region"), "rows": rows,
                    "date": None if time is None else time.get("datetime")})
    return out


def _csv_figures(covid_data_dir: Path, code: "str | None", day: str) -> tuple[int, int]:
    """(confirmed, deaths) for a region and day, straight from the shared CSVs."""
    if code is None:
        path, name = covid_data_dir / "worldwide-aggregate.csv", None
    else:
        with (covid_data_dir / "countries.csv").open(encoding="utf-8") as f:
            name = {r["iso2"]: r["country"] for r in csv.DictReader(f)}[code]
        path = covid_data_dir / "countries-aggregated.csv"
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Date"] == day and (name is None or row["Country"] == name):
                return int(row["Confirmed"]), int(row["Deaths"])
    raise AssertionError(f"no row for {code} on {day}")


_QUOTES = re.compile(r"[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033\u00ab\u00bb\u2039\u203a]"
                     r"|&#(?:34|39|8216|8217|8218|8219|8220|8221|8222|8242|8243|171|187);"
                     r"|&(?:quot|apos|lsquo|rsquo|ldquo|rdquo|prime|Prime|laquo|raquo|bdquo|sbquo);")


def _unquoted(text: str) -> str:
    return _QUOTES.sub("", text)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["convert", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


# -- byte-exact on the corpus ------------------------------------------------------------------------


def test_keep_to_wxr_reproduces_every_well_formed_corpus_file(corpus_dir, tmp_path):
    for src in _well_formed(corpus_dir):
        out = tmp_path / src.name
        report = convert([src], out, to="wxr", options=ConvertOptions(mode="keep", all_tags=True))
        assert out.read_bytes() == src.read_bytes(), src.name
        assert report.posts_changed == 0 and report.posts_written == report.posts_read


def test_keep_through_the_command_line(corpus_dir, tmp_path, capsys):
    src = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    code, out, err = _run(capsys, src, "--mode", "keep", "-o", tmp_path / "out.xml")
    assert code == 0 and out == ""
    assert (tmp_path / "out.xml").read_bytes() == src.read_bytes()
    assert "posts: 186 read, 186 converted, 186 written, 0 changed, 0 failed" in err  # the summary


def test_normalize_changes_only_quotes_and_nothing_but_content(corpus_dir, seed_text, tmp_path):
    # The real exports (no damage in them), plus an export made of the real damaged posts of the corpus.
    damaged = [seed_text] + [p.read_text(encoding="utf-8") for p in sorted((corpus_dir / "posts").iterdir())
                             if p.suffix in (".txt", ".md", ".html")]
    made = tmp_path / "damaged.xml"
    made.write_text(_wxr([{"id": i + 1, "title": f"p{i}", "date": "2021-01-01 00:00:00", "content": text,
                           "excerpt": text[:300]} for i, text in enumerate(damaged)]), encoding="utf-8")
    changed = 0
    for src in [*_well_formed(corpus_dir), made]:
        out = tmp_path / ("n-" + src.name)
        convert([src], out, to="wxr", options=ConvertOptions(mode="normalize", all_tags=True))
        before = list(read_wxr(src, on_warning=lambda w: None))
        after = list(read_wxr(out, on_warning=lambda w: None))
        assert len(before) == len(after)
        for old, new in zip(before, after):
            assert dataclasses.replace(new, content=old.content, excerpt=old.excerpt) == old
            for a, b in ((old.content, new.content), (old.excerpt, new.excerpt)):
                assert _unquoted(a) == _unquoted(b), (src.name, old.id)
                if a != b:
                    changed += 1
                    # WordPress (strict parsing) now reads what the recovery read from the damaged text
                    was = [(s.name, dict(s.attrs)) for s in parse(a).shortcodes]
                    assert [(s.name, dict(s.attrs)) for s in parse(b, strict=True).shortcodes] == was
    assert changed >= 5  # the seed and the corpus's texturized posts


# -- rendering ----------------------------------------------------------------------------------------


def test_cards_show_the_figures_of_the_post_date(seed_wxr, covid_data_dir, tmp_path, capsys):
    site = tmp_path / "site"
    code, _, err = _run(capsys, seed_wxr, "--to", "html", "--as-of", "post-date", "-o", site)
    assert code == 0, err
    for rel, day in (("2021/10/hasakah.html", "2021-10-10"), ("2020/06/hasakah.html", "2020-06-01")):
        cards = _cards((site / rel).read_text(encoding="utf-8"))
        assert [c["region"] for c in cards] == CARD_REGIONS
        for c, code_ in zip(cards, CARD_REGIONS):
            confirmed, deaths = _csv_figures(covid_data_dir, code_, day)
            # the card is Arabic (Arabic labels, no locale): formatted as the card formats it
            assert c["rows"]["confirmed"] == (format_number(confirmed, "ar"), str(confirmed))
            assert c["rows"]["deaths"] == (format_number(deaths, "ar"), str(deaths))
            assert c["date"] == day
    page = (site / "2021/10/hasakah.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('data-sc-style="covid19-ultimate-card.css"') == 1 and "<p>" in page  # autop by default
    assert "[covid19-ultimate-card region" not in page


def test_rest_json_rendered_content_gives_the_same_cards(wp, seed_text, seed_wxr, tmp_path, capsys):
    straight = seed_text.replace("\u201d", '"').replace("\u2033", '"')
    assert "\u201d" not in straight
    # what WordPress's content.rendered holds when the card's plugin is not active
    (texturized,) = wp.wptexturize([straight])
    assert texturized != straight and '="' not in texturized
    rest = tmp_path / "posts.json"
    rest.write_text(json.dumps([{"id": 77, "date": "2021-10-10T09:00:00", "slug": "hasakah", "type": "post",
                                 "status": "publish", "title": {"rendered": "Hasakah"},
                                 "content": {"rendered": texturized, "protected": False}}]), encoding="utf-8")
    code, _, err = _run(capsys, rest, "--to", "html", "--as-of", "post-date", "-o", tmp_path / "rest")
    assert code == 0, err
    code, _, err = _run(capsys, seed_wxr, "--to", "html", "--as-of", "post-date", "-o", tmp_path / "wxr")
    from_rest = _cards((tmp_path / "rest/2021/10/hasakah.html").read_text(encoding="utf-8"))
    from_wxr = _cards((tmp_path / "wxr/2021/10/hasakah.html").read_text(encoding="utf-8"))
    assert len(from_rest) == 4 and from_rest == from_wxr


def test_index_lists_every_page_newest_first_with_escaped_titles_and_relative_links(seed_wxr, tmp_path, capsys):
    site = tmp_path / "site"
    assert _run(capsys, seed_wxr, "--to", "html", "-o", site, "--status", "any")[0] == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<b>" not in index and "&lt;b&gt;&amp;&lt;/b&gt;" in index
    root = html5lib.HTMLParser(strict=False).parse(index)
    links = [(a.get("href"), "".join(a.itertext())) for a in root.iter(f"{NS}a")]
    posts = [(h, t) for h, t in links if not h.endswith("index.html")]
    assert [t for _, t in posts] == ["No cards", "المرصد السوري <b>&</b>", "Same article, earlier"]
    assert [t for h, t in links if h.endswith("index.html")] == ["2021", "2020"]  # the year listings
    for href, _ in links:
        assert not href.startswith(("/", "http")) and (site / unquote(href)).is_file()
    assert posts[0][0] == "2021/10/plain.html"


def test_jsonl_records_and_filters(seed_wxr, tmp_path, capsys):
    out = tmp_path / "posts.jsonl"
    code, _, err = _run(capsys, seed_wxr, "--to", "jsonl", "-o", out, "--status", "publish", "--as-of", "2021-10-10")
    assert code == 0, err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["10", "11"]  # the draft is filtered out
    first = records[0]
    assert {"id", "type", "status", "title", "slug", "date", "link", "content", "diagnostics"} <= set(first)
    assert first["counts"] == {"covid19-ultimate-card": {"rendered": 4}} and first["changed"]
    assert records[0]["content"] == records[1]["content"]  # one date for both
    (note, *_) = first["diagnostics"]
    lines = seed_wxr.read_text(encoding="utf-8").splitlines()
    assert note["kind"] == "quotes-recovered"
    assert lines[note["line"] - 1][: note["column"] - 1].endswith("[covid19-ultimate-card")
    code, _, _ = _run(capsys, seed_wxr, "--to", "jsonl", "-o", out, "--post-type", "page", "--mode", "strip",
                      "--tags", "gallery")
    (page,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert page["content"] == "Just  and [1]." and page["counts"] == {"gallery": {"stripped": 1}}


def test_strip_is_wordpress_strip_shortcodes(wp, corpus_dir):
    tags = ["gallery", "caption", "audio", "video", "embed"]
    posts = [p for p in read_posts(corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml")
             if "[" in p.content]
    got = [r.content for _, r in convert_posts(posts, ConvertOptions(mode="strip", tags=tuple(tags)))]
    assert got == wp.strip_shortcodes([p.content for p in posts], tags)
    assert sum(a != b.content for a, b in zip(got, posts)) >= 7


# -- failures ----------------------------------------------------------------------------------------


@pytest.fixture
def boom(tmp_path) -> tuple[Path, Path]:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "boom.html").write_text("<b>{{ 1 // (attrs.x | int - 1) }}</b>", encoding="utf-8")
    src = tmp_path / "boom.xml"
    src.write_text(_wxr([{"id": 5, "title": "Boom", "date": "2021-01-01 00:00:00",
                          "content": "Line one\n  [boom x=2] fine\n  [boom x=1] breaks"}]), encoding="utf-8")
    return src, templates


def _place(path: Path, needle: str) -> str:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return f"{path}:{n}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def test_a_failing_tag_is_kept_and_placed_in_the_export(boom, tmp_path, capsys):
    src, templates = boom
    out = tmp_path / "out.jsonl"
    code, _, err = _run(capsys, src, "--to", "jsonl", "-o", out, "--templates", templates)
    assert code == 1 and "Traceback" not in err
    assert f"{_place(src, '[boom x=1]')}: error: post 5 ('Boom'): [boom] not rendered" in err
    (rec,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rec["content"] == "Line one\n  <b>1</b> fine\n  [boom x=1] breaks"
    assert rec["counts"] == {"boom": {"rendered": 1, "failed": 1}}


def test_a_failing_post_is_written_through_unchanged(boom, tmp_path, capsys):
    src, templates = boom
    out = tmp_path / "out.xml"
    code, _, err = _run(capsys, src, "--to", "wxr", "-o", out, "--templates", templates, "--strict")
    assert code == 1
    assert out.read_bytes() == src.read_bytes()
    assert f"{_place(src, '[boom x=1]')}: error: post 5 ('Boom'): not converted" in err
    assert "1 post written through unchanged" in err


def test_a_post_without_a_date_uses_the_latest_figures_and_says_so(tmp_path):
    conv = Converter(ConvertOptions(as_of="post-date"))
    res = conv.convert_post(Post(id="3", date="0000-00-00 00:00:00", content="[covid19-ultimate-card]",
                                 source_file="x.xml", source_line=7, content_anchors=((0, 9, 30),)))
    assert [(p.kind, p.line) for p in res.problems] == [("no-post-date", 7)]
    assert res.counts["covid19-ultimate-card"]["rendered"] == 1


# -- inputs that cannot be used -----------------------------------------------------------------------


@pytest.mark.parametrize("name, line_col", [("malformed", "90:3"), ("malformed-simple", "14:1"),
                                            ("crazy-cdata", "18:72")])
def test_malformed_exports(corpus_dir, tmp_path, capsys, name, line_col):
    src = corpus_dir / "wxr" / f"WordPress__wordpress-importer__{name}.xml"
    out = tmp_path / "out.jsonl"
    code, _, err = _run(capsys, src, "--to", "jsonl", "-o", out)
    assert code == 2 and not out.exists()
    assert err.startswith(f"shortcodes: error: {src}:{line_col}: malformed XML") and "--recover" in err
    assert "Traceback" not in err
    code, _, err = _run(capsys, src, "--to", "jsonl", "-o", out, "--recover")
    assert code == 1 and "tolerant scanner" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(list(read_wxr(src, recover=True,
                                                                                  on_warning=lambda w: None)))
    code, _, err = _run(capsys, src, "--to", "wxr", "-o", tmp_path / "o.xml", "--recover")
    assert code == 2 and "well-formed exports only" in err and not (tmp_path / "o.xml").exists()


@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
@pytest.mark.parametrize("recover", [False, True])
def test_entity_tricks_are_refused(tmp_path, capsys, doc, recover):
    src = tmp_path / "evil.xml"
    src.write_text(doc, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, err = _run(capsys, src, "--to", "jsonl", "-o", out, *(["--recover"] if recover else []))
    assert code == 2 and not out.exists()
    assert err.startswith(f"shortcodes: error: {src}:2:1: refusing the DOCTYPE declaration")


@pytest.mark.parametrize("argv, message", [
    (["--as-of", "yesterday"], "--as-of 'yesterday'"),
    (["--jobs", "0"], "--jobs 0"),
    (["--in-place", "--to", "jsonl"], "--in-place works only with --to wxr"),
    (["--to", "wxr"], "no output"),
    (["--locale", "xx-notalocale", "-o", "OUT"], "locale"),
])
def test_bad_arguments_exit_2(seed_wxr, tmp_path, capsys, argv, message):
    argv = [str(tmp_path / "o") if a == "OUT" else a for a in argv]
    code, _, err = _run(capsys, seed_wxr, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_to_wxr_needs_exports(seed_wxr, tmp_path, capsys):
    txt = tmp_path / "a.txt"
    txt.write_text("[gallery]", encoding="utf-8")
    code, _, err = _run(capsys, txt, "--to", "wxr", "-o", tmp_path / "o.xml")
    assert code == 2 and "needs WordPress exports" in err


# -- outputs -------------------------------------------------------------------------------------------


def test_overwrite_guard_within_a_missing_folder_checks_nothing(tmp_path):
    """A site folder that does not exist yet holds no input: the guard with ``within`` answers as the
    full check does (no output refused) without looking; an existing folder is checked as before."""
    from shortcodes.common.errors import InputError
    from shortcodes.common.fileio import OverwriteGuard, refuse_overwrite

    src = tmp_path / "in.html"
    src.write_text("x", encoding="utf-8")
    site = tmp_path / "site"
    guard = OverwriteGuard([src], within=site)
    assert guard.nothing_there
    for rel in ("a.md", "content/posts/x/index.md", "in.html"):
        guard(site / rel)
        refuse_overwrite(site / rel, [src])  # the full check agrees
    site.mkdir()
    (site / "b.md").hardlink_to(src)
    guard = OverwriteGuard([src], within=site)
    assert not guard.nothing_there
    with pytest.raises(InputError):
        guard(site / "b.md")
    assert not OverwriteGuard([tmp_path / "missing.html"], within=tmp_path / "nowhere").nothing_there


def test_refuses_to_write_over_inputs(seed_wxr, tmp_path, capsys):
    before = seed_wxr.read_bytes()
    code, _, err = _run(capsys, seed_wxr, "--to", "wxr", "-o", seed_wxr)
    assert code == 2 and "refusing to write over an input" in err and seed_wxr.read_bytes() == before
    code, _, err = _run(capsys, seed_wxr, "--to", "wxr", "-o", seed_wxr.parent)  # a folder: same name inside
    assert code == 2 and seed_wxr.read_bytes() == before
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.html").write_text("<p>[gallery]</p>", encoding="utf-8")
    code, _, err = _run(capsys, posts, "--to", "html", "-o", posts)
    assert code == 2 and (posts / "a.html").read_text(encoding="utf-8") == "<p>[gallery]</p>"


def test_outputs_are_atomic(seed_wxr, tmp_path, capsys):
    # An export that breaks after two complete items: the old output stays, no temporary file is left.
    data = seed_wxr.read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(data[: data.rindex("<item>") + 30], encoding="utf-8")
    for to, name in (("jsonl", "out.jsonl"), ("wxr", "out.xml")):
        out = tmp_path / "out" / name
        out.parent.mkdir(exist_ok=True)
        out.write_text("old", encoding="utf-8")
        code, _, err = _run(capsys, broken, "--to", to, "-o", out)
        assert code == 2 and "malformed XML" in err
        assert out.read_text(encoding="utf-8") == "old"
        assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_in_place_keeps_a_backup_of_each_changed_file(seed_wxr, corpus_dir, tmp_path, capsys):
    other = tmp_path / "in" / "untouched.xml"
    shutil.copy(corpus_dir / "wxr" / "WordPress__wordpress-importer__small-export.xml", other)
    seed_before, other_before = seed_wxr.read_bytes(), other.read_bytes()
    code, _, err = _run(capsys, seed_wxr, other, "--to", "wxr", "--mode", "normalize", "--in-place",
                        "--backup-suffix", ".orig")
    assert code == 0, err
    assert Path(str(seed_wxr) + ".orig").read_bytes() == seed_before
    assert not Path(str(other) + ".orig").exists() and other.read_bytes() == other_before
    after = list(read_wxr(seed_wxr))
    assert "[covid19-ultimate-card region=\"EG\"" in after[0].content
    assert sorted(p.name for p in seed_wxr.parent.iterdir()) == ["hasakah.xml", "hasakah.xml.orig", "untouched.xml"]
    # a second run changes nothing, so the backup of the first run stays as it was
    assert _run(capsys, seed_wxr, "--to", "wxr", "--mode", "normalize", "--in-place", "--backup-suffix",
                ".orig")[0] == 0
    assert Path(str(seed_wxr) + ".orig").read_bytes() == seed_before
    code, _, err = _run(capsys, seed_wxr, "--to", "wxr", "--in-place", "-o", tmp_path / "x.xml")
    assert code == 2 and "exclude each other" in err


def test_jobs_2_gives_the_same_output_as_jobs_1(seed_wxr, corpus_dir, tmp_path, capsys):
    inputs = [seed_wxr, corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"]
    for to, suffix in (("jsonl", ".jsonl"), ("wxr", "")):
        outs = []
        for jobs in ("1", "2"):
            out = tmp_path / f"j{jobs}{suffix}"
            code, _, err = _run(capsys, *inputs, "--to", to, "-o", out, "--jobs", jobs, "--all-tags",
                                "--unknown", "comment", "--as-of", "post-date")
            assert code == 0, err
            outs.append(out)
        if to == "jsonl":
            assert outs[0].read_bytes() == outs[1].read_bytes()
            assert len(outs[0].read_text(encoding="utf-8").splitlines()) == 3 + 186
        else:
            for name in (seed_wxr.name, inputs[1].name):
                assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
                assert (outs[0] / name).read_bytes() != inputs[0 if name == seed_wxr.name else 1].read_bytes()


# -- progress ------------------------------------------------------------------------------------------


def _cmd(*argv) -> list[str]:
    return [sys.executable, "-m", "shortcodes", "convert", *map(str, argv)]


def test_no_progress_bar_when_stderr_is_not_a_terminal(seed_wxr, tmp_path):
    proc = subprocess.run(_cmd(seed_wxr, "--to", "jsonl", "-o", tmp_path / "o.jsonl"), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0
    assert "\r" not in proc.stderr and "post/s" not in proc.stderr
    # the summary (after the warnings: the seed's [gallery] has no attachments in its export)
    assert any(line.startswith("posts: 3 read") for line in proc.stderr.splitlines())
    quiet = subprocess.run(_cmd(seed_wxr, "--to", "jsonl", "-o", tmp_path / "o.jsonl", "-q"), capture_output=True,
                           text=True, timeout=120)
    assert quiet.returncode == 0 and all(": warning: " in line for line in quiet.stderr.splitlines())  # -q: no summary


def _tty_stderr(argv: list[str]) -> str:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal has a width
    try:
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=slave, timeout=120)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(seed_wxr, tmp_path):
    shown = _tty_stderr(_cmd(seed_wxr, "--to", "jsonl", "-o", tmp_path / "o.jsonl"))
    assert "post/s" in shown and re.search(r"\d/3 \[", shown)
    assert "post/s" not in _tty_stderr(_cmd(seed_wxr, "--to", "jsonl", "-o", tmp_path / "o.jsonl", "-q"))


# -- page paths ----------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.lists(st.builds(Post, id=st.text(max_size=12), slug=st.text(max_size=30), title=st.text(max_size=30),
                          date=st.text(max_size=19) | st.just("2021-10-10 09:00:00"),
                          fmt=st.sampled_from(["wxr", "rest", "html"])), max_size=6))
def test_page_paths_stay_inside_the_site_and_are_unique(posts):
    used = {"index.html"}
    paths = [page_path(p, used) for p in posts]
    assert len({p.lower() for p in paths} | {"index.html"}) == len(paths) + 1
    for path in paths:
        parts = path.split("/")
        assert path.endswith(".html") and not path.startswith("/") and "\\" not in path
        assert all(part not in ("", ".", "..") and "\x00" not in part for part in parts)
