"""JSON read as a stream of records: JSON Lines line by line, a top-level array element by element.

Time is linear and memory bounded by the largest record (plus one chunk of
the file), whatever the size of the file: the text is decoded chunk by
chunk, each record is parsed by the standard library's C decoder, and the
line and column of each record are counted on from the previous one.

Every record comes out as a :class:`Record`: its place, and either its
value or the reason it could not be decoded (invalid JSON, an integer of
more digits than Python converts, nesting too deep for the decoder, a lone
UTF-16 surrogate, which is no character).  ``fatal`` records end the
stream: after a syntax error in an array nothing says where the next
element starts.

>>> import io
>>> data = io.BytesIO(b'{"id": 1}\\n\\n  {"id": 2\\n[3]\\n')
>>> [(r.line, r.column, r.value, r.error) for r in json_lines(_Chars(data, "p.jsonl"))]
[(1, 1, {'id': 1}, None), (3, 11, None, "invalid JSON: Expecting ',' delimiter"), (4, 1, [3], None)]
>>> data = io.BytesIO(b'[\\n {"id": 1},\\n 2 ]')
>>> [(r.line, r.column, r.value) for r in json_values(_Chars(data, "p.json"), array=True)]
[(2, 2, {'id': 1}), (3, 2, 2)]
"""
from __future__ import annotations

import codecs
import json
import re
import sys
from dataclasses import dataclass
from typing import IO, Any, Iterator

from ..common.errors import ExportError

__all__ = ["Record", "json_lines", "json_values", "CHUNK"]

#: Characters decoded at a time.
CHUNK = 1 << 20

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\r\n]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SKIP = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|"')
_SCALAR = re.compile(r"-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]*)?|true|false|null|NaN|-?Infinity")


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a JSON stream: where it starts, and its ``value`` or the ``error`` that stopped it."""

    line: int
    column: int
    value: Any = None
    error: "str | None" = None
    fatal: bool = False
    #: JSON Lines: the error is at the end of the line (the value may go on over several lines)
    cut: bool = False
    #: what a record is: ``line`` (JSON Lines) or ``item`` (an array element, a value)
    unit: str = "item"


def _ws_end(text: str, pos: int) -> int:
    m = _WS.match(text, pos)
    return m.end() if m else pos


class _Chars:
    """The UTF-8 text of a binary stream, a chunk at a time (a leading BOM dropped).

    Bad UTF-8 raises :class:`ExportError` at the line and column of the
    first bad byte; so does a read error.
    """

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self.stream, self.name = stream, name
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.eof = False
        self.first = True
        self.lines = 0     # newlines decoded so far
        self.tail = 0      # characters decoded since the last newline
        self.pushed = ""

    def unread(self, text: str) -> None:
        """Give ``text`` (what :meth:`read` returned last) back, to be read again."""
        self.pushed = text

    def read(self) -> str:
        """The next piece of text, ``""`` at the end."""
        if self.pushed:
            text, self.pushed = self.pushed, ""
            return text
        while not self.eof:
            try:
                data = self.stream.read(CHUNK)
            except (OSError, EOFError) as exc:  # gzip errors are OSError/EOFError
                raise ExportError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", self.name) from None
            self.eof = not data
            pending = self.decoder.getstate()[0]
            try:
                text = self.decoder.decode(data, final=self.eof)
            except UnicodeDecodeError as exc:
                raise self._not_utf8(pending + data, exc) from None
            if self.first and text:
                self.first = False
                if text.startswith("\ufeff"):
                    text = text[1:]
            n = text.count("\n")
            self.tail = len(text) - text.rfind("\n") - 1 if n else self.tail + len(text)
            self.lines += n
            if text:
                return text
        return ""

    def _not_utf8(self, data: bytes, exc: UnicodeDecodeError) -> ExportError:
        before = data[: exc.start].decode("utf-8")
        n = before.count("\n")
        col = len(before) - before.rfind("\n") if n else self.tail + len(before) + 1
        return ExportError(f"not UTF-8 ({exc.reason})", self.name, self.lines + n + 1, col)


def json_lines(chars: _Chars) -> Iterator[Record]:
    """A record per non-blank line (split at ``\\n`` only: U+2028 is valid inside JSON strings)."""
    lineno = 0
    for line in _lines(chars):
        lineno += 1
        start = len(line) - len(line.lstrip(" \t\r"))
        if start == len(line):
            continue
        column = start + 1
        try:
            value, end = _DECODER.raw_decode(line, start)
        except json.JSONDecodeError as exc:
            yield Record(lineno, exc.colno, error=f"invalid JSON: {exc.msg}", unit="line",
                         cut=not line[exc.pos:].strip() or exc.msg.startswith("Unterminated string"))
            continue
        except (ValueError, RecursionError) as exc:
            at, why = _unreadable(exc, line, start)
            yield Record(lineno, at + 1, error=why, unit="line")
            continue
        extra = _ws_end(line, end)
        if extra < len(line):
            yield Record(lineno, extra + 1, error="invalid JSON: extra data after the value on this line",
                         unit="line")
            continue
        lone = _lone_surrogate(value, line, start, end)
        if lone is not None:
            yield Record(lineno, lone[0] + 1, error=lone[1], unit="line")
            continue
        yield Record(lineno, column, value, unit="line")


def _lines(chars: _Chars) -> Iterator[str]:
    pieces: list[str] = []
    while True:
        text = chars.read()
        if not text:
            break
        start = 0
        find = text.find
        while True:
            nl = find("\n", start)
            if nl < 0:
                pieces.append(text[start:])
                break
            if pieces:
                pieces.append(text[start:nl])
                yield "".join(pieces)
                pieces = []
            else:
                yield text[start:nl]
            start = nl + 1
    if pieces:
        yield "".join(pieces)


class _Buffer:
    """Text from ``chars`` kept from the start of the current record on, with a line counter."""

    def __init__(self, chars: _Chars, text: str) -> None:
        self.chars = chars
        self.buf = text
        self.base = 0          # absolute offset of buf[0]
        self.eof = False
        # where the line counter is: absolute offset, its line, the offset its line starts at
        self.at, self.line, self.line_start = 0, 1, 0

    def place(self, pos: int) -> tuple[int, int]:
        """(line, column) of ``buf[pos]``; positions asked for never go backwards."""
        target = self.base + pos
        if target > self.at:
            lo = self.at - self.base
            n = self.buf.count("\n", lo, pos)
            if n:
                self.line += n
                self.line_start = self.base + self.buf.rindex("\n", lo, pos) + 1
            self.at = target
        return self.line, target - self.line_start + 1

    def more(self, keep: int, grow: bool = False) -> int:
        """Read on, forgetting ``buf[:keep]``; returns how far positions moved (subtract it).

        ``grow``: read until the kept text has doubled (a record longer than a chunk is
        parsed O(log n) times, not once per chunk).  False at the end of the text.
        """
        self.place(keep)
        want = max(1, len(self.buf) - keep) if grow else 1
        pieces = [self.buf[keep:]]
        got = 0
        while got < want:
            text = self.chars.read()
            if not text:
                self.eof = True
                break
            pieces.append(text)
            got += len(text)
        self.buf = "".join(pieces)
        self.base += keep
        return keep

    def skip_ws(self, pos: int) -> int:
        """The first non-whitespace position at or after ``pos`` (reading on as needed); may be len(buf)."""
        while True:
            pos = _ws_end(self.buf, pos)
            if pos < len(self.buf) or self.eof:
                return pos
            pos -= self.more(pos)


def json_values(chars: _Chars, *, array: bool) -> Iterator[Record]:
    """A record per element of the top-level array (``array=True``), or per top-level value."""
    b = _Buffer(chars, chars.read())
    pos = b.skip_ws(0)
    if array:
        assert b.buf[pos] == "["
        pos = b.skip_ws(pos + 1)
        if pos < len(b.buf) and b.buf[pos] == "]":
            pos = b.skip_ws(pos + 1)
            if pos < len(b.buf):
                yield Record(*b.place(pos), error="invalid JSON: extra data after the array", fatal=True)
            return
    while pos < len(b.buf):
        record, pos = _value(b, pos)
        yield record
        if record.fatal:
            return
        pos = b.skip_ws(pos)
        if not array:
            continue
        if pos >= len(b.buf):
            yield Record(*b.place(pos), error="invalid JSON: the array is not closed (']' missing)", fatal=True)
            return
        if b.buf[pos] == ",":
            pos = b.skip_ws(pos + 1)
            if pos >= len(b.buf):
                yield Record(*b.place(pos), error="invalid JSON: the array is not closed (']' missing)",
                             fatal=True)
                return
            continue
        if b.buf[pos] == "]":
            pos = b.skip_ws(pos + 1)
            if pos < len(b.buf):
                yield Record(*b.place(pos), error="invalid JSON: extra data after the array", fatal=True)
            return
        yield Record(*b.place(pos), error="invalid JSON: expected ',' or ']' between array items", fatal=True)
        return


def _value(b: _Buffer, pos: int) -> tuple[Record, int]:
    """The value at ``buf[pos]`` (no whitespace before it), and the position after it."""
    while True:
        buf = b.buf
        try:
            value, end = _DECODER.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            # a value cut by the end of the text read so far (-Infinity is the longest literal)
            if not b.eof and (exc.pos >= len(buf) - 10 or exc.msg.startswith("Unterminated string")):
                pos -= b.more(pos, grow=True)  # the record goes on in the next chunk
                continue
            return Record(*b.place(max(exc.pos, pos)), error=f"invalid JSON: {exc.msg}", fatal=True), pos
        except (ValueError, RecursionError) as exc:
            found = _skip_value(b, pos)  # valid JSON the decoder refuses: find its end without it
            if found is None:
                return Record(*b.place(pos), error="invalid JSON: a value that does not end", fatal=True), pos
            pos, end = found
            at, why = _unreadable(exc, b.buf, pos, end)
            return Record(*b.place(at), error=why), end
        if end == len(buf) and not b.eof:  # a number may go on in the next chunk
            pos -= b.more(pos, grow=True)
            continue
        lone = _lone_surrogate(value, buf, pos, end)
        if lone is not None:
            return Record(*b.place(lone[0]), error=lone[1]), end
        return Record(*b.place(pos), value), end


def _skip_value(b: _Buffer, pos: int) -> "tuple[int, int] | None":
    """(start, end) of the JSON value at ``buf[pos]``, found without recursion (None: it does not end).

    ``start`` is ``pos`` moved with the buffer, which may read on.
    """
    if b.buf[pos] not in "[{":
        while True:
            m = _SKIP.match(b.buf, pos) if b.buf[pos] == '"' else _SCALAR.match(b.buf, pos)
            if m is not None and m.group() != '"' and (m.end() < len(b.buf) or b.eof):
                return pos, m.end()
            if b.eof:
                return None
            pos -= b.more(pos, grow=True)
    depth, p = 0, pos
    while True:
        m = _SKIP.search(b.buf, p)
        if m is None or m.group() == '"':
            if b.eof:
                return None
            resume = m.start() if m is not None else len(b.buf)
            shift = b.more(pos, grow=True)
            pos, p = pos - shift, resume - shift
            continue
        tok = m.group()
        p = m.end()
        if tok[0] == '"':
            continue
        depth += 1 if tok in "[{" else -1
        if depth == 0:
            return pos, p
        if depth < 0:  # pragma: no cover - the decoder would have called this a syntax error
            return None


def _unreadable(exc: BaseException, text: str, start: int, end: "int | None" = None) -> tuple[int, str]:
    """(position, reason) for valid JSON the decoder refuses."""
    if isinstance(exc, RecursionError):
        return start, "invalid JSON: nested too deeply (more than Python's JSON decoder can read)"
    limit = sys.get_int_max_str_digits()
    m = re.compile(r"-?\d{%d,}" % (limit + 1)).search(text, start, len(text) if end is None else end) if limit else None
    if m is not None:
        digits = len(m.group().lstrip("-"))
        return m.start(), (f"an integer of {digits} digits (more than {sys.get_int_max_str_digits()}, "
                           "the most Python converts)")
    return start, f"invalid JSON: {exc}"


def _lone_surrogate(value: Any, text: str, start: int, end: int) -> "tuple[int, str] | None":
    """(position, reason) when a string of ``value`` holds a lone surrogate (``"\\ud800"``), else None."""
    if _SURROGATE_ESCAPE.search(text, start, end) is None:
        return None  # no escape that makes one (the common case: nothing to walk)
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str):
            m = _SURROGATE.search(v)
            if m is not None:
                code = f"{ord(m.group()):04x}"
                found = re.compile(r"\\u" + code, re.I).search(text, start, end)
                return (found.start() if found else start,
                        f"invalid JSON: a lone surrogate \\u{code} in a string (half of a UTF-16 pair, not a "
                        "character)")
    return None
