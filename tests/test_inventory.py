"""shortcodes inventory: counts from parsing, checked against independent counts of real exports."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortcodes import strategies as sst
from shortcodes.cli import main
from shortcodes.exports import Post
from shortcodes.jobs.inventory import (
    PLUGIN_PREFIXES,
    WORDPRESS_TAGS,
    Inventory,
    TagEvidence,
    inventory,
    shortcode_reason,
)

THEME_UNIT = "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
# A fixed list, independent of the module under test.
CORE = ("gallery", "caption", "audio", "video", "embed", "playlist")


def _independent_counts(path) -> tuple[dict[str, int], dict[str, int], int]:
    """(occurrences, posts) per core tag by regex over the bodies a plain xml.etree parse gives."""
    root = ET.parse(path).getroot()
    uses = dict.fromkeys(CORE, 0)
    posts = dict.fromkeys(CORE, 0)
    simple_boat = 0
    rx = re.compile(r"\[(" + "|".join(CORE) + r")(?=[\s\]/])")
    for item in root.iter("item"):
        bodies = [el.text or "" for el in item if el.tag.endswith("}encoded")]
        seen = set()
        for body in bodies:
            for m in rx.finditer(body):
                uses[m.group(1)] += 1
                seen.add(m.group(1))
            simple_boat += body.count("[simple boat]")
        for tag in seen:
            posts[tag] += 1
    return uses, posts, simple_boat


def test_theme_unit_test_data_agrees_with_an_independent_count(corpus_dir, capsys):
    path = corpus_dir / "wxr" / THEME_UNIT
    uses, posts, simple_boat = _independent_counts(path)
    assert (uses["gallery"], uses["caption"], uses["audio"], simple_boat) == (12, 12, 1, 1)  # SOURCES.md too
    assert main(["inventory", str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = {t["name"]: t for t in report["shortcodes"]}
    for tag in CORE:
        if uses[tag]:
            assert found[tag]["occurrences"] == uses[tag], tag
            assert found[tag]["posts"] == posts[tag], tag
            assert found[tag]["wordpress"] and found[tag]["reason"] == "WordPress core"
        else:
            assert tag not in found
    assert set(found) == {t for t in CORE if uses[t]}  # nothing else counts as a shortcode here
    prose = {t["name"]: t for t in report["bracketed_text"]}
    assert prose["simple"]["samples"] == ["[simple boat]"] and prose["simple"]["occurrences"] == 1
    assert report["posts"] == len(ET.parse(path).getroot().findall("./channel/item"))
    # attribute names with counts, example ids that are real posts, places inside the file
    gallery = found["gallery"]
    assert gallery["attributes"]["columns"] >= 1 and sum(gallery["attributes"].values()) >= gallery["named"]
    lines = path.read_text(encoding="utf-8").splitlines()
    for place in found["caption"]["places"]:
        file, line, col = place.rsplit(":", 2)
        assert file == str(path) and lines[int(line) - 1][int(col) - 1:].startswith("[caption")
    assert found["caption"]["enclosing"] == 12 and found["caption"]["supported"] is True  # the media plugin renders it


def test_table_and_csv_formats(corpus_dir, capsys):
    path = corpus_dir / "wxr" / THEME_UNIT
    assert main(["inventory", str(path)]) == 0
    table = capsys.readouterr().out
    assert "Shortcodes:" in table and "Bracketed text (not shortcodes):" in table
    assert re.search(r"^\s+gallery\s+12\s+3\s+0\s+yes\s", table, re.M)  # the media plugin renders it
    assert "[simple boat]" in table.split("Bracketed text")[1]
    assert main(["inventory", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_name = {r["name"]: r for r in rows}
    assert by_name["caption"]["kind"] == "shortcode" and by_name["caption"]["occurrences"] == "12"
    assert "id=12" in by_name["caption"]["attributes"].split(";")
    assert by_name["simple"]["kind"] == "text"


def test_damage_and_support_are_reported(corpus_dir, seed_text, tmp_path, capsys):
    post = tmp_path / "hasakah.txt"
    post.write_text(seed_text, encoding="utf-8")
    assert main(["inventory", str(post), str(corpus_dir / "posts"), "--format", "json"]) == 0
    found = {t["name"]: t for t in json.loads(capsys.readouterr().out)["shortcodes"]}
    card = found["covid19-ultimate-card"]
    assert card["occurrences"] == 4 and card["recovered"] == 4 and card["supported"] is True
    assert card["examples"] == ["hasakah.txt"] and card["attributes"]["region"] == 3
    # the leaked page-builder tags of real pages are shortcodes, with their damage counted
    assert found["vc_row"]["reason"] == "known plugin" and found["vc_row"]["recovered"] == 1


def test_bad_input_exit_2_without_traceback(corpus_dir, tmp_path, capsys):
    bad = corpus_dir / "wxr" / "WordPress__wordpress-importer__malformed.xml"
    assert main(["inventory", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"shortcodes: error: {bad}:90:3: malformed XML") and "Traceback" not in err
    assert main(["inventory", str(bad), "--recover"]) == 1
    assert main(["inventory", str(tmp_path / "missing.xml")]) == 2
    out = tmp_path / "o.txt"
    src = tmp_path / "p.txt"
    src.write_text("[x]", encoding="utf-8")
    assert main(["inventory", str(src), "-o", str(src)]) == 2 and src.read_text() == "[x]"
    assert main(["inventory", str(src), "-o", str(out)]) == 0 and "Bracketed text" in out.read_text()


# -- the rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, shortcode", [
    ("[1]", False), ("[citation needed]", False), ("[simple boat]", False), ("[top]", False),
    ('["1687","1691"]', False), ("[!+[]", False), ("[sic]", False),
    ("[gallery]", True), ("[audio https://x.test/a.mp3]", True), ("[vc_row]", True), ("[et_pb_text]", True),
    ('[note type="x"]', True), ("[note]body[/note]", True), ("[pull /]", True), ("[aside] [/aside]", True),
    ("[[gallery]]", True), ("[note] and later a stray [/note]", True),
])
def test_shortcodes_and_bracketed_text(text, shortcode):
    inv = inventory([Post(id="1", content=text)])
    assert bool(inv.shortcodes()) is shortcode and bool(inv.bracketed()) is not shortcode


def test_rule_is_per_name_over_all_posts():
    # [note] alone is prose, but another post encloses content with it: every [note] counts.
    inv = inventory([Post(id="1", content="[note]"), Post(id="2", content="[note]x[/note]")])
    (note,) = inv.shortcodes()
    assert (note.occurrences, note.posts, note.reason, note.examples) == (2, 2, "encloses content", ["1", "2"])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(WORDPRESS_TAGS)) | st.sampled_from(PLUGIN_PREFIXES).map(lambda p: p + "x"),
       st.builds(TagEvidence, st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)))
def test_known_names_always_count(name, evidence):
    assert shortcode_reason(name, evidence) is not None


@settings(max_examples=60, deadline=None)
@given(sst.shortcode_cases(texturized=True))
def test_a_tag_with_named_attributes_counts(case):
    inv = Inventory()
    inv.add_text(case.text, "p")
    stats = inv.tag(case.name)
    assert stats.occurrences == 1
    if case.attrs and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", case.name):
        assert stats.is_shortcode
    if not case.texturized:
        assert stats.recovered == 0
    elif re.search(r'=\s*"', case.straight.split("]")[0]):  # a double-quoted value, curled by wptexturize
        assert stats.recovered == 1


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path, capsys):
    # Tag names, attribute names, samples and example ids all come from the posts: a hostile post can
    # put =, +, -, @, a tab or a carriage return at the start of any of them.
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "=cmd.html").write_text('[=HYPERLINK("http://x.test","y")] [+1+2] [-2+3] [@SUM(A1)] [a\tb]',
                                      encoding="utf-8")
    (folder / "@p.html").write_text('[note -x=1 =y="2"]body[/note] [\rx]', encoding="utf-8")
    assert main(["inventory", str(folder), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    cells = [c for row in rows[1:] for c in row]
    assert cells
    for c in cells:
        assert not c.startswith(("=", "+", "-", "@", "\t", "\r")), c
    names = {row[1] for row in rows[1:]}
    assert "'+1+2" in names and "'-2+3" in names and "'@SUM(A1)" in names
    assert any(c.startswith("'=cmd.html") for c in cells) and any(c.startswith("'@p.html") for c in cells)
