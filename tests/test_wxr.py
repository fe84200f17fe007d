"""shortcodes.wxr: streaming WXR reader, tolerant recovery, byte-splicing writer.

Real inputs first: every file in ../shared/corpus/wxr is read and checked
against the counts in its SOURCES.md and, where WordPress's importer has a
unit test for a fixture, against the values that test expects.
"""
from __future__ import annotations

import collections
import dataclasses
import gzip
import io
import os
import re
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from defusedxml import DefusedXmlException
from hostile_xml import BILLION_LAUGHS, EXTERNAL_DTD, EXTERNAL_ENTITY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.common.fileio import InputError
from shortcodes.exports import ExportError, Meta, Post, ReadWarning, Term
from shortcodes.exports.wxr import (
    RewriteResult,
    UnsafeXmlError,
    WxrError,
    WxrReader,
    read_wxr,
    rewrite_wxr,
    wxr_cdata,
)

IMPORTER = "WordPress__wordpress-importer__"

#: Files where warnings are expected, by design (see the namespace tests).
WARNS = {
    IMPORTER + "namespace-attacks.xml",
    IMPORTER + "namespace-edge-cases.xml",
    IMPORTER + "invalid-version-tag.xml",
    IMPORTER + "missing-version-tag.xml",
}


@dataclasses.dataclass
class Row:
    name: str
    items: int
    well_formed: bool
    error_line: int | None
    error_col: int | None  # expat's 0-based column, as SOURCES.md reports it
    types: collections.Counter


def _sources_table(corpus_dir: Path) -> list[Row]:
    """The wxr/ table of SOURCES.md (file, items, well-formedness, post types)."""
    text = (corpus_dir / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## wxr/", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| file"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name, items, wf, types = cells[0], int(cells[6]), cells[8], cells[9]
        m = re.search(r"line (\d+) col (\d+)", wf)
        counter: collections.Counter = collections.Counter()
        if types != "—":
            for part in types.split(","):
                t, n = part.strip().split("×")
                counter[t] += int(n)
        rows.append(Row(name, items, wf == "ok", int(m.group(1)) if m else None,
                        int(m.group(2)) if m else None, counter))
    assert len(rows) == len(list((corpus_dir / "wxr").glob("*.xml")))
    return rows


def _read(path, **kw) -> tuple[list[Post], list[ReadWarning]]:
    warnings: list[ReadWarning] = []
    posts = list(read_wxr(path, on_warning=warnings.append, **kw))
    return posts, warnings


def _wxr(corpus_dir: Path, short: str) -> Path:
    return corpus_dir / "wxr" / (short if short.endswith(".xml") else IMPORTER + short + ".xml")


# --------------------------------------------------------------------------
# The corpus


def test_every_well_formed_corpus_file_reads_with_the_expected_items(corpus_dir):
    problems = []
    checked = 0
    for row in _sources_table(corpus_dir):
        if not row.well_formed or row.name == "torchbox__wagtail-wordpress-import__test.xml":
            continue  # malformed ones below; test.xml is a <catalog>, not WXR (below)
        posts, warnings = _read(corpus_dir / "wxr" / row.name)
        checked += 1
        if len(posts) != row.items:
            problems.append(f"{row.name}: {len(posts)} items, SOURCES.md says {row.items}")
        types = collections.Counter(p.type for p in posts if p.type)
        if "namespace" not in row.name and types != row.types:
            problems.append(f"{row.name}: types {dict(types)}, SOURCES.md says {dict(row.types)}")
        if warnings and row.name not in WARNS:
            problems.append(f"{row.name}: unexpected warnings {[str(w) for w in warnings]}")
        if any(p.recovered for p in posts):
            problems.append(f"{row.name}: posts marked recovered")
        if [p.item_index for p in posts] != list(range(len(posts))):
            problems.append(f"{row.name}: item_index is not 0..n-1")
    assert checked >= 50
    assert not problems, "\n".join(problems)


def test_xml_that_is_not_an_export_is_refused_clearly(corpus_dir):
    path = _wxr(corpus_dir, "torchbox__wagtail-wordpress-import__test.xml")
    with pytest.raises(WxrError) as err:
        list(read_wxr(path))
    assert str(err.value).startswith(f"{path}:2:1: not a WordPress export (WXR): the root element is <catalog>")
    with pytest.raises(WxrError):  # recover=True does not turn a catalog into posts
        list(read_wxr(path, recover=True))


def test_malformed_corpus_files_fail_at_the_place_expat_reports(corpus_dir):
    rows = [r for r in _sources_table(corpus_dir) if not r.well_formed]
    assert len(rows) == 7
    for row in rows:
        path = corpus_dir / "wxr" / row.name
        with pytest.raises(WxrError) as err:
            list(read_wxr(path))
        assert isinstance(err.value, InputError)  # the CLI prints these, no traceback
        assert str(err.value).startswith(f"{path}:{row.error_line}:{row.error_col + 1}: malformed XML: ")
        assert (err.value.line, err.value.column) == (row.error_line, row.error_col + 1)


def test_recover_gets_every_item_of_the_malformed_corpus_files(corpus_dir):
    for row in (r for r in _sources_table(corpus_dir) if not r.well_formed):
        path = corpus_dir / "wxr" / row.name
        posts, warnings = _read(path, recover=True)
        assert len(posts) == row.items, row.name
        assert collections.Counter(p.type for p in posts) == row.types, row.name
        assert warnings, row.name
        first = warnings[0]
        assert (first.file, first.line, first.column) == (str(path), row.error_line, row.error_col + 1)
        assert "malformed XML" in first.message
        for post in posts:
            if post.recovered:  # each recovered item is reported at its own line
                assert any(w.line == post.source_line and "tolerant scanner" in w.message for w in warnings)


def test_recover_reads_crazy_cdata_as_wordpress_regex_parser_does(corpus_dir):
    # Expected values: wordpress-importer phpunit/tests/parser.php,
    # test_unescaped_cdata_closing_sequence (WXR_Parser_Regex).
    posts, warnings = _read(_wxr(corpus_dir, "crazy-cdata"), recover=True)
    [post] = posts
    assert post.recovered and post.id == "1" and post.slug == "hello-world"
    assert post.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert post.meta == (
        Meta("Plain string", "Foo"),
        Meta("Closing CDATA", "]]>"),
        Meta("Alot of CDATA", "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"),
    )


def test_recover_keeps_what_a_truncated_file_has(corpus_dir):
    posts, warnings = _read(_wxr(corpus_dir, "malformed-simple"), recover=True)
    [post] = posts
    assert (post.id, post.type, post.title, post.recovered, post.source_line) == ("1", "post", "Broken", True, 9)
    assert any("not closed" in w.message and w.line == 9 for w in warnings)


def test_recover_on_squarespace_export_keeps_html_entities_as_written(corpus_dir):
    posts, warnings = _read(_wxr(corpus_dir, "TryGhost__migrate__squarespace-sample.xml"), recover=True)
    draft = posts[0]
    assert draft.recovered and draft.title == "Draft & Post & More&mdash;More"
    assert any("&mdash;" in w.message for w in warnings)
    assert [p.recovered for p in posts] == [True, False, True, False, False, False]


# --------------------------------------------------------------------------
# What WordPress's importer expects of its own fixtures (phpunit/tests/parser.php)


def test_wxr_1_1_terms_meta_and_channel(corpus_dir):
    reader = WxrReader(_wxr(corpus_dir, "valid-wxr-1.1"))
    posts = list(reader)
    assert (reader.version, reader.base_site_url) == ("1.1", "http://localhost/")
    assert len(posts) == 2
    assert posts[0].terms == (
        Term("category", "alpha", "alpha"),
        Term("post_tag", "clippable", "Clippable"),
        Term("post_tax", "bieup", "bieup"),
    )
    assert posts[0].categories == (Term("category", "alpha", "alpha"),)
    assert posts[0].tags == (Term("post_tag", "clippable", "Clippable"),)
    assert posts[1].meta == (Meta("_wp_page_template", "default"),)


def test_wxr_1_0_terms_skip_plain_rss_categories(corpus_dir):
    posts, _ = _read(_wxr(corpus_dir, "valid-wxr-1.0"))
    assert len(posts) == 6
    assert posts[0].terms == (Term("category", "uncategorized", "Uncategorized"),)
    assert posts[2].terms == (Term("category", "alpha", "alpha"), Term("tag", "news", "news"),
                              Term("tag", "roar", "roar"))
    assert posts[3].terms == (Term("tag", "chicken", "chicken"), Term("category", "child", "child"),
                              Term("tag", "face", "face"))
    assert posts[3].tags == (Term("tag", "chicken", "chicken"), Term("tag", "face", "face"))
    assert posts[1].meta == (Meta("_wp_page_template", "default"),)


def test_escaped_cdata_closing_sequence(corpus_dir):
    [post], _ = _read(_wxr(corpus_dir, "crazy-cdata-escaped"))
    assert post.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert dict((m.key, m.value) for m in post.meta) == {
        "Plain string": "Foo",
        "Closing CDATA": "]]>",
        "Alot of CDATA": "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
    }


def test_blank_lines_in_content_are_kept(corpus_dir):
    [post], _ = _read(_wxr(corpus_dir, "post-content-blank-lines"))
    assert post.content.count("\n") == 3


def test_serialized_meta_without_cdata_stays_serialized(corpus_dir):
    [post], _ = _read(_wxr(corpus_dir, "test-serialized-postmeta-no-cdata"))
    assert post.meta_value("post-options") == (
        'a:2:{s:18:"special_post_title";s:15:"A special title";s:11:"is_calendar";s:0:"";}')
    assert post.meta_value("missing", "-") == "-"


# --------------------------------------------------------------------------
# CDATA and escaping


def test_cdata_edge_cases(corpus_dir):
    [edge], _ = _read(_wxr(corpus_dir, "cdata-edge"))
    assert edge.content == "ends with sequence ]] >"
    [multi], _ = _read(_wxr(corpus_dir, "multiple-cdata"))
    assert multi.content == "\nline oneline twoline three\n"


def test_shortcodes_closing_right_before_the_cdata_end(corpus_dir):
    posts, _ = _read(_wxr(corpus_dir, "WordPress__theme-test-data__themeunittestdata.wordpress.xml"))
    bodies = [p.content for p in posts]
    assert any(b.rstrip().endswith(".mp3]") and "[audio " in b for b in bodies)
    assert any(b.startswith("[gallery") for b in bodies)
    assert any('[gallery columns="9"]' in b for b in bodies)


def test_entity_escaped_content_without_cdata_is_decoded(corpus_dir):
    path = _wxr(corpus_dir, "torchbox__wagtail-wordpress-import__raw_xml.xml")
    raw = path.read_text(encoding="utf-8")
    assert '<content:encoded>&lt;span style=" float: left;"&gt;Log Files&lt;/span&gt;' in raw
    posts, _ = _read(path)
    assert posts[0].content.startswith('<span style=" float: left;">Log Files</span>\n<span ')
    assert "you\u2019d better" in posts[0].content  # &#8217;
    assert not any("&lt;" in p.content for p in posts)


def test_cdata_with_whitespace_around_it(corpus_dir):
    """theme-preview.xml (CRLF) puts whitespace lines around its CDATA sections."""
    posts, _ = _read(_wxr(corpus_dir, "WordPress__theme-test-data__theme-preview.xml"))
    assert posts[0].content.startswith('\n        \n        <figure style="width: 435px" class="wp-caption')
    assert posts[0].content.endswith("<p>Boat.</p>\n        \n        ")
    assert not any("\r" in p.content for p in posts)


def test_wxr_cdata_matches_wordpress_exporter():
    assert wxr_cdata("") == "<![CDATA[]]>"
    assert wxr_cdata("[gallery]]]>") == "<![CDATA[[gallery]]]]]><![CDATA[>]]>"


# --------------------------------------------------------------------------
# Namespaces


def test_wp_prefix_bound_to_https_or_rebound_on_an_item(corpus_dir):
    posts, warnings = _read(_wxr(corpus_dir, "namespace-attacks"))
    assert [p.id for p in posts] == ["", "2", "3", "4", "6", "7", "8", "9", "10"]
    hijacked, https = posts[0], posts[5]
    assert (hijacked.title, hijacked.type, hijacked.meta) == ("Hijacked Namespace", "", ())
    assert hijacked.content == "This attempts to hijack the wp namespace"  # content: is not rebound
    assert (https.title, https.type, https.status) == ("HTTPS Schema", "post", "publish")
    hijack = [w for w in warnings if "malicious.example.com/hijack" in w.message]
    assert hijack and hijack[0].line == 16 and "<wp:post_id>" in hijack[0].message
    # <WP:post_id> is bound to the WordPress URI: a second post_id, ignored; <Wp:...> is not WordPress's
    case = posts[4]
    assert case.title == "Case Sensitivity" and case.id == "6"
    assert any("second <WP:post_id>" in w.message and w.line == 66 for w in warnings)
    # entity-like text inside CDATA is text
    assert posts[1].content == "&lol1;" * 10


def test_namespace_edge_cases(corpus_dir):
    posts, warnings = _read(_wxr(corpus_dir, "namespace-edge-cases"))
    assert [p.id for p in posts] == ["1", "2", "3", "4", "", "6"]
    mixed = posts[0]
    assert mixed.meta == (Meta("normal_key", "normal_value"),)  # the rebound <wp:postmeta> is ignored
    assert any("http://example.com/malicious/" in w.message for w in warnings)
    assert posts[1].title == "No Prefix" and posts[1].type == "post"  # default-namespace post_id


def test_namespace_complex_is_read_without_warnings(corpus_dir):
    posts, warnings = _read(_wxr(corpus_dir, "namespace-complex"))
    assert not warnings
    assert [p.id for p in posts] == [str(i) for i in range(1, 9)]
    assert posts[3].meta_value("_plugin_data").startswith('a:3:{s:6:"rating";i:5;')
    assert posts[6].meta == (Meta("_parent_data", "parent_value"),)


def test_undeclared_wp_prefix_is_read_with_a_warning():
    data = b"<rss><channel><item><wp:post_id>5</wp:post_id></item></channel></rss>"
    posts, warnings = _read(io.BytesIO(data))
    assert posts[0].id == "5"
    assert any("'wp' is not declared" in w.message for w in warnings)


# --------------------------------------------------------------------------
# Positions


def _char_at(lines: list[str], line: int, col: int) -> str:
    text = lines[line - 1]
    return text[col - 1] if col - 1 < len(text) else "\n"


def test_positions_point_at_the_content_characters_in_the_file(corpus_dir):
    """For every character of every body in the corpus, position() is where it is written."""
    checked = 0
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        if path.name == "torchbox__wagtail-wordpress-import__test.xml":
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        posts, _ = _read(path, recover=True)
        for post in posts:
            for fld in ("content", "excerpt"):
                text = getattr(post, fld)
                anchors = post.content_anchors if fld == "content" else post.excerpt_anchors
                near = {a[0] + d for a in anchors for d in (-1, 0, 1)}
                for i in sorted(near | set(range(0, len(text), 11)) | {len(text) - 1}):
                    if not 0 <= i < len(text):
                        continue
                    ch = text[i]
                    line, col = post.position(i, field=fld)
                    found = _char_at(lines, line, col)
                    # an entity reference starts with '&'; a CRLF line end is read as '\n'
                    ok = found == ch or found == "&" or (ch == "\n" and found == "\r")
                    assert ok, f"{path.name} {post.label} {fld}[{i}]={ch!r} but {line}:{col} is {found!r}"
                    checked += 1
    assert checked > 100_000


def test_where_names_file_line_and_column(corpus_dir):
    path = _wxr(corpus_dir, "multiple-cdata")
    [post], _ = _read(path)
    # "\n<![CDATA[line one]]><![CDATA[line two]]>...": 'l' of "line two" is on line 15
    offset = post.content.index("line two")
    assert post.where(offset) == f"{path}:15:30"
    assert post.where() == f"{path}:9:1"
    assert (post.content_line, post.content_column) == (14, 18)


# --------------------------------------------------------------------------
# Safety

@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
                         ids=["billion-laughs", "external-entity", "external-dtd"])
@pytest.mark.parametrize("recover", [False, True])
def test_dtd_tricks_are_refused(tmp_path, doc, recover):
    path = tmp_path / "evil.xml"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(UnsafeXmlError) as err:
        list(read_wxr(path, recover=recover))
    assert str(err.value).startswith(f"{path}:2:1: refusing the DOCTYPE declaration <!DOCTYPE rss>")
    assert isinstance(err.value.__cause__, DefusedXmlException)
    assert isinstance(err.value, InputError)
    with pytest.raises(UnsafeXmlError):
        rewrite_wxr(path, tmp_path / "out.xml", lambda p: None)
    assert not (tmp_path / "out.xml").exists()


def test_undefined_entities_are_an_xml_error_not_an_expansion(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<rss><channel><item><title>a &nbsp; b</title></item></channel></rss>", encoding="utf-8")
    with pytest.raises(WxrError, match=r"x\.xml:1:30: malformed XML: undefined entity"):
        list(read_wxr(path))
    posts, _ = _read(path, recover=True)
    assert posts[0].title == "a &nbsp; b" and posts[0].recovered


# --------------------------------------------------------------------------
# Recovery, as properties over real files


def _items(data: bytes) -> int:
    return len(re.findall(rb"<item[\s>/]", data))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0, 1))
def test_recover_on_a_truncated_export_keeps_every_complete_item(corpus_dir, cut):
    data = _wxr(corpus_dir, "small-export").read_bytes()
    original, _ = _read(io.BytesIO(data))
    truncated = data[: int(len(data) * cut)]
    posts, warnings = _read(io.BytesIO(truncated), recover=True)
    assert len(posts) == _items(truncated)
    for i, post in enumerate(posts):
        if not post.recovered:
            assert post == original[i] and post.source_line == original[i].source_line
        else:
            assert i == len(posts) - 1 and post.source_line == original[i].source_line
    if len(truncated) < len(data.rstrip()):
        assert warnings


def test_recover_skips_only_the_broken_item(corpus_dir):
    data = _wxr(corpus_dir, "small-export").read_bytes()
    original, _ = _read(io.BytesIO(data))
    starts = [m.start() for m in re.finditer(rb"<item>", data)]
    for i, start in enumerate(starts):
        title_at = data.index(b"<title>", start) + len(b"<title>")
        broken = data[:title_at] + b"R&D " + data[title_at:]  # a raw '&': not well-formed
        with pytest.raises(WxrError):
            list(read_wxr(io.BytesIO(broken)))
        posts, warnings = _read(io.BytesIO(broken), recover=True)
        assert [p.recovered for p in posts] == [j == i for j in range(len(original))]
        assert posts[i].title == "R&D " + original[i].title
        assert dataclasses.replace(posts[i], title=original[i].title) == original[i]
        assert all(p == o for j, (p, o) in enumerate(zip(posts, original)) if j != i)


def test_recover_changes_nothing_on_well_formed_files(corpus_dir):
    for name in ("small-export", "WordPress__theme-test-data__theme-preview.xml", "namespace-complex"):
        strict, w1 = _read(_wxr(corpus_dir, name))
        tolerant, w2 = _read(_wxr(corpus_dir, name), recover=True)
        assert strict == tolerant and w1 == w2


# --------------------------------------------------------------------------
# Writing


def _well_formed(corpus_dir: Path) -> list[Path]:
    return [corpus_dir / "wxr" / r.name for r in _sources_table(corpus_dir)
            if r.well_formed and r.name != "torchbox__wagtail-wordpress-import__test.xml"]


def test_unchanged_export_is_rewritten_byte_for_byte(corpus_dir, tmp_path):
    out = tmp_path / "out.xml"
    for path in _well_formed(corpus_dir):
        result = rewrite_wxr(path, out, lambda p: None, on_warning=lambda w: None)
        assert out.read_bytes() == path.read_bytes(), path.name
        assert result.changed == 0
        # returning the post itself, or an equal copy, changes nothing either
        rewrite_wxr(path, out, lambda p: dataclasses.replace(p), on_warning=lambda w: None, chunk_size=4096)
        assert out.read_bytes() == path.read_bytes(), path.name


_CONTENT_EL = re.compile(rb"<content:encoded>.*?</content:encoded>|<content:encoded\s*/>", re.S)


def test_rewriting_changes_exactly_the_content(corpus_dir, tmp_path):
    out = tmp_path / "out.xml"
    suffix = ' [caption id="x"]]]>&amp; \u0627\u0644\u0633\u0644\u0627\u0645 \U0001F600[/caption]\n'

    def transform(post: Post) -> Post | None:
        if post.content_field != "content:encoded":
            return None
        return dataclasses.replace(post, content=post.content + suffix)

    for path in _well_formed(corpus_dir):
        before, _ = _read(path)
        result = rewrite_wxr(path, out, transform, on_warning=lambda w: None, chunk_size=8192)
        after, _ = _read(out)
        assert result == RewriteResult(len(before), sum(p.content_field == "content:encoded" for p in before))
        assert len(after) == len(before)
        for old, new in zip(before, after):
            if old.content_field == "content:encoded":
                assert new.content == old.content + suffix, (path.name, old.label)
            assert dataclasses.replace(new, content=old.content) == old
            assert (new.item_index, new.type) == (old.item_index, old.type)
        # Every byte outside the content elements is unchanged.
        assert _CONTENT_EL.sub(b"", out.read_bytes()) == _CONTENT_EL.sub(b"", path.read_bytes()), path.name


def test_rewriting_writes_cdata_like_wordpress(corpus_dir, tmp_path):
    path = _wxr(corpus_dir, "wxr-simple")
    out = tmp_path / "out.xml"
    rewrite_wxr(path, out, lambda p: dataclasses.replace(p, content='[a x="]]>"]'))
    assert b'<content:encoded><![CDATA[[a x="]]]]><![CDATA[>"]]]></content:encoded>' in out.read_bytes()


def test_crlf_files_keep_crlf(corpus_dir, tmp_path):
    path = _wxr(corpus_dir, "WordPress__theme-test-data__theme-preview.xml")
    out = tmp_path / "out.xml"
    rewrite_wxr(path, out, lambda p: dataclasses.replace(p, content=p.content + "\nend\n"))
    data = out.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert [p.content for p in read_wxr(out)] == [p.content + "\nend\n" for p in read_wxr(path)]


def test_missing_excerpt_element_is_added(corpus_dir, tmp_path):
    path = _wxr(corpus_dir, "TryGhost__migrate__feature-image-captions.xml")
    out = tmp_path / "out.xml"
    before, _ = _read(path)
    assert before[0].excerpt == "" and b"excerpt:encoded" not in path.read_bytes()
    rewrite_wxr(path, out, lambda p: dataclasses.replace(p, excerpt=f"Excerpt of {p.id}") if p.type == "post" else None)
    after, _ = _read(out)
    for old, new in zip(before, after):
        assert new.excerpt == (f"Excerpt of {old.id}" if old.type == "post" else "")
        assert dataclasses.replace(new, excerpt="") == old
    assert b"\n      <excerpt:encoded><![CDATA[Excerpt of 20]]></excerpt:encoded>\n    </item>" in out.read_bytes()


printable = st.characters(blacklist_categories=("Cs",),
                          blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                               "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
                                               "\x1d\x1e\x1f\ufffe\uffff")
tricky = st.sampled_from(["]]>", "]]", "]", ">", "\r", "\r\n", "\n", "<![CDATA[", "&amp;", "&", "<", "[/x]"])
bodies = st.lists(st.one_of(st.text(printable, max_size=8), tricky), max_size=12).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=bodies, excerpt=bodies,
       name=st.sampled_from(["wxr-simple", "WordPress__theme-test-data__theme-preview.xml", "multiple-cdata"]))
def test_any_new_content_reads_back_exactly(corpus_dir, content, excerpt, name):
    path = _wxr(corpus_dir, name)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.xml"
        rewrite_wxr(path, out, lambda p: dataclasses.replace(p, content=content, excerpt=excerpt))
        posts = list(read_wxr(out))
    assert posts and all(p.content == content and p.excerpt == excerpt for p in posts)


def test_content_xml_cannot_hold_is_refused(corpus_dir, tmp_path):
    out = tmp_path / "out.xml"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(WxrError, match=r"U\+0001 at offset 2, which XML 1.0 cannot hold"):
        rewrite_wxr(_wxr(corpus_dir, "wxr-simple"), out, lambda p: dataclasses.replace(p, content="ab\x01"))
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.xml"]  # no temporary file left behind


def test_only_content_and_excerpt_may_change(corpus_dir, tmp_path):
    path = _wxr(corpus_dir, "wxr-simple")
    with pytest.raises(ValueError, match="only content and excerpt can be rewritten, but title changed"):
        rewrite_wxr(path, tmp_path / "o.xml", lambda p: dataclasses.replace(p, title="new"))
    with pytest.raises(TypeError):
        rewrite_wxr(path, tmp_path / "o.xml", lambda p: "new content")  # type: ignore[arg-type,return-value]
    assert not (tmp_path / "o.xml").exists()


def test_malformed_export_is_not_rewritten(corpus_dir, tmp_path):
    out = tmp_path / "out.xml"
    with pytest.raises(WxrError, match=r"crazy-cdata\.xml:18:72: malformed XML: .*nothing was written"):
        rewrite_wxr(_wxr(corpus_dir, "crazy-cdata"), out, lambda p: None)
    assert os.listdir(tmp_path) == []


def test_rewrite_in_place_and_gzip(corpus_dir, tmp_path):
    src = tmp_path / "site.xml"
    src.write_bytes(_wxr(corpus_dir, "small-export").read_bytes())
    mode = 0o640
    os.chmod(src, mode)
    rewrite_wxr(src, src, lambda p: dataclasses.replace(p, content=p.content.upper()))
    assert os.stat(src).st_mode & 0o777 == mode
    assert [p.content for p in read_wxr(src)] == [
        p.content.upper() for p in read_wxr(_wxr(corpus_dir, "small-export"))]
    gz = tmp_path / "site.xml.gz"
    rewrite_wxr(src, gz, lambda p: None)
    assert gzip.decompress(gz.read_bytes()) == src.read_bytes()
    assert list(read_wxr(gz)) == list(read_wxr(src))


# --------------------------------------------------------------------------
# Streaming: memory stays flat


def _synthetic_export(path: Path, items: int) -> None:
    body = '<p>Lorem ipsum [caption id="a" align="alignleft"]<img src="x.png"> A cap[/caption] dolor.</p>\n' * 30
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n')
        for i in range(items):
            f.write(f"<item>\n\t<title>Post {i}</title>\n\t<content:encoded>{wxr_cdata(body)}</content:encoded>\n"
                    f"\t<wp:post_id>{i}</wp:post_id>\n\t<wp:post_type>post</wp:post_type>\n"
                    "\t<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value></wp:postmeta>\n"
                    "</item>\n")
        f.write("</channel>\n</rss>\n")


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_while_reading_and_rewriting(tmp_path):
    small, big = tmp_path / "small.xml", tmp_path / "big.xml"
    _synthetic_export(small, 300)
    _synthetic_export(big, 1200)
    size = big.stat().st_size
    assert size > 3_000_000

    def read(path):
        return lambda: collections.deque(read_wxr(path, chunk_size=1 << 16), maxlen=0)

    def write(path):
        return lambda: rewrite_wxr(path, tmp_path / "out.xml", chunk_size=1 << 16,
                                   transform=lambda p: dataclasses.replace(p, content=p.content[::-1]))

    for job in (read, write):
        peak_small, peak_big = _peak(job(small)), _peak(job(big))
        # a constant few hundred kB (chunks, expat's buffer, one item), whatever the size
        assert peak_big < min(size / 4, 1_500_000), (job.__name__, peak_big)
        assert peak_big < 1.2 * peak_small + 65_536, (job.__name__, peak_small, peak_big)


def test_reads_from_a_binary_stream_in_small_chunks(corpus_dir):
    path = _wxr(corpus_dir, "WordPress__theme-test-data__themeunittestdata.wordpress.xml")
    whole, _ = _read(path)
    with open(path, "rb") as f:
        chunked, _ = _read(f, chunk_size=97)
    assert whole == chunked
    assert [(p.source_line, p.content_line, p.content_column) for p in whole] == [
        (p.source_line, p.content_line, p.content_column) for p in chunked]


def test_reader_errors(tmp_path):
    with pytest.raises(WxrError, match=r"missing\.xml: cannot read"):
        list(read_wxr(tmp_path / "missing.xml"))
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(WxrError, match=r"empty\.xml:1:1: malformed XML: no element found"):
        list(read_wxr(empty))
    assert list(read_wxr(empty, recover=True, on_warning=lambda w: None)) == []
    reader = WxrReader(empty, recover=True, on_warning=lambda w: None)
    list(reader)
    with pytest.raises(RuntimeError):
        list(reader)
    assert issubclass(WxrError, ExportError)


def test_warnings_default_to_python_warnings(corpus_dir):
    with pytest.warns(UserWarning, match="not a version number"):
        list(read_wxr(_wxr(corpus_dir, "invalid-version-tag")))


# --------------------------------------------------------------------------
# The reader's fast paths (research/performance.md #4) change nothing


def _every_field(post: Post) -> tuple:
    return tuple(getattr(post, f.name) for f in dataclasses.fields(Post))


def test_reader_fast_paths_give_identical_posts_on_every_corpus_export(corpus_dir, monkeypatch):
    """The one-CDATA anchors and the per-scope name cache against the slow paths, every field compared."""
    from shortcodes.exports.wxr import parser as parser_module

    files = sorted((corpus_dir / "wxr").glob("*.xml"))
    assert len(files) == 66

    def read_all(path: Path, chunk_size: int) -> list:
        out: list = []
        try:
            out.extend(_every_field(p) for p in read_wxr(path, recover=True, chunk_size=chunk_size,
                                                          on_warning=lambda w: out.append(str(w))))
        except ExportError as exc:
            out.append(str(exc))
        return out

    fast = {(f.name, n): read_all(f, n) for f in files for n in (1 << 20, 509)}
    hits = []
    real = parser_module._ItemParser._one_cdata
    monkeypatch.setattr(parser_module._ItemParser, "_one_cdata",
                        lambda self, s, e: hits.append(real(self, s, e)))  # record, then take the slow path

    class NoCache(dict):
        def __setitem__(self, key, value) -> None:
            pass

    init = parser_module._ItemParser.__init__

    def uncached_init(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        self._names = NoCache()

    monkeypatch.setattr(parser_module._ItemParser, "__init__", uncached_init)
    for (name, n), posts in fast.items():
        assert read_all(corpus_dir / "wxr" / name, n) == posts, name
    assert sum(h is not None for h in hits) > 300  # the fast path is the usual one
    assert sum(h is None for h in hits) > 50       # and the corpus has the unusual shapes too
