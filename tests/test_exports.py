"""shortcodes.exports: the Post record, REST API JSON, plain files, read_posts()."""
from __future__ import annotations

import dataclasses
import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.common.fileio import InputError, read_text
from shortcodes.exports import (
    TEXT_SUFFIXES,
    ExportError,
    ExportWarning,
    Meta,
    Post,
    ReadWarning,
    Term,
    detect_format,
    read_folder,
    read_posts,
    read_rest_json,
    read_text_file,
)

LEAKED = "globalsol.in__wp-json-pages-2280__leaked-vc_row.html"  # a real content.rendered


def _rest_objects(rendered: str) -> list[dict]:
    """Post objects shaped like /wp/v2/posts responses (view, edit+_embed, media)."""
    return [
        {
            "id": 2280, "date": "2020-03-01T10:00:00", "date_gmt": "2020-03-01T09:00:00",
            "guid": {"rendered": "https://globalsol.in/hardshell/?page_id=2280"},
            "slug": "hardshell", "status": "publish", "type": "page",
            "link": "https://globalsol.in/hardshell/",
            "title": {"rendered": "Hard&#8211;shell"},
            "content": {"rendered": rendered, "protected": False},
            "excerpt": {"rendered": "<p>Hard shell</p>\n", "protected": False},
            "author": 3, "parent": 12, "menu_order": 4,
        },
        {
            "id": 101, "type": "post", "status": "draft", "slug": "covid-figures",
            "title": {"raw": "COVID-19 figures", "rendered": "COVID-19 figures"},
            "content": {"raw": '[covid country="EG" label="\u0627\u0644\u0648\u0641\u064a\u0627\u062a"]',
                        "rendered": "<p>[covid country=&#8221;EG&#8221;]</p>\n"},
            "excerpt": {"raw": "", "rendered": ""},
            "meta": {"footnotes": "", "views": 12},
            "_embedded": {
                "author": [{"id": 3, "slug": "admin"}],
                "wp:term": [[{"taxonomy": "category", "slug": "news", "name": "News"}],
                            [{"taxonomy": "post_tag", "slug": "egypt", "name": "Egypt"}]],
            },
        },
        {"id": 5, "type": "attachment", "slug": "a-png",
         "source_url": "https://example.org/wp-content/uploads/a.png",
         "content": {"rendered": ""}},
    ]


@pytest.fixture
def leaked(corpus_dir) -> str:
    return read_text(corpus_dir / "posts" / LEAKED)


def _collect(gen) -> tuple[list[Post], list[ReadWarning]]:
    warnings: list[ReadWarning] = []
    return list(gen(warnings.append)), warnings


def test_rest_json_array(tmp_path, leaked):
    path = tmp_path / "posts.json"
    text = json.dumps(_rest_objects(leaked), indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    posts, warnings = _collect(lambda w: read_rest_json(path, on_warning=w))
    assert not warnings
    page, post, media = posts
    assert (page.id, page.type, page.slug, page.status, page.title) == ("2280", "page", "hardshell", "publish",
                                                                        "Hard–shell")  # rendered: as text
    assert page.content == leaked and page.content_field == "content.rendered" and page.is_rendered
    assert (page.date, page.date_gmt, page.author, page.parent, page.menu_order) == (
        "2020-03-01T10:00:00", "2020-03-01T09:00:00", "3", 12, 4)
    assert (page.link, page.guid, page.excerpt) == ("https://globalsol.in/hardshell/",
                                                    "https://globalsol.in/hardshell/?page_id=2280",
                                                    "Hard shell")
    assert post.content == '[covid country="EG" label="\u0627\u0644\u0648\u0641\u064a\u0627\u062a"]'
    assert post.content_field == "content.raw" and not post.is_rendered
    assert post.author == "admin"
    assert post.terms == (Term("category", "news", "News"), Term("post_tag", "egypt", "Egypt"))
    assert post.meta == (Meta("footnotes", ""), Meta("views", "12"))
    assert media.attachment_url == "https://example.org/wp-content/uploads/a.png"
    assert all(p.fmt == "rest" and p.source_file == str(path) for p in posts)
    assert [p.item_index for p in posts] == [0, 1, 2]
    lines = text.split("\n")
    for p in posts:  # each record points at its object's "{"
        assert lines[p.source_line - 1][p.source_column - 1] == "{"
        assert p.position(3) == (p.source_line, p.source_column)  # JSON text is escaped
        assert p.content_line is None


def test_rest_json_lines_and_single_object(tmp_path, leaked):
    objects = _rest_objects(leaked)
    array = tmp_path / "a.json"
    array.write_text(json.dumps(objects), encoding="utf-8")
    lines = tmp_path / "a.jsonl"
    lines.write_text("\n".join(json.dumps(o) for o in objects[:2]) + "\n\n" + json.dumps(objects[2]) + "\n",
                     encoding="utf-8")
    from_array = list(read_rest_json(array))
    from_lines = list(read_rest_json(lines))
    assert from_lines == from_array
    assert [p.source_line for p in from_lines] == [1, 2, 4]
    single = tmp_path / "one.json"
    single.write_text(json.dumps(objects[1], indent=1), encoding="utf-8")
    assert list(read_rest_json(single)) == [from_array[1]]
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(gzip.compress(lines.read_bytes()))
    assert list(read_posts([gz])) == from_array


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": 1},\n  {"id": 2}\n  {"id": 3}\n]\n', encoding="utf-8")
    with pytest.raises(ExportError) as err, pytest.warns(ExportWarning, match="has no 'content'"):
        list(read_rest_json(path))
    assert str(err.value) == f"{path}:4:3: invalid JSON: expected ',' or ']' between array items"
    assert isinstance(err.value, InputError)
    path.write_text('[\n  {"id": 1,\n   "content": {"raw": "x}\n]', encoding="utf-8")
    with pytest.raises(ExportError, match=r"bad\.json:3:26: invalid JSON: Invalid control character"):
        list(read_rest_json(path))
    path.write_text('[{"id": 1}', encoding="utf-8")
    with pytest.raises(ExportError, match=r"bad\.json:1:11: invalid JSON: the array is not closed"):
        list(read_rest_json(path, on_warning=lambda w: None))


def test_bad_json_lines_are_skipped_only_with_recover(tmp_path):
    path = tmp_path / "p.ndjson"
    path.write_text('{"id": 1, "content": {"raw": "a"}}\n{"id": 2, "content": \n[1, 2]\n'
                    '{"id": 3, "content": {"raw": "c"}}\n', encoding="utf-8")
    with pytest.raises(ExportError, match=r"p\.ndjson:2:22: invalid JSON"):
        list(read_rest_json(path))
    posts, warnings = _collect(lambda w: read_rest_json(path, recover=True, on_warning=w))
    assert [p.id for p in posts] == ["1", "3"]
    assert [(w.line, w.column) for w in warnings] == [(2, 22), (3, 1)]
    assert "line skipped" in warnings[0].message and "not a post object" in warnings[1].message


def test_missing_content_is_a_warning(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('[{"id": 9, "title": "plain string title"}]', encoding="utf-8")
    with pytest.warns(ExportWarning, match=r"p\.json:1:2: item 1 has no 'content'"):
        [post] = read_rest_json(path)
    assert (post.content, post.content_field, post.title) == ("", "", "plain string title")


printable = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=st.lists(printable, min_size=1, max_size=4), raw=st.booleans())
def test_any_content_survives_json(tmp_path, contents, raw):
    key = "raw" if raw else "rendered"
    objects = [{"id": i, "content": {key: c}} for i, c in enumerate(contents)]
    for name, text in (("x.json", json.dumps(objects, indent=1)),
                       ("x.jsonl", "\n".join(json.dumps(o) for o in objects))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        posts = list(read_rest_json(path))
        assert [p.content for p in posts] == contents
        assert {p.content_field for p in posts} == {f"content.{key}"}


# --------------------------------------------------------------------------
# Plain files


def test_corpus_posts_folder(corpus_dir):
    folder = corpus_dir / "posts"
    posts = list(read_folder(folder))
    expected = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
    assert [p.id for p in posts] == expected and len(posts) >= 20  # the .jsonl files are not posts
    for post in posts:
        path = folder / post.id
        assert post.content == read_text(path)
        assert post.fmt == TEXT_SUFFIXES[path.suffix.lower()]
        assert (post.content_field, post.slug, post.source_file) == ("file", path.stem, str(path))
        assert post.label == post.id and post.where() == f"{path}:1:1"
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, ch in enumerate(post.content):
            line, col = post.position(i)
            text = lines[line - 1]
            assert (text[col - 1] if col <= len(text) else "\n") == ch


def test_nested_folder_ids_and_skipped_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    files = {"a/b/post.HTML": "<p>[gallery]</p>", "a/notes.md": "# [x]", "z.txt": "t", "page.htm": "h"}
    for rel, text in files.items():
        (tmp_path / rel).write_text(text, encoding="utf-8")
    for rel in ("photo.jpg", "settings.json", "export.xml", ".hidden.html", ".git/x.html"):
        (tmp_path / rel).write_text("skip me", encoding="utf-8")
    posts = list(read_folder(tmp_path))
    assert [(p.id, p.fmt, p.content) for p in posts] == [
        ("a/b/post.HTML", "html", "<p>[gallery]</p>"),
        ("a/notes.md", "markdown", "# [x]"),
        ("page.htm", "html", "h"),
        ("z.txt", "text", "t"),
    ]
    assert list(read_posts([tmp_path])) == posts


def test_text_file_errors(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\nab\xff")
    with pytest.raises(ExportError, match=r"bad\.txt:2:3: not UTF-8"):
        read_text_file(bad)
    bom = tmp_path / "bom.md"
    bom.write_bytes("\ufeff[x]".encode("utf-8"))
    assert read_text_file(bom).content == "[x]"


# --------------------------------------------------------------------------
# read_posts and detect_format


def test_read_posts_mixes_formats_in_order(tmp_path, corpus_dir, leaked):
    wxr = corpus_dir / "wxr" / "WordPress__wordpress-importer__valid-wxr-1.1.xml"
    rest = tmp_path / "posts.json"
    rest.write_text(json.dumps(_rest_objects(leaked)), encoding="utf-8")
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "about.html").write_text("<p>About</p>", encoding="utf-8")
    single = corpus_dir / "posts" / LEAKED
    posts = list(read_posts([wxr, rest, folder, single]))
    assert [p.fmt for p in posts] == ["wxr", "wxr", "rest", "rest", "rest", "html", "html"]
    assert [p.id for p in posts][-2:] == ["about.html", LEAKED]
    assert list(read_posts(str(single))) == posts[-1:]


def test_read_posts_errors_name_the_path(tmp_path, corpus_dir):
    doc = tmp_path / "post.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(ExportError, match=r"post\.docx: unknown file type '\.docx'"):
        list(read_posts([doc]))
    with pytest.raises(ExportError, match=r"nope\.xml: no such file or folder"):
        list(read_posts([tmp_path / "nope.xml"]))
    malformed = corpus_dir / "wxr" / "WordPress__wordpress-importer__malformed-simple.xml"
    with pytest.raises(ExportError, match=r"malformed-simple\.xml:14:1: malformed XML"):
        list(read_posts([malformed]))
    posts, warnings = _collect(lambda w: read_posts([malformed], recover=True, on_warning=w))
    assert [p.title for p in posts] == ["Broken"] and warnings


def test_read_posts_on_error_reports_each_bad_file_and_reads_the_others(corpus_dir, tmp_path):
    """Issue 13, "one bad input never sinks the others": the 66 corpus exports, a non-export, a
    malformed JSON file and a missing path, read in one call with ``on_error``."""
    exports = sorted((corpus_dir / "wxr").glob("*.xml"))
    assert len(exports) == 66  # with a <catalog> that is not WXR and 7 malformed exports
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": 1, "content": "a"},\n {"id": 2, "content": ]', encoding="utf-8")
    inputs = exports[:30] + [notes, broken, tmp_path / "missing.xml"] + exports[30:]
    quiet = lambda w: None  # noqa: E731
    for recover, n_errors in ((False, 11), (True, 3)):
        expected_posts: list[Post] = []
        expected_errors = []
        for path in inputs:  # each file alone, the way the errors would be raised
            got: list[Post] = []
            try:
                got.extend(read_posts([path], recover=recover, on_warning=quiet))
            except ExportError:
                alone: list[Post] = []
                with pytest.raises(ExportError) as err:
                    for post in read_posts([path], recover=recover, on_warning=quiet):
                        alone.append(post)
                got = alone
                expected_errors.append((str(err.value), err.value.file, err.value.line, err.value.column, len(got)))
            expected_posts.extend(got)
        errors: list = []
        posts = list(read_posts(inputs, recover=recover, on_warning=quiet, on_error=errors.append))
        assert [(p.source_file, p.item_index) for p in posts] == [(p.source_file, p.item_index)
                                                                  for p in expected_posts]
        assert posts == expected_posts and len(posts) > 780
        assert [(str(e), e.file, e.line, e.column, e.posts) for e in errors] == expected_errors
        assert len(errors) == n_errors, [str(e) for e in errors]
        assert all(isinstance(e.error, ExportError) and str(e) == str(e.error) for e in errors)
    assert {Path(e.file).name for e in errors} == {"notes.docx", "missing.xml",
                                                   "torchbox__wagtail-wordpress-import__test.xml"}
    assert str(broken) not in {e.file for e in errors}  # with recover: its first post, and a warning


def test_detect_format():
    assert detect_format("Site.WordPress.XML") == "wxr"
    assert detect_format("export.wxr") == "wxr"
    assert detect_format("export.xml.gz") == "wxr"
    assert detect_format("posts.json.gz") == "rest"
    assert detect_format("a.ndjson") == "rest"
    assert detect_format("a.markdown") == "markdown"
    assert detect_format("a.htm") == "html"
    with pytest.raises(ExportError, match=r"a\.md\.gz: unknown file type '\.md'"):
        detect_format("a.md.gz")
    with pytest.raises(ExportError, match=r"README: unknown file type '\(no suffix\)'"):
        detect_format("README")


# --------------------------------------------------------------------------
# The record


def test_post_equality_ignores_where_it_was_read():
    a = Post(id="1", content="x", fmt="wxr", source_file="a.xml", source_line=3, item_index=0)
    b = dataclasses.replace(a, fmt="rest", source_file="b.json", source_line=9, item_index=4, recovered=True,
                            content_field="content.raw")
    assert a == b and hash(a) == hash(b)
    assert a != dataclasses.replace(a, content="y")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.content = "z"  # type: ignore[misc]


def test_position_across_anchors_and_labels():
    # content "ab&c\nd": '&' came from "&amp;" at 5:12, so 'c' is at 5:16
    p = Post(id="", type="page", content="ab&c\nd", source_file="s.xml", item_index=2,
             content_anchors=((0, 5, 10), (3, 5, 16)))
    assert [p.position(i) for i in range(7)] == [(5, 10), (5, 11), (5, 12), (5, 16), (5, 17), (6, 1), (6, 2)]
    assert p.position(-5) == (5, 10) and p.position(99) == (6, 2)
    assert p.label == "item 3" and dataclasses.replace(p, id="7").label == "page 7"
    with pytest.raises(ValueError):
        p.position(0, field="title")


def test_read_warning_and_error_text():
    assert str(ReadWarning("a.json", None, None, "m")) == "a.json: m"
    assert str(ExportError("r", "f", 2)) == "f:2: r"
    assert os.fspath(Path("x")) == "x"
