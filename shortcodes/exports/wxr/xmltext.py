"""Decoding XML text by hand (entities, CDATA) with the offsets of every piece: the tolerant scanner's tools."""
from __future__ import annotations

import codecs
import mmap
import re

from ...common.lines import LineIndex


def _codec_name(encoding: str) -> "str | None":
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _attr_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


_START_TAG = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_START_TAG_STR = re.compile(r"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")


def _start_tag_end(buf: "bytes | bytearray | mmap.mmap", i: int) -> "int | None":
    """Index just past the ``>`` closing the tag that starts at ``buf[i]`` (quotes respected)."""
    m = _START_TAG.match(buf, i)
    return m.end() if m else None


# -- the tolerant scanner (WordPress's WXR_Parser_Regex rules, made position-aware)

_MASK_RE = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.S)
_ENTITY_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED_ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9._-]*);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _Text:
    """A block of text with a base position, for offsets -> (line, column)."""

    def __init__(self, text: str, line: int, col: int) -> None:
        self.line, self.col = line, col
        self.index = LineIndex(text)

    def at(self, pos: int) -> tuple[int, int]:
        line, col = self.index.line_col(pos)
        if line == 1:
            return self.line, self.col + pos
        return self.line + line - 1, col


def _mask(text: str) -> str:
    """``text`` with CDATA sections and comments blanked (same length), to search tags in."""
    return _MASK_RE.sub(lambda m: " " * len(m.group()), text)


def _decode_text(seg: str, pos: int, out: list[str], anchors: list, unknown: set[str],
                 where: _Text, off: int) -> int:
    """Append ``seg`` (text outside CDATA at ``pos``) with entities decoded; returns the new offset."""
    last = 0
    for m in _ENTITY_RE.finditer(seg):
        if m.start() > last:
            out.append(seg[last:m.start()])
            off += m.start() - last
        if m.group(3):
            ch = _PREDEFINED[m.group(3)]
        else:
            code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
            ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else m.group()
        out.append(ch)
        off += len(ch)
        last = m.end()
        anchors.append((off, *where.at(pos + last)))
    out.append(seg[last:])
    unknown.update(n for n in _NAMED_ENTITY_RE.findall(seg) if n not in _PREDEFINED)
    return off + len(seg) - last


def _decode_inner(inner: str, pos: int, where: _Text, unknown: set[str]) -> tuple[str, list]:
    """Value of an element's inner text at ``pos``, with anchors, by WordPress's rules."""
    pieces: list[tuple[int, int, bool]] = []  # (start, end, is_cdata) in inner
    last = 0
    clean = True
    find = inner.find
    while True:
        s = find("<![CDATA[", last)
        if s < 0:
            break
        e = find("]]>", s + 9)
        if e < 0:
            break
        if s > last:
            pieces.append((last, s, False))
        pieces.append((s + 9, e, True))
        last = e + 3
    if last < len(inner):
        pieces.append((last, len(inner), False))
    for s, e, is_cdata in pieces:
        if not is_cdata and ("<" in inner[s:e] or "]]>" in inner[s:e]):
            clean = False
    out: list[str] = []
    anchors: list = [(0, *where.at(pos))]
    if clean:
        off = 0
        for s, e, is_cdata in pieces:
            if anchors[-1][0] == off:
                anchors[-1] = (off, *where.at(pos + s))
            else:
                anchors.append((off, *where.at(pos + s)))
            if is_cdata:
                out.append(inner[s:e])
                off += e - s
            else:
                off = _decode_text(inner[s:e], pos + s, out, anchors, unknown, where, off)
        return "".join(out), anchors
    body = inner.strip()
    if body.startswith("<![CDATA[") and body.endswith("]]>"):
        # WordPress's rule for broken CDATA: from the first <![CDATA[ to the last ]]>.
        s = inner.index("<![CDATA[") + 9
        e = inner.rindex("]]>")
        return inner[s:e], [(0, *where.at(pos + s))]
    off = _decode_text(inner, pos, out, anchors, unknown, where, 0)
    return "".join(out), anchors
