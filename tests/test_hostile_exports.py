"""Hostile input to the export readers and writers (issue 14 #1, #11, #16, #17, #19; issue 13).

Each test is named after the item it covers.  Scaling tests compare n and
10n in one run (a ratio, with generous bounds), never an absolute time.
"""
from __future__ import annotations

import collections
import dataclasses
import errno
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.common.errors import OutputError
from shortcodes.common.fileio import atomic_write_bytes, atomic_write_text, atomic_writer
from shortcodes.exports import (
    ExportError,
    Post,
    ReadWarning,
    folder_root,
    jsonstream,
    read_folder,
    read_posts,
    read_rest_json,
)
from shortcodes.exports.wxr import WxrError, read_wxr, rewrite_wxr

IMPORTER = "WordPress__wordpress-importer__"


def _wxr(corpus_dir: Path, short: str) -> Path:
    return corpus_dir / "wxr" / (short if short.endswith(".xml") else IMPORTER + short + ".xml")


def _fields(post: Post) -> tuple:
    """Every field of a post, the ones equality ignores (where it was read) included."""
    return tuple(getattr(post, f.name) for f in dataclasses.fields(Post) if f.name != "source_file")


def _read(source, **kw) -> tuple[list[Post], list[ReadWarning]]:
    warnings: list[ReadWarning] = []
    return list(read_wxr(source, on_warning=warnings.append, **kw)), warnings


# --------------------------------------------------------------------------
# 14 #1: a UTF-16 export is read exactly, and never rewritten into a corrupt file

UTF16_FORMS = [(codec, bom, decl) for codec in ("utf-16-le", "utf-16-be") for bom in (True, False)
               for decl in ("version only", 'encoding="UTF-16"', "no declaration")]


def _as_utf16(text: str, codec: str, bom: bool, decl: str) -> bytes:
    head, rest = text.split("?>", 1)
    assert head.startswith("<?xml") and 'encoding="UTF-8"' in head
    if decl == "version only":
        text = head.replace(' encoding="UTF-8"', "") + "?>" + rest
    elif decl == "no declaration":
        text = rest.lstrip("\r\n")
    else:
        text = head.replace('encoding="UTF-8"', decl) + "?>" + rest
    return (("\ufeff" if bom else "") + text).encode(codec)


@pytest.mark.parametrize("codec,bom,decl", UTF16_FORMS)
def test_utf16_export_is_read_exactly_or_refused_before_anything_is_written(corpus_dir, tmp_path, codec, bom, decl):
    for short in ("wxr-utf-8-challenges", "WordPress__theme-test-data__theme-preview.xml", "crazy-cdata"):
        src = _wxr(corpus_dir, short)
        original = src.read_bytes().decode("utf-8")
        path = tmp_path / "utf16.xml"
        path.write_bytes(_as_utf16(original, codec, bom, decl))
        recover = short == "crazy-cdata"  # malformed: the tolerant scanner reads it, as UTF-8
        expected, _ = _read(src, recover=recover)
        shift = 0 if decl != "no declaration" else -1  # one line less when the declaration is gone
        posts, _ = _read(path, recover=recover)
        assert [p for p in posts] == expected, short
        for got, want in zip(posts, expected):
            assert got.source_line == want.source_line + shift and got.source_column == want.source_column
            assert [(o, line - shift, c) for o, line, c in got.content_anchors] == list(want.content_anchors), short
            assert [(o, line - shift, c) for o, line, c in got.excerpt_anchors] == list(want.excerpt_anchors)
        # Rewriting: refused, before anything is written (the export and the destination are untouched).
        before = path.read_bytes()
        out = tmp_path / "out.xml"
        out.write_text("old", encoding="utf-8")
        for dest in (out, path):
            for transform in (lambda p: dataclasses.replace(p, content=p.content + "é"), lambda p: None):
                with pytest.raises(WxrError, match=r"utf16\.xml:1:1: cannot rewrite a UTF-16[LB]E export"):
                    rewrite_wxr(path, dest, transform)
        assert path.read_bytes() == before and out.read_text(encoding="utf-8") == "old"
        assert sorted(os.listdir(tmp_path)) == ["out.xml", "utf16.xml"]  # no temporary file left


def test_utf16_export_declaring_another_encoding_is_refused(tmp_path):
    path = tmp_path / "u.xml"
    path.write_bytes('\ufeff<?xml version="1.0" encoding="UTF-8"?><rss/>'.encode("utf-16-le"))
    with pytest.raises(WxrError, match=r"u\.xml:1:31: the file is UTF-16LE \(its first bytes say so\) "
                                       r"but declares encoding 'UTF-8'"):
        list(read_wxr(path))
    path.write_bytes('<?xml version="1.0" encoding="UTF-16"?><rss/>'.encode("utf-8"))
    with pytest.raises(WxrError, match=r"u\.xml:1:31: the file declares encoding 'UTF-16', but its first "
                                       r"bytes are not UTF-16"):
        list(read_wxr(path))
    path.write_bytes('\ufeff<?xml version="1.0"?><rss/>'.encode("utf-32-le"))
    with pytest.raises(WxrError, match=r"u\.xml:1:1: unsupported encoding UTF-32"):
        list(read_wxr(path, recover=True))


def test_utf16_in_place_convert_leaves_the_export_untouched(corpus_dir, tmp_path):
    from shortcodes.cli import main

    path = tmp_path / "site.xml"
    path.write_bytes(_as_utf16(_wxr(corpus_dir, "wxr-utf-8-challenges").read_text(encoding="utf-8"),
                               "utf-16-le", True, "version only"))
    before = path.read_bytes()
    assert main(["convert", str(path), "--to", "wxr", "--mode", "normalize", "--in-place", "-q"]) == 2
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["site.xml"]


# --------------------------------------------------------------------------
# 14 #17: an unknown or multi-byte encoding is an ExportError at file:1:column

BODY = ('<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>'
        "<item><title>t</title><wp:post_id>1</wp:post_id><content:encoded><![CDATA[[x]]]></content:encoded>"
        "</item></channel></rss>")


@pytest.mark.parametrize("name,why", [("x-foo", "no such encoding"), ("Shift_JIS", "a multi-byte encoding"),
                                      ("Big5", "a multi-byte encoding"), ("UTF-7", "a multi-byte encoding"),
                                      ("rot13", "not a text encoding"), ("unicode_escape", "a multi-byte encoding"),
                                      ("utf-32", "a multi-byte encoding")])
@pytest.mark.parametrize("recover", [False, True])
def test_unknown_or_multibyte_encoding_is_an_export_error(tmp_path, name, why, recover):
    path = tmp_path / "enc.xml"
    path.write_bytes(f'<?xml version="1.0" encoding="{name}"?>\n{BODY}'.encode("ascii"))
    with pytest.raises(ExportError) as err:
        list(read_wxr(path, recover=recover))
    assert str(err.value).startswith(f"{path}:1:31: unsupported encoding {name!r}: {why} "), str(err.value)
    assert "save the export as UTF-8" in str(err.value)
    from shortcodes.exports import read_posts
    with pytest.raises(ExportError, match="unsupported encoding"):
        list(read_posts([path], recover=recover))
    with pytest.raises(ExportError, match="unsupported encoding"):
        rewrite_wxr(path, tmp_path / "out.xml", lambda p: None)
    assert sorted(os.listdir(tmp_path)) == ["enc.xml"]


@pytest.mark.parametrize("name,text", [("windows-1252", "caf\u00e9 \u20ac"), ("ISO-8859-1", "caf\u00e9"),
                                       ("latin1", "caf\u00e9"), ("koi8-r", "\u043f\u0440\u0438"),
                                       ("utf8", "caf\u00e9 \u0627\u0644"), ("UTF-8", "\U0001f600")])
def test_single_byte_encodings_and_aliases_read_and_rewrite(tmp_path, name, text):
    path = tmp_path / "enc.xml"
    path.write_bytes(f'<?xml version="1.0" encoding="{name}"?>\n{BODY.replace("[x]", text)}'.encode(name))
    [post] = read_wxr(path)
    assert post.content == text and post.content_anchors == ((0, 2, BODY.index("[x]") + 1),)
    out = tmp_path / "out.xml"
    rewrite_wxr(path, out, lambda p: dataclasses.replace(p, content=p.content + " \u4e00"))
    assert [p.content for p in read_wxr(out)] == [text + " \u4e00"]
    rewrite_wxr(path, out, lambda p: None)
    assert out.read_bytes() == path.read_bytes()


def _flips(data: bytes, masks: tuple[int, ...]):
    for i in range(len(data)):
        for m in masks:
            flipped = bytearray(data)
            flipped[i] ^= m
            yield bytes(flipped)


def test_one_flipped_byte_gives_posts_warnings_or_an_export_error(corpus_dir):
    """Every byte of a small valid export, flipped three ways, read strictly and with recover=True."""
    src = _wxr(corpus_dir, "multiple-cdata").read_bytes()
    assert len(src) < 600
    seen = set()
    for data in _flips(src, (0x01, 0x20, 0x80)):
        for recover in (False, True):
            try:
                for post in read_wxr(io.BytesIO(data), recover=recover, on_warning=lambda w: None,
                                     chunk_size=61):
                    assert isinstance(post, Post)
                    post.position(len(post.content))
                seen.add("posts")
            except ExportError as exc:
                assert str(exc).startswith("<stream>:"), str(exc)
                seen.add(type(exc).__name__)
    assert {"posts", "WxrError"} <= seen


def test_every_value_of_the_bytes_of_the_declaration(corpus_dir):
    """The fuzzer's case: any byte of ``<?xml version="1.0" encoding="UTF-8" ?>`` set to any value."""
    src = _wxr(corpus_dir, "multiple-cdata").read_bytes()
    end = src.index(b"?>") + 2
    unsupported = 0
    for i in range(end):
        for m in range(1, 256):
            data = bytearray(src)
            data[i] ^= m
            try:
                list(read_wxr(io.BytesIO(bytes(data)), recover=True, on_warning=lambda w: None))
            except ExportError as exc:
                unsupported += "unsupported encoding" in str(exc)
    assert unsupported > 100


# --------------------------------------------------------------------------
# 14 #11: REST JSON / JSON Lines are read as a stream, in linear time and bounded memory


BODY_TEXT = '<p>Lorem [caption id="a"]x[/caption] \u0627\u0644\u0633\u0644\u0627\u0645 \U0001f600</p>\n' * 12


def _rest_file(path: Path, n: int, form: str) -> Path:
    objects = [{"id": i, "type": "post", "title": {"rendered": f"Post {i}"}, "content": {"raw": BODY_TEXT}}
               for i in range(n)]
    if form == "jsonl":
        text = "\n".join(json.dumps(o, ensure_ascii=i % 2 == 0) for i, o in enumerate(objects)) + "\n"
    else:
        text = json.dumps(objects, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _ratio(small, big, reps: int = 5) -> float:
    """Best time of ``big()`` over best time of ``small()``, measured in turns (noise hits both)."""
    best = [float("inf"), float("inf")]
    small()  # warm up
    for _ in range(reps):
        for i, fn in enumerate((small, big)):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best[1] / best[0]


@pytest.mark.parametrize("form", ["jsonl", "array"])
def test_rest_json_reading_scales_linearly(tmp_path, form):
    """n and 10n posts in one run: the time ratio stays near 10 (it was ~100: lines counted from the start)."""
    suffix = ".jsonl" if form == "jsonl" else ".json"
    small = _rest_file(tmp_path / f"small{suffix}", 400, form)
    big = _rest_file(tmp_path / f"big{suffix}", 4000, form)

    def read(path: Path):
        return lambda: collections.deque(read_rest_json(path), maxlen=0)

    assert _ratio(read(small), read(big)) < 30  # the old reader: ~100


@pytest.mark.parametrize("form", ["jsonl", "array"])
def test_rest_json_memory_stays_bounded(tmp_path, monkeypatch, form):
    """Peak traced memory at 10n posts is about that at n: one chunk and one post, not the file."""
    monkeypatch.setattr(jsonstream, "CHUNK", 1 << 14)
    suffix = ".jsonl" if form == "jsonl" else ".json"
    small = _rest_file(tmp_path / f"small{suffix}", 300, form)
    big = _rest_file(tmp_path / f"big{suffix}", 3000, form)

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            collections.deque(read_rest_json(path), maxlen=0)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak_small, peak_big = peak(small), peak(big)
    assert peak_big < big.stat().st_size / 6, (peak_big, big.stat().st_size)  # the old reader: 2x the file
    assert peak_big < 1.5 * peak_small + 65_536, (peak_small, peak_big)


def _object_starts(text: str) -> list[tuple[int, int]]:
    """(line, column) of each top-level post object, found by decoding the text in one piece."""
    decoder = json.JSONDecoder()
    starts = []
    stripped = text.lstrip(" \t\r\n")
    if stripped.startswith("["):
        pos = text.index("[") + 1
        while True:
            while text[pos] in " \t\r\n,":
                pos += 1
            if text[pos] == "]":
                break
            starts.append(pos)
            pos = decoder.raw_decode(text, pos)[1]
    else:
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                starts.append(offset + len(line) - len(line.lstrip()))
            offset += len(line) + 1
    return [(text.count("\n", 0, p) + 1, p - (text.rfind("\n", 0, p) + 1) + 1) for p in starts]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)
post_objects = st.fixed_dictionaries(
    {"id": st.integers(0, 10**6)},
    optional={"content": st.one_of(st.text(), st.fixed_dictionaries({"raw": st.text()}), json_values),
              "title": st.one_of(st.text(max_size=12), st.fixed_dictionaries({"rendered": st.text(max_size=12)})),
              "parent": json_values, "menu_order": json_values, "meta": json_values, "_embedded": json_values,
              "type": json_values, "slug": st.text(max_size=10)})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(objects=st.lists(post_objects, min_size=1, max_size=5), form=st.sampled_from(["jsonl", "array", "pretty"]),
       ascii_only=st.booleans(), chunk=st.sampled_from([1, 2, 3, 7, 64, 1 << 20]))
def test_rest_json_positions_and_values_survive_any_chunking(tmp_path, objects, form, ascii_only, chunk):
    if form == "jsonl":
        text, path = "\n".join(json.dumps(o, ensure_ascii=ascii_only) for o in objects) + "\n", tmp_path / "p.jsonl"
    else:
        text = json.dumps(objects, ensure_ascii=ascii_only, indent=2 if form == "pretty" else None)
        path = tmp_path / "p.json"
    path.write_text(text, encoding="utf-8")
    saved = jsonstream.CHUNK
    jsonstream.CHUNK = chunk
    try:
        posts = list(read_rest_json(path, on_warning=lambda w: None))
    finally:
        jsonstream.CHUNK = saved
    assert [p.id for p in posts] == [str(o["id"]) for o in objects]
    assert [(p.source_line, p.source_column) for p in posts] == _object_starts(text)
    assert [p.item_index for p in posts] == list(range(len(objects)))


# --------------------------------------------------------------------------
# 14 #16: REST JSON that the decoder refuses is an ExportError at file:line:column, never a traceback

GOOD = json.dumps({"id": 1, "content": {"raw": "a"}})
HOSTILE_JSON = {
    "integer of 5,000 digits": ('{"id": %s, "content": {"raw": "x"}}' % ("9" * 5000),
                                r"an integer of 5000 digits \(more than 4300", 8),
    "50,000-deep nesting": ("[" * 50_000 + "]" * 50_000, "nested too deeply", 1),
    "50,000-deep object in a field": ('{"id": 2, "meta": ' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "}",
                                      "nested too deeply", 1),
    "lone surrogate": ('{"id": 4, "content": {"raw": "a\\ud800b"}}', r"a lone surrogate \\ud800", 32),
    "lone low surrogate": ('{"id": 4, "title": "\\uDC00"}', r"a lone surrogate \\udc00", 21),
}


@pytest.mark.parametrize("case", list(HOSTILE_JSON))
@pytest.mark.parametrize("form", ["jsonl", "array"])
def test_rest_json_hostile_values_are_located_errors_or_skipped_records(tmp_path, case, form):
    record, message, column = HOSTILE_JSON[case]
    if form == "jsonl":
        path, line = tmp_path / "p.jsonl", 2
        path.write_text(f"{GOOD}\n{record}\n{GOOD}\n", encoding="utf-8")
    else:
        path, line = tmp_path / "p.json", 3
        path.write_text(f"[\n{GOOD},\n {record},\n{GOOD}]\n", encoding="utf-8")
        column += 1
    with pytest.raises(ExportError) as err:
        list(read_rest_json(path))
    assert err.value.line == line and err.value.column == column, str(err.value)
    assert str(err.value).startswith(f"{path}:{line}:{column}: ") and re.search(message, str(err.value))
    warnings: list[ReadWarning] = []
    posts = list(read_rest_json(path, recover=True, on_warning=warnings.append))
    assert [p.id for p in posts] == ["1", "1"] and [p.item_index for p in posts] == [0, 2]
    [w] = warnings
    assert (w.line, w.column) == (line, column) and w.message.endswith(("line skipped", "item skipped"))


def test_rest_json_menu_order_that_is_not_a_number_is_read_as_0_with_a_warning(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": 3, "menu_order": "--5", "parent": "\u00b2", "content": {"raw": "x"}}\n'
                    '{"id": 4, "menu_order": " 7 ", "parent": 2.0, "content": {"raw": "y"}}\n', encoding="utf-8")
    warnings: list[ReadWarning] = []
    posts = list(read_rest_json(path, on_warning=warnings.append))
    assert [(p.id, p.parent, p.menu_order) for p in posts] == [("3", 0, 0), ("4", 2, 7)]
    assert [str(w) for w in warnings] == [f"{path}:1:1: item 1: 'parent' is '\u00b2', not a number: read as 0",
                                          f"{path}:1:1: item 1: 'menu_order' is '--5', not a number: read as 0"]


def test_rest_json_not_utf8_is_located(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(f"{GOOD}\n".encode() + '{"id": 2, "title": "\u00e9\u00e9'.encode() + b"\xff\"}\n")
    with pytest.raises(ExportError, match=r"p\.jsonl:2:23: not UTF-8"):
        list(read_rest_json(path))


def _mutations():
    hostile = [b'"', b"\\", b"[", b"{", b"}", b"]", b",", b":", b"\n", b"\xff", b"\xc3", b"0", b"-",
               b"\\ud800", b"\\u", b"9" * 4400, b"[" * 3000, b'{"a":' * 1200, b"\xef\xbb\xbf", b"\x00", b"\r"]
    return st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["flip", "delete", "insert", "value"]),
                              st.sampled_from(hostile), st.integers(1, 255)), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(objects=st.lists(post_objects, min_size=1, max_size=4), form=st.sampled_from(["jsonl", "array", "pretty"]),
       mutations=_mutations(), recover=st.booleans(), chunk=st.sampled_from([5, 64, 1 << 20]))
def test_rest_json_reader_raises_only_export_error_on_mutated_documents(tmp_path, objects, form, mutations,
                                                                         recover, chunk):
    if form == "jsonl":
        data = "\n".join(json.dumps(o) for o in objects).encode()
    else:
        data = json.dumps(objects, indent=1 if form == "pretty" else None).encode()
    buf = bytearray(data)
    for where, op, snippet, mask in mutations:
        i = min(int(where * len(buf)), len(buf) - 1) if buf else 0
        if op == "flip" and buf:
            buf[i] ^= mask
        elif op == "delete" and buf:
            del buf[i]
        elif op == "value":  # where a value starts: after a ':' (a field's value becomes the snippet)
            colons = [j for j, c in enumerate(buf) if c == 0x3A] or [i]
            j = colons[min(int(where * len(colons)), len(colons) - 1)] + 1
            buf[j:j] = snippet
        else:
            buf[i:i] = snippet
    path = tmp_path / ("p.jsonl" if form == "jsonl" else "p.json")
    path.write_bytes(bytes(buf))
    saved = jsonstream.CHUNK
    jsonstream.CHUNK = chunk
    try:
        for post in read_rest_json(path, recover=recover, on_warning=lambda w: None):
            assert isinstance(post, Post) and isinstance(post.content, str)
            post.content.encode("utf-8")  # no lone surrogate gets through
    except ExportError as exc:
        assert str(exc).startswith(f"{path}:"), str(exc)
    finally:
        jsonstream.CHUNK = saved


# --------------------------------------------------------------------------
# 14 #19: folder inputs: special files and links out of the folder are skipped and reported



def _hostile_folder(tmp_path: Path) -> tuple[Path, Path]:
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "sub").mkdir(parents=True)
    outside.mkdir()
    (site / "a.txt").write_text("[a]", encoding="utf-8")
    (site / "sub" / "b.md").write_text("[b]", encoding="utf-8")
    (outside / "secret.txt").write_text("root:x:0:0", encoding="utf-8")
    (outside / "c.html").write_text("<p>[c]</p>", encoding="utf-8")
    os.symlink(site / "a.txt", site / "alias.txt")             # inside: read
    os.symlink(tmp_path / "gone.txt", site / "dangling.txt")   # broken
    os.symlink("/etc/passwd", site / "passwd.txt")             # outside
    os.symlink(outside / "secret.txt", site / "secret.txt")    # outside
    os.symlink(outside, site / "elsewhere")                    # a folder outside
    os.symlink(site / "sub", site / "sub-again")               # a folder inside
    os.symlink(site, site / "sub" / "loop")                    # a loop
    os.mkfifo(site / "pipe.txt")
    return site, outside


def _read_in_thread(fn):
    """Run ``fn`` in a thread; if it has not returned after a long while, it hangs (a FIFO opened for reading)."""
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(value=fn()), daemon=True)
    thread.start()
    thread.join(120)
    return thread.is_alive(), result.get("value")


def test_folder_special_files_and_links_out_of_the_folder_are_skipped_and_reported(tmp_path):
    site, outside = _hostile_folder(tmp_path)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(site / "sock.txt"))
        warnings: list[ReadWarning] = []
        hung, posts = _read_in_thread(lambda: list(read_folder(site, on_warning=warnings.append)))
        if hung:  # let the thread go: open the FIFO's other end
            os.close(os.open(site / "pipe.txt", os.O_WRONLY | os.O_NONBLOCK))
        assert not hung, "reading the folder hangs on a FIFO"
    assert [(p.id, p.content) for p in posts] == [("a.txt", "[a]"), ("alias.txt", "[a]"), ("sub/b.md", "[b]")]
    said = {Path(w.file).name: w.message for w in warnings}
    assert said.keys() == {"dangling.txt", "passwd.txt", "secret.txt", "elsewhere", "pipe.txt", "sock.txt"}
    assert said["dangling.txt"] == "a broken symbolic link: skipped"
    assert said["passwd.txt"].startswith("a symbolic link to /etc/passwd, outside ") and "follow_links=True" in \
        said["passwd.txt"]
    assert said["elsewhere"].startswith(f"a link to the folder {outside}, outside ")
    assert said["pipe.txt"] == "a named pipe (FIFO), not a regular file: skipped"
    assert said["sock.txt"] == "a socket, not a regular file: skipped"
    assert all(w.line is None and str(w).startswith(f"{site}/") for w in warnings)
    assert folder_root(site) == site.resolve()


def test_folder_follow_links_reads_links_out_of_the_folder_once(tmp_path):
    site, outside = _hostile_folder(tmp_path)
    warnings: list[ReadWarning] = []
    hung, posts = _read_in_thread(lambda: list(read_folder(site, follow_links=True, on_warning=warnings.append)))
    if hung:
        os.close(os.open(site / "pipe.txt", os.O_WRONLY | os.O_NONBLOCK))
    assert not hung
    ids = [p.id for p in posts]
    assert ids == ["a.txt", "alias.txt", "elsewhere/c.html", "elsewhere/secret.txt", "passwd.txt", "secret.txt",
                   "sub/b.md"]
    assert posts[ids.index("passwd.txt")].content == Path("/etc/passwd").read_text(encoding="utf-8")
    messages = sorted(w.message for w in warnings)
    assert messages == ["a broken symbolic link: skipped",
                        "a folder already read by another path (a link): skipped",
                        "a folder already read by another path (a link): skipped",
                        "a named pipe (FIFO), not a regular file: skipped"]


def test_folder_file_that_cannot_be_read_does_not_sink_the_others(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.txt").write_text("a", encoding="utf-8")
    (site / "b.txt").write_bytes(b"ok\n\xff")
    (site / "c.txt").write_text("c", encoding="utf-8")
    with pytest.raises(ExportError, match=r"b\.txt:2:1: not UTF-8"):
        list(read_folder(site))
    errors: list = []
    assert [p.id for p in read_posts([site], on_error=errors.append)] == ["a.txt", "c.txt"]
    assert [(Path(e.file).name, e.line, e.column) for e in errors] == [("b.txt", 2, 1)]


def test_folder_exclude_skips_an_output_folder_inside_the_input(tmp_path):
    site = tmp_path / "site"
    (site / "out").mkdir(parents=True)
    (site / "a.txt").write_text("a", encoding="utf-8")
    (site / "out" / "a.html").write_text("<p>a</p>", encoding="utf-8")
    assert [p.id for p in read_folder(site)] == ["a.txt", "out/a.html"]
    assert [p.id for p in read_folder(site, exclude=[site / "out"])] == ["a.txt"]


# --------------------------------------------------------------------------
# Issue 13 / 14 #18: a write that fails is one OutputError naming the file; nothing partial is left

ROOT = Path(__file__).resolve().parents[1]

_WRITERS = r"""
import dataclasses, json, os, sys
from pathlib import Path
from shortcodes.common.errors import OutputError
from shortcodes.common.fileio import atomic_write_bytes, atomic_writer
from shortcodes.exports.wxr import rewrite_wxr

out, src, limit = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
if limit:
    import resource
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
else:
    os.setuid(65534)  # nobody: the folder is read-only to it

def chunks(name):
    with atomic_writer(out / name, gzip_suffix=True) as f:
        for i in range(200):
            f.write(os.urandom(1024))

jobs = {"bytes": lambda: atomic_write_bytes(out / "big.bin", b"x" * 100_000),
        "stream": lambda: chunks("big.dat"), "gzip": lambda: chunks("big.dat.gz"),
        "rewrite": lambda: rewrite_wxr(src, out / "big.xml",
                                       lambda p: dataclasses.replace(p, content=p.content + "x" * 5000))}
results = {}
for name, job in jobs.items():
    try:
        job()
        results[name] = "written"
    except OutputError as exc:
        results[name] = [str(exc), exc.errno, isinstance(exc, OSError)]
    except BaseException as exc:
        results[name] = ["not an OutputError", type(exc).__name__, str(exc)]
print(json.dumps({"results": results, "files": sorted(os.listdir(out)),
                  "old": (out / "big.bin").read_text() if (out / "big.bin").exists() else None}))
"""


def _run_writers(out: Path, src: Path, limit: int) -> dict:
    proc = subprocess.run([sys.executable, "-c", _WRITERS, str(out), str(src), str(limit)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_write_under_ulimit_f_is_one_output_error_and_leaves_nothing_partial(tmp_path, corpus_dir):
    """RLIMIT_FSIZE (``ulimit -f``) makes writes fail with EFBIG ("File too large", errno 27)."""
    (tmp_path / "big.bin").write_text("old", encoding="utf-8")
    report = _run_writers(tmp_path, _wxr(corpus_dir, "small-export"), 20_000)
    for name, target in (("bytes", "big.bin"), ("stream", "big.dat"), ("gzip", "big.dat.gz"), ("rewrite", "big.xml")):
        message, code, is_os_error = report["results"][name]
        assert message == f"{tmp_path / target}: cannot write: File too large", name
        assert code == errno.EFBIG and is_os_error
    assert report["files"] == ["big.bin"] and report["old"] == "old"  # no temporary file, the old file intact


def test_write_into_a_read_only_folder_is_one_output_error(tmp_path, corpus_dir):
    if os.geteuid() == 0:  # root writes anywhere: run the writers as nobody
        folder = Path(tempfile.mkdtemp())
        try:
            os.chmod(folder, 0o755)
            (folder / "big.bin").write_text("old", encoding="utf-8")
            report = _run_writers(folder, _wxr(corpus_dir, "small-export"), 0)
        finally:
            for child in folder.iterdir():
                child.unlink()
            folder.rmdir()
        for name in ("bytes", "stream", "gzip", "rewrite"):
            message, code, _ = report["results"][name]
            assert message.endswith(": cannot write: Permission denied") and code == errno.EACCES, name
        assert report["files"] == ["big.bin"] and report["old"] == "old"
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        os.chmod(folder, 0o555)
        try:
            with pytest.raises(OutputError, match=r"ro/a\.html: cannot write: Permission denied"):
                atomic_write_text(folder / "a.html", "x")
        finally:
            os.chmod(folder, 0o755)
        assert os.listdir(folder) == []


def test_write_where_a_file_stands_for_a_folder_is_one_output_error(tmp_path):
    (tmp_path / "site").write_text("a file", encoding="utf-8")
    for target in (tmp_path / "site" / "a.html", tmp_path / "site" / "posts" / "a.html"):
        with pytest.raises(OutputError) as err:
            atomic_write_text(target, "<p>x</p>")
        assert str(err.value) == f"{target}: cannot write: {tmp_path / 'site'} is a file, not a folder"
        assert err.value.errno in (errno.EEXIST, errno.ENOTDIR)
    (tmp_path / "folder").mkdir()
    with pytest.raises(OutputError, match=r"folder: cannot write: it is a folder"):
        atomic_write_bytes(tmp_path / "folder", b"x")
    assert sorted(os.listdir(tmp_path)) == ["folder", "site"] and os.listdir(tmp_path / "folder") == []


def test_full_disk_at_flush_is_one_output_error_and_the_old_file_stays(tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as err:
        atomic_write_text(target, "new")
    assert str(err.value) == f"{target}: cannot write: No space left on device" and err.value.errno == errno.ENOSPC
    assert target.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["out.jsonl"]


def test_an_error_of_the_block_itself_is_not_called_a_write_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        with atomic_writer(tmp_path / "copy.xml") as out:
            out.write(b"<rss>")
            open(tmp_path / "missing-input.xml", "rb")  # reading an input fails: not an OutputError
    assert os.listdir(tmp_path) == []


def test_temporary_name_of_a_long_file_name_fits(tmp_path):
    name = "\u6f22\u5b57" * 41 + ".html"  # 251 bytes: a name that fits, but not with ".{name}.xxxxxxxx.tmp"
    atomic_write_text(tmp_path / name, "x")
    assert os.listdir(tmp_path) == [name]
    with pytest.raises(OutputError, match="cannot write: File name too long") as err:
        atomic_write_text(tmp_path / ("x" * 5 + name), "x")  # 256 bytes: too long for the file system
    assert err.value.errno == errno.ENAMETOOLONG and os.listdir(tmp_path) == [name]
