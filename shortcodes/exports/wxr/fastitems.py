"""The item reader's fast path: an ``<item>`` of the plain shape read from its bytes, without expat's callbacks.

:func:`scan_item` reads one ``<item>…</item>`` with a regular expression per
tag and ``find`` over the bytes and returns what
:class:`~shortcodes.exports.wxr.parser._ItemParser` would collect for it (the
fields in document order, where the content and excerpt elements are, the
categories, the post meta), or ``None`` as soon as anything is not of the
plain shape it knows. The plain shape:

* UTF-8 (the caller only asks for UTF-8 input); element names ASCII, with at
  most one prefix, each prefix bound in ``scope`` (the channel's);
  attributes quoted, with no ``&``, ``<``, control character or line break in
  their values, no ``xmlns`` declaration, no name twice;
* between elements only XML white space; a field (and any element that holds
  no element) holds text and CDATA sections, the text with only the five XML
  entities and character references to characters XML allows, and no
  ``]]>``; no comment, processing instruction or ``<!…>`` outside a CDATA
  section; no character XML forbids (C0 controls but tab and line breaks,
  U+FFFE, U+FFFF);
* nothing the exact reader would warn about: no field twice, no element
  inside a field, no ``wp:``/``content:``/``excerpt:``/``dc:`` prefix bound
  to another namespace where the reader looks, no ``<wp:postmeta>`` without a
  ``<wp:meta_key>``, no undeclared prefix; no ``<item>`` inside the item.

Such an item is well-formed and gives the exact reader no warning (but those
of :func:`~shortcodes.exports.wxr.items._build_post`, which both paths call),
so the parser may fill the item from this scan and hand expat, for the
item's content, only as many line breaks and spaces as keep its positions the
file's.  The scan does not look for the characters XML forbids: the caller
checks each chunk once (:func:`allowed_chars`).  Anything else is ``None``:
the exact reader reads the item, with its warnings, errors and recovery.

>>> names = Names({"wp": "http://wordpress.org/export/1.2/"})
>>> data = b'<item><title>A &amp; B</title><wp:post_id>7</wp:post_id><junk a="1"/></item>'
>>> end, after, values, where, terms, meta = scan_item(data, 0, names)
>>> data[end:after], values
(b'</item>', {'title': 'A & B', 'id': '7'})
>>> scan_item(b'<item><title>x</title><!-- a comment --></item>', 0, names) is None
True
"""
from __future__ import annotations

import re
from typing import Optional, Union

from ..post import Meta, Term
from .schema import _CONVENTIONAL, _FIELDS, _ns_kind

__all__ = ["scan_item", "allowed_chars", "line_breaks", "Names", "names_for", "FastItem"]

Buffer = Union[bytes, bytearray]
#: field -> (offset of its start tag, offset of its end event, qname, length of its start tag when the element is
#: that tag and one CDATA section, else -1)
Where = dict[str, tuple[int, int, str, int]]
#: (offset of ``</item>``, offset past it, the fields' texts in document order, where the fields are (the content
#: and excerpt, or every field when asked), terms, meta)
FastItem = tuple[int, int, dict[str, str], Where, list[Term], list[Meta]]


_NAME = rb"[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?"
#: attributes: quoted, no ``<``, ``&``, control character or line break in a value (expat would normalise it)
_ATTRS = rb"""(?:[ \t\r\n]+[A-Za-z_][A-Za-z0-9_.:-]*[ \t\r\n]*=[ \t\r\n]*(?:"[^"<&\x00-\x1f]*"|'[^'<&\x00-\x1f]*'))*"""
_START = re.compile(rb"<(" + _NAME + rb")(" + _ATTRS + rb")[ \t\r\n]*(/?)>")
_ATTR = re.compile(rb"""([A-Za-z_][A-Za-z0-9_.:-]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')""")
_END = re.compile(rb"</(" + _NAME + rb")[ \t\r\n]*>")
#: One step through an item's content (after white space): a start tag (its name, attributes, and ``/`` when
#: empty; ``cdata`` when a CDATA section follows it; ``plain`` and ``close`` when text and the matching end tag
#: do), or an end tag (``closing``).
_STEP = re.compile(
    rb"[ \t\r\n]*+<(?:(?P<name>" + _NAME + rb")(?P<attrs>" + _ATTRS + rb")[ \t\r\n]*+(?:(?P<empty>/)>|>"
    rb"(?:(?P<cdata><!\[CDATA\[)|(?P<plain>[^<]*+)(?P<close></(?P=name)[ \t\r\n]*+>))?)"
    rb"|/(?P<closing>" + _NAME + rb")[ \t\r\n]*+>)")
#: the C0 controls XML forbids (all but tab, LF and CR)
_CONTROLS = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))
_REF = re.compile(r"&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}

# What the reader does with an element, as a child of the item (act0) and as a child of a <wp:postmeta> (act1);
# deeper, and in any other element, it skips every element.
_SKIP, _FIELD, _CATEGORY, _POSTMETA, _PART, _REFUSE = range(6)
_ANCHORED = ("content", "excerpt")


class Names(dict[bytes, "tuple[int, int, str, str, bytes] | None"]):
    """qname (bytes) -> (act0, act1, field or local name, qname, end tag): the names of one namespace scope.

    ``None`` for a name with an undeclared prefix (the exact reader warns).
    """

    def __init__(self, scope: "dict[str, str | None]") -> None:
        super().__init__()
        self.scope = scope
        #: raw attributes -> their values (a category's repeat from item to item)
        self.attrs: dict[bytes, "dict[str, str] | None"] = {}
        #: the templates of the item shapes seen more than once, the last one used first
        self.templates: list[_Template] = []
        #: item shape -> how many times the scan saw it (until it has a template)
        self.shapes: dict[tuple[tuple[int, bytes], ...], int] = {}

    def __missing__(self, qname: bytes) -> "tuple[int, int, str, str, bytes] | None":
        q = qname.decode("ascii")
        prefix, _, local = q.rpartition(":")
        scope = self.scope
        if prefix in scope:
            uri = scope[prefix]
        elif prefix:
            self[qname] = None
            return None
        else:
            uri = None
        kind = _ns_kind(uri)
        hijacked = prefix in _CONVENTIONAL and kind != _CONVENTIONAL[prefix]
        fld = _FIELDS.get((kind, local))
        act0 = act1 = _REFUSE if hijacked else _SKIP
        if fld is not None:
            act0 = _FIELD
        elif kind == "rss" and local == "category":
            act0 = _CATEGORY
        elif kind == "wp" and local == "postmeta":
            act0 = _POSTMETA
        if kind == "wp" and local in ("meta_key", "meta_value"):
            act1 = _PART
        if local == "item":  # an <item> inside the item: read by the exact reader
            act0 = act1 = _REFUSE
        entry = (act0, act1, fld if fld is not None else local, q, b"</" + qname + b">")
        self[qname] = entry
        return entry


_NAMES: dict[tuple[tuple[str, "str | None"], ...], Names] = {}


def names_for(scope: "dict[str, str | None]") -> Names:
    """The :class:`Names` of a namespace scope, shared by the readers of the same bindings (the units of one
    export, its two passes): their attribute cache and templates are learnt once."""
    key = tuple(sorted(scope.items(), key=lambda kv: kv[0]))
    names = _NAMES.get(key)
    if names is None:
        if len(_NAMES) >= 32:
            _NAMES.clear()
        names = _NAMES[key] = Names(dict(scope))
    return names


def _attrs(raw: bytes) -> "dict[str, str] | None":
    """The attributes of a start tag (the part after its name), or None (a namespace declaration, a name twice)."""
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        name = m.group(1).decode("ascii")
        if name in out or name == "xmlns" or name.startswith("xmlns:"):
            return None
        value = m.group(2)
        out[name] = (value if value is not None else m.group(3)).decode("utf-8")
    return out


def _attrs_ok(raw: bytes, names: Names) -> bool:
    """Whether the attributes are plain (see :func:`_attrs`)."""
    if b"xmlns" not in raw and raw.count(b"=") == 1 and raw.isascii():
        return True  # one attribute: no name twice
    got = names.attrs[raw] if raw in names.attrs else _cached_attrs(raw, names)
    return got is not None


def _cached_attrs(raw: bytes, names: Names) -> "dict[str, str] | None":
    cache = names.attrs
    if len(cache) >= 4096:
        cache.clear()
    got = cache[raw] = _attrs(raw)
    return got


def _ref(m: "re.Match[str]") -> str:
    named = m.group(3)
    if named:
        return _NAMED[named]
    code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
    if code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return chr(code)
    raise ValueError(code)  # a reference to a character XML forbids: expat's error, not ours


def _text(raw: bytes) -> "str | None":
    """Character data as expat reports it (line breaks normalised, references replaced), or None."""
    if b"]]>" in raw:
        return None
    s = raw.decode("utf-8")
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        n = s.count("&")
        s, done = _REF.subn(_ref, s)
        if done != n:
            return None
    return s


def allowed_chars(data: Buffer) -> bool:
    """Whether ``data`` (UTF-8) holds no byte or character XML forbids (C0 controls but tab and line breaks,
    U+FFFE, U+FFFF): the scan does not look for them, so the caller checks each chunk once."""
    for b in _FORBIDDEN_BYTES:
        if b in data:
            return False
    return b"\xef" not in data or (b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data)


_FORBIDDEN_BYTES = tuple(bytes((c,)) for c in _CONTROLS)


def line_breaks(data: Buffer, start: int, end: int) -> tuple[int, int]:
    """(line breaks, characters after the last one) in ``data[start:end]`` (UTF-8), as expat counts them: CR LF,
    CR and LF are each one line break."""
    n = data.count(b"\n", start, end)
    brk = data.rfind(b"\n", start, end)
    if data.find(b"\r", start, end) >= 0:
        n += data.count(b"\r", start, end) - data.count(b"\r\n", start, end)
        brk = max(brk, data.rfind(b"\r", start, end))
    tail = data[brk + 1:end] if brk >= 0 else data[start:end]
    return n, len(tail) if tail.isascii() else len(tail.decode("utf-8"))


def scan_item(data: Buffer, s: int, names: Names, *, ranges: bool = False) -> "Optional[FastItem]":
    """Read the ``<item>`` whose ``<`` is at ``data[s]`` (see the module docs), or None.

    ``ranges``: say where every field is (else only the content and the
    excerpt).  The caller checks :func:`allowed_chars` (this scan does not).
    """
    templates = names.templates
    try:
        for i, template in enumerate(templates[:_TRIES]):
            m = template.regex.match(data, s)
            if m is not None:
                if i:
                    templates.insert(0, templates.pop(i))
                return template.apply(m, names, ranges)
        shape: "list[tuple[int, bytes]] | None" = [] if len(templates) < _TEMPLATES else None
        got = _scan(data, s, names, ranges, shape)
    except (UnicodeDecodeError, ValueError):
        return None
    if got is not None and shape:
        key = tuple(shape)
        seen = names.shapes.get(key, 0) + 1
        if seen >= 2:
            names.shapes.pop(key, None)
            templates.insert(0, _Template(key, names))
        elif len(names.shapes) < 256:
            names.shapes[key] = seen
    return got


#: templates kept per namespace scope, and tried per item
_TEMPLATES, _TRIES = 8, 3
# the steps of an item's shape
_T_CDATA, _T_PLAIN, _T_EMPTY, _T_OPEN, _T_CLOSE = range(5)
_WSP = rb"[ \t\r\n]*+"
_CDATA_TEXT = rb"(?:[^\]]++|\](?!\]>))*+"


class _Template:
    """One item shape (its elements in order, each a CDATA section, plain text without ``&`` or ``]``, empty, or
    holding elements) as one regular expression, and what the scan does with each element of it: an item of that
    shape is read with one match, to the same result as :func:`_scan`."""

    def __init__(self, shape: tuple[tuple[int, bytes], ...], names: Names) -> None:
        parts = [b"<item>"]
        steps: list[tuple[int, int, str, str, int]] = []
        depth, postmeta = 0, False
        for kind, qname in shape:
            entry = names[qname]
            assert entry is not None  # the scan read it
            act = entry[0] if not depth else entry[1] if postmeta and depth == 1 else _SKIP
            q = re.escape(qname)
            if kind == _T_CLOSE:
                parts.append(_WSP + b"</" + q + rb"[ \t\r\n]*+>")
                depth -= 1
                steps.append((kind, _POSTMETA if postmeta and not depth else _SKIP, "", "", 0))
                if not depth:
                    postmeta = False
                continue
            head = _WSP + b"<" + q + b"(" + _ATTRS + rb")[ \t\r\n]*+"
            if kind == _T_CDATA:
                parts.append(head + rb"><!\[CDATA\[(" + _CDATA_TEXT + rb")\]\]></" + q + b">")
            elif kind == _T_PLAIN:
                parts.append(head + rb">([^<&\]]*+)</" + q + rb"[ \t\r\n]*+>")
            elif kind == _T_EMPTY:
                parts.append(head + b"/()>")
            else:
                parts.append(head + b">")
                if act == _POSTMETA:
                    postmeta = True
                depth += 1
            steps.append((kind, act, entry[2], entry[3], len(qname)))
        parts.append(_WSP + rb"(</item[ \t\r\n]*+>)")
        self.regex = re.compile(b"".join(parts))
        self.steps = steps

    def apply(self, m: "re.Match[bytes]", names: Names, ranges: bool) -> "Optional[FastItem]":
        """The scan's result for the item ``m`` matched (or None, as the scan would give)."""
        g = m.groups()
        values: dict[str, str] = {}
        where: Where = {}
        terms: list[Term] = []
        meta: list[Meta] = []
        cur: dict[str, str] = {}
        i = 0  # the next group
        for kind, act, what, q, n in self.steps:
            if kind == _T_CLOSE:
                if act == _POSTMETA:
                    if "meta_key" not in cur:
                        return None
                    meta.append(Meta(cur["meta_key"], cur.get("meta_value", "")))
                continue
            attrs = g[i]
            if attrs and not _attrs_ok(attrs, names):
                return None
            if kind == _T_OPEN:
                i += 1
                if act == _POSTMETA:
                    cur = {}
                continue
            raw = g[i + 1]
            i += 2
            if kind == _T_EMPTY:
                text = ""
            elif act == _SKIP:
                if not raw.isascii():
                    raw.decode("utf-8")
                continue
            else:
                text = raw.decode("utf-8")
                if "\r" in text:
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
            if act == _FIELD:
                values[what] = text
                if ranges or what in _ANCHORED:
                    start = m.start(i - 1) - n - 1  # the '<': the attributes follow the name
                    if kind == _T_EMPTY:
                        where[what] = (start, m.end(i) + 1, q, -1)
                    elif kind == _T_CDATA:
                        one = not attrs and m.start(i) - 9 - start == n + 2
                        where[what] = (start, m.end(i) + 3, q, n + 2 if one else -1)
                    else:
                        where[what] = (start, m.end(i), q, -1)
            elif act == _PART:
                cur[what] = text
            elif act == _CATEGORY and attrs:
                got = names.attrs[attrs] if attrs in names.attrs else _cached_attrs(attrs, names)
                if got is None:
                    return None
                if "nicename" in got:
                    terms.append(Term(got.get("domain", ""), got["nicename"], text))
        return m.start(i + 1), m.end(), values, where, terms, meta


def _cdata_text(raw: "bytes | bytearray") -> str:
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _content(data: Buffer, k: int, qname: bytes) -> "tuple[str, int, int] | None":
    """The text of the element whose start tag ends at ``k``, made of text and CDATA sections: (text, offset of its
    end tag, offset past it), or None (an element, a comment... inside, or text that is not plain)."""
    find = data.find
    parts: list[str] = []
    while True:
        c = find(b"<", k)
        if c < 0:
            return None
        if c > k:
            t = _text(bytes(data[k:c]))
            if t is None:
                return None
            parts.append(t)
        if data.startswith(b"<![CDATA[", c):
            e = find(b"]]>", c + 9)
            if e < 0:
                return None
            parts.append(_cdata_text(bytes(data[c + 9:e])))
            k = e + 3
            continue
        m = _END.match(data, c)
        if m is None or m.group(1) != qname:
            return None
        return "".join(parts), c, m.end()


def _scan(data: Buffer, s: int, names: Names, ranges: bool,
          shape: "list[tuple[int, bytes]] | None" = None) -> "Optional[FastItem]":
    """:func:`scan_item`; ``shape``: a list to append the item's shape to (see :class:`_Template`), emptied when
    the item has none a template can match."""
    m = _START.match(data, s)
    if m is None or m.group(1) != b"item" or m.group(3) or (m.group(2) and _attrs(m.group(2)) is None):
        return None
    pos = m.end()
    rec = shape.append if shape is not None and pos - s == 6 else None  # <item ...>: no template
    values: dict[str, str] = {}
    where: Where = {}
    terms: list[Term] = []
    meta: list[Meta] = []
    stack: list[bytes] = []  # the elements open below the item
    cur: "dict[str, str] | None" = None  # the <wp:postmeta> open, at stack[0]
    text: "str | None"
    match = _STEP.match
    find = data.find
    while True:
        m = match(data, pos)
        if m is None:
            return None  # text beside elements, a comment, a processing instruction, a name not plain...
        qname, attrs, empty, cdata, plain, _, closing = m.groups()
        pos = m.end()
        if qname is None:  # an end tag
            if not stack:
                if closing != b"item":
                    return None
                return m.start("closing") - 2, pos, values, where, terms, meta
            if closing != stack.pop():
                return None
            if rec is not None:
                rec((_T_CLOSE, closing))
            if cur is not None and not stack:  # the end of the <wp:postmeta>
                if "meta_key" not in cur:
                    return None  # the reader warns
                meta.append(Meta(cur["meta_key"], cur.get("meta_value", "")))
                cur = None
            continue
        entry = names[qname]
        if entry is None:
            return None
        act = entry[0] if not stack else entry[1] if cur is not None and len(stack) == 1 else _SKIP
        if act == _REFUSE or (attrs and not _attrs_ok(attrs, names)):
            return None
        head = -1
        if cdata is not None:  # <name><![CDATA[
            e = find(b"]]>", pos)
            if e < 0:
                return None
            close_at = e + 3
            if data.startswith(entry[4], close_at):  # ]]></name>: the usual shape
                raw = data[pos:e]
                pos = close_at + len(entry[4])
                if rec is not None:
                    rec((_T_CDATA, qname))
                if act == _SKIP:
                    if not raw.isascii():
                        raw.decode("utf-8")
                    continue
                text = raw.decode("utf-8")
                if "\r" in text:
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                if not attrs and m.end() - m.start("name") == len(qname) + 10:  # <qname><![CDATA[
                    head = len(qname) + 2
            else:
                got = _content(data, pos - 9, qname)
                if got is None:
                    return None
                text, close_at, pos = got
                if rec is not None:
                    shape.clear()  # type: ignore[union-attr]
                    rec = None
        elif plain is not None:
            close_at = m.start("close")
            if rec is not None:
                if b"&" in plain or b"]" in plain:
                    shape.clear()  # type: ignore[union-attr]
                    rec = None
                else:
                    rec((_T_PLAIN, qname))
            if act == _SKIP:
                if not plain.isascii() or b"&" in plain or b"]]>" in plain:
                    if _text(plain) is None:
                        return None
                continue
            text = _text(plain)
        elif empty:
            text, close_at = "", pos
            if rec is not None:
                rec((_T_EMPTY, qname))
        else:  # a bare start tag: an element that holds elements (or text and CDATA)
            c = find(b"<", pos)
            if c < 0:
                return None
            if (act == _SKIP or act == _POSTMETA) and not (c > pos and data[pos:c].strip(b" \t\r\n")):
                if act == _POSTMETA:
                    cur = {}
                stack.append(qname)
                if rec is not None:
                    rec((_T_OPEN, qname))
                continue
            if rec is not None:
                shape.clear()  # type: ignore[union-attr]
                rec = None
            got = _content(data, pos, qname)  # text and CDATA sections, or an element in a field: None
            if got is None:
                return None
            text, close_at, pos = got
            if act == _SKIP:
                continue
        if text is None:
            return None
        if act == _FIELD:
            fld = entry[2]
            if fld in values:
                return None
            values[fld] = text
            if ranges or fld in _ANCHORED:
                where[fld] = (m.start("name") - 1, close_at, entry[3], head)
        elif act == _PART:
            part = entry[2]
            if part in cur:  # type: ignore[operator]
                return None
            cur[part] = text  # type: ignore[index]
        elif act == _CATEGORY:
            if not attrs:
                continue  # a category without a nicename: skipped (WXR 1.0's plain RSS twin)
            got_attrs = names.attrs[attrs] if attrs in names.attrs else _cached_attrs(attrs, names)
            if got_attrs is None:
                return None
            if "nicename" in got_attrs:
                terms.append(Term(got_attrs.get("domain", ""), got_attrs["nicename"], text))
        elif act == _SKIP:
            continue
        else:  # a <wp:postmeta> holding no element
            return None  # the reader warns: no <wp:meta_key>
