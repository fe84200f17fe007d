"""Which encoding a WXR file is in: its byte-order mark, its first bytes, its XML declaration.

The rules are XML 1.0's (Appendix F) as expat applies them: a BOM, or the
first bytes ``3C 00``/``00 3C``, make a file UTF-16 (little/big-endian)
whatever it declares; otherwise the ``encoding=`` of the declaration counts,
and UTF-8 when there is none.  Expat itself reads UTF-8, UTF-16,
ISO-8859-1 and US-ASCII, and Python's pyexpat adds every *single-byte*
codec; anything else (``x-foo``, Shift_JIS, Big5, UTF-7, UTF-32, a codec
that is no text encoding) is refused here with
``file:line:column: unsupported encoding …`` instead of the ``LookupError``
or ``ValueError`` pyexpat would raise half-way through the parse.

>>> detect_encoding(b'<?xml version="1.0" encoding="windows-1252"?><rss/>', "a.xml", final=True)
XmlEncoding(name='windows-1252', codec='cp1252', expat=None)
>>> detect_encoding(b"\\xff\\xfe" + '<?xml version="1.0"?><rss/>'.encode("utf-16-le"), "a.xml", final=True)
XmlEncoding(name='UTF-16LE', codec='utf-16-le', expat='UTF-16LE')
>>> detect_encoding(b'<?xml version="1.0" encoding="Shift_JIS"?><rss/>', "a.xml", final=True)
Traceback (most recent call last):
...
shortcodes.common.errors.WxrError: a.xml:1:31: unsupported encoding 'Shift_JIS': a multi-byte encoding (the XML parser reads UTF-8, UTF-16 and single-byte encodings such as ISO-8859-1 or windows-1252); save the export as UTF-8
"""
from __future__ import annotations

import codecs
import functools
import re
import warnings
from dataclasses import dataclass

from ...common.errors import WxrError

__all__ = ["XmlEncoding", "detect_encoding", "check_declared", "HEAD_LIMIT"]

#: How many bytes at most are held back, looking for the end of the XML declaration.
HEAD_LIMIT = 4096

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF32 = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00")
_DECL = re.compile(r"<\?xml(?=[ \t\r\n?])([^>]*?)\?>")
_DECL_ENCODING = re.compile(r"""[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')""")
_UTF16 = frozenset({"utf-16", "utf-16-le", "utf-16-be"})
#: Python codec name -> the name expat knows it by (then expat reads it itself).
_EXPAT_BUILTIN = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "iso8859-1": "ISO-8859-1", "latin-1": "ISO-8859-1",
                  "ascii": "US-ASCII"}
_ADVICE = ("(the XML parser reads UTF-8, UTF-16 and single-byte encodings such as ISO-8859-1 or "
           "windows-1252); save the export as UTF-8")


@dataclass(frozen=True)
class XmlEncoding:
    """How a file's bytes are text.

    ``name``: as messages say it (the declared name, or ``UTF-8``,
    ``UTF-16LE``...); ``codec``: the Python codec that decodes any slice of
    the file that starts on a character; ``expat``: the encoding handed to
    expat (``None``: expat reads the declaration itself).
    """

    name: str
    codec: str
    expat: "str | None"

    @property
    def ascii_compatible(self) -> bool:
        """True when every ASCII character is one byte, its own (markup can be found in the bytes)."""
        return self.codec not in _UTF16


def detect_encoding(head: bytes, file: str, *, final: bool) -> "XmlEncoding | None":
    """The encoding of a file that starts with ``head``; ``None`` when more bytes are needed.

    ``final``: ``head`` is the whole file.  Raises :class:`WxrError`
    (``file:line:column: unsupported encoding …``) for an encoding the
    parser cannot read, or a declaration that contradicts the first bytes.
    """
    if len(head) < 4 and not final:
        return None
    if head.startswith(_UTF32):
        raise WxrError("unsupported encoding UTF-32, by its first bytes " + _ADVICE, file, 1, 1)
    if head.startswith((b"\xff\xfe", b"<\x00")):
        family, bom = "utf-16-le", 2 if head.startswith(b"\xff\xfe") else 0
    elif head.startswith((b"\xfe\xff", b"\x00<")):
        family, bom = "utf-16-be", 2 if head.startswith(b"\xfe\xff") else 0
    else:
        family, bom = "utf-8", 3 if head.startswith(_UTF8_BOM) else 0
    body = head[bom:]
    if family != "utf-8":
        body = body[: len(body) - len(body) % 2]
    text = body.decode(family, "replace")
    declared, column = None, 0
    if text.startswith("<?xml"):
        m = _DECL.match(text)
        if m is None:
            if not final and len(head) < HEAD_LIMIT:
                return None
            # No end of the declaration in sight: expat reports it (and check_declared() the name).
        else:
            e = _DECL_ENCODING.search(m.group(1))
            if e is not None:
                declared = e.group(1) if e.group(1) is not None else e.group(2)
                column = m.start(1) + e.start(1 if e.group(1) is not None else 2) + 1
    if family != "utf-8":
        name = "UTF-16LE" if family == "utf-16-le" else "UTF-16BE"
        if declared is not None and _lookup(declared) not in ("utf-16", family):
            check_declared(declared, file, column)  # an unsupported name: say that first
            raise WxrError(f"the file is {name} (its first bytes say so) but declares encoding {declared!r}",
                           file, 1, column)
        return XmlEncoding(name, family, name)
    if declared is None:
        return XmlEncoding("UTF-8", "utf-8", None)
    codec = check_declared(declared, file, column)
    if codec in _UTF16:
        raise WxrError(f"the file declares encoding {declared!r}, but its first bytes are not UTF-16 "
                       "(no byte-order mark)", file, 1, column)
    if bom and codec not in ("utf-8", "utf-8-sig"):
        return XmlEncoding(declared, codec, None)  # as expat does: the declaration counts
    return XmlEncoding(declared, codec, _EXPAT_BUILTIN.get(codec))


def check_declared(declared: str, file: str, column: int) -> str:
    """The Python codec of a declared encoding the parser can read, or :class:`WxrError`."""
    codec = _lookup(declared)
    if codec is None:
        why = "no such encoding"
    elif codec in _EXPAT_BUILTIN or codec in _UTF16 or _single_byte(codec):
        return codec
    elif _text_encoding(codec):
        why = "a multi-byte encoding"
    else:
        why = "not a text encoding"
    raise WxrError(f"unsupported encoding {declared!r}: {why} {_ADVICE}", file, 1 if column else None, column or None)


def _lookup(name: str) -> "str | None":
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError, TypeError):  # ValueError: a name with a NUL
        return None


def _text_encoding(codec: str) -> bool:
    return bool(getattr(codecs.lookup(codec), "_is_text_encoding", True))


@functools.lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """True for a codec pyexpat can hand to expat as a byte map, and which maps back the same way.

    pyexpat accepts a codec that decodes the 256 byte values to 256
    characters; this also asks that ASCII maps to itself (expat needs it)
    and that each character encodes back to its byte (the rewriter writes
    with the codec), which rules out ``unicode_escape`` and its like.
    """
    if not _text_encoding(codec):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unicode_escape warns about "\]"
        try:
            chars = bytes(range(256)).decode(codec, "replace")
            if len(chars) != 256 or chars[:128] != "".join(map(chr, range(128))):
                return False
            for i, ch in enumerate(chars):
                if ch != "\ufffd" and ch.encode(codec) != bytes((i,)):
                    return False
            for ch in ("\u4e00", "\U0001f600"):  # not in any single-byte map: encoding must fail
                try:
                    ch.encode(codec)
                except UnicodeEncodeError:
                    continue
                return False
        except (UnicodeError, LookupError, ValueError, TypeError):
            return False
    return True
