"""Hostile input to the export readers and writers (issue 14 #1, #11, #16, #17, #19; issue 13).

Each test is named after the item it covers.  Scaling tests compare n and
10n in one run (a ratio, with generous bounds), never an absolute time.
"""
from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

import pytest

from shortcodes.exports import ExportError, Post, ReadWarning
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
