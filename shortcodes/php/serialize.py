"""PHP 8.2's ``unserialize()`` and WordPress's ``maybe_unserialize()``/``is_serialized()``.

WordPress stores structured post meta (``_wp_attachment_metadata``, theme
options...) PHP-serialized, and a WXR export carries it as that text.  String
lengths count **UTF-8 bytes** (``s:2:"é";``), so a value whose byte counts were
broken (a search-and-replace across a database dump, an editor that
re-encoded the file) does not unserialize: PHP's ``unserialize()`` fails, and
WordPress's ``maybe_unserialize()`` then gives ``False``, which is what the
site itself saw (the image then has no metadata).

Values become Python values: ``N`` → ``None``, ``b`` → ``bool``, ``i`` →
``int`` (saturated to 64 bits, as PHP does), ``d`` → ``float``, ``s``/``S`` →
``str`` (UTF-8; bytes that are not UTF-8 come back as lone surrogates), arrays
→ ``dict`` in order (keys ``int`` or ``str``, PHP's numeric-string keys made
ints), objects → :class:`PhpObject`.  ``R:``/``r:`` references share the
Python object they point at, so a self-referencing array is a ``dict`` that
contains itself.

>>> unserialize('a:2:{s:5:"width";i:640;s:4:"file";s:14:"2021/10/é.jpg";}')
{'width': 640, 'file': '2021/10/é.jpg'}
>>> maybe_unserialize('s:1:"é";')          # 2 bytes, not 1: PHP fails, WordPress gives False
False
>>> maybe_unserialize('plain text'), maybe_unserialize(' i:5; ')
('plain text', 5)
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

from ..common.errors import UnserializeError
from .strings import TRIM_CHARS, php_array_key

__all__ = ["PhpObject", "serialize", "unserialize", "maybe_unserialize", "is_serialized", "php_float", "MAX_DEPTH",
           "SerializedArray"]

#: PHP's ``unserialize_max_depth`` default: deeper arrays/objects fail.
MAX_DEPTH = 4096

_INT_MAX = 2**63 - 1
_INT_MIN = -(2**63)


@dataclass(eq=False)
class PhpObject:
    """An unserialized PHP object: its class name and properties, in order.

    A class WordPress does not have is what PHP calls ``__PHP_Incomplete_Class``;
    here every class is kept by name.  Property names keep PHP's mangling
    (``"\\0*\\0name"`` for protected, ``"\\0Class\\0name"`` for private).
    ``custom`` holds the payload of a ``C:`` (``Serializable``) object.

    >>> o = unserialize('O:8:"stdClass":1:{s:1:"a";i:1;}')
    >>> o.class_name, o.properties
    ('stdClass', {'a': 1})
    """

    class_name: str
    properties: dict[str, Any] = field(default_factory=dict)
    custom: "str | None" = None

    def __repr__(self) -> str:
        return f"PhpObject({self.class_name!r}, {len(self.properties)} properties)"


PhpValue = Union[None, bool, int, float, str, dict, PhpObject]

_UIV = re.compile(rb"[0-9]+")
_IV = re.compile(rb"[+-]?[0-9]+;")
_DV = re.compile(rb"(?:NAN|-?INF|[+-]?(?:[0-9]*\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+)(?:[eE][+-]?[0-9]+)?);")
_INT_KEY = re.compile(rb"(?:0|-?[1-9][0-9]*)\Z")


class _Fail(Exception):
    def __init__(self, offset: int) -> None:
        self.offset = offset


def _text(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _saturate(n: int) -> int:
    return _INT_MAX if n > _INT_MAX else _INT_MIN if n < _INT_MIN else n


class _Unserializer:
    """PHP's var_unserializer as a loop with an explicit stack (no recursion limit below MAX_DEPTH)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.slots: list[Any] = []  # what R:/r: can refer to (1-based in the text)

    def fail(self, at: "int | None" = None) -> _Fail:
        return _Fail(self.pos if at is None else at)

    def uiv(self, end: bytes) -> int:
        m = _UIV.match(self.data, self.pos)
        if m is None or self.data[m.end():m.end() + len(end)] != end:
            raise self.fail()
        self.pos = m.end() + len(end)
        return int(m.group())

    def string(self, escaped: bool) -> str:
        """After ``s:``/``S:``: ``len:"bytes";``."""
        n = self.uiv(b':"')
        start = self.pos
        d = self.data
        if not escaped:
            end = start + n
            if end + 2 > len(d) or d[end:end + 2] != b'";':
                raise self.fail(start)
            self.pos = end + 2
            return _text(d[start:end])
        out = bytearray()
        i = start
        while len(out) < n:
            if i >= len(d):
                raise self.fail(i)
            c = d[i]
            if c == 0x5C:  # \xx: two hex digits
                hx = d[i + 1:i + 3]
                if len(hx) < 2 or not all(ch in b"0123456789abcdefABCDEF" for ch in hx):
                    raise self.fail(i)
                out.append(int(hx, 16))
                i += 3
            else:
                out.append(c)
                i += 1
        if d[i:i + 2] != b'";':
            raise self.fail(i)
        self.pos = i + 2
        return _text(bytes(out))

    def key(self) -> "int | str":
        d, p = self.data, self.pos
        t = d[p:p + 2]
        if t == b"i:":
            self.pos = p + 2
            m = _IV.match(d, self.pos)
            if m is None:
                raise self.fail()
            self.pos = m.end()
            return _saturate(int(m.group()[:-1]))
        if t in (b"s:", b"S:"):
            self.pos = p + 2
            raw = self.string(t == b"S:")
            b = raw.encode("utf-8", "surrogateescape")
            if _INT_KEY.match(b):
                n = int(b)
                if _INT_MIN <= n <= _INT_MAX:
                    return n
            return raw
        raise self.fail()

    def run(self) -> Any:
        d = self.data
        # Each frame: [container, remaining, is_object, pending_key]
        stack: list[list[Any]] = []
        result: Any = None
        while True:
            if stack:
                frame = stack[-1]
                if frame[1] == 0:
                    if d[self.pos:self.pos + 1] != b"}":
                        raise self.fail()
                    self.pos += 1
                    stack.pop()
                    if not stack:
                        return result
                    continue
                k = self.key()
                frame[3] = str(k) if frame[2] else k
            value, container = self.scalar_or_open(stack)
            if container is not None:
                if stack:
                    self.store(stack[-1], value)
                else:
                    result = value
                if len(stack) >= MAX_DEPTH:
                    raise self.fail()
                stack.append(container)
                continue
            if not stack:
                return value
            self.store(stack[-1], value)

    @staticmethod
    def store(frame: list[Any], value: Any) -> None:
        target = frame[0].properties if frame[2] else frame[0]
        target[frame[3]] = value
        frame[1] -= 1

    def scalar_or_open(self, stack: list[list[Any]]) -> tuple[Any, "list[Any] | None"]:
        """One value at ``pos``: (value, None), or (a new container, its frame)."""
        d, p = self.data, self.pos
        t = d[p:p + 2]
        if d[p:p + 2] == b"N;":
            self.pos = p + 2
            self.slots.append(None)
            return None, None
        if len(t) < 2 or t[1:] != b":":
            raise self.fail()
        self.pos = p + 2
        kind = t[:1]
        if kind == b"b":
            v = d[self.pos:self.pos + 2]
            if v not in (b"0;", b"1;"):
                raise self.fail()
            self.pos += 2
            value: Any = v == b"1;"
        elif kind == b"i":
            m = _IV.match(d, self.pos)
            if m is None:
                raise self.fail()
            self.pos = m.end()
            value = _saturate(int(m.group()[:-1]))
        elif kind == b"d":
            m = _DV.match(d, self.pos)
            if m is None:
                raise self.fail()
            self.pos = m.end()
            s = m.group()[:-1]
            value = float("nan") if s == b"NAN" else float(s)
        elif kind in (b"s", b"S"):
            value = self.string(kind == b"S")
        elif kind in (b"R", b"r"):
            m = _UIV.match(d, self.pos)
            if m is None or d[m.end():m.end() + 1] != b";":
                raise self.fail()
            n = int(m.group())
            if n < 1 or n > len(self.slots):
                raise self.fail()
            value = self.slots[n - 1]
            if kind == b"r" and not isinstance(value, PhpObject):
                raise self.fail()
            self.pos = m.end() + 1
            if kind == b"r":
                self.slots.append(value)
            return value, None
        elif kind == b"a":
            n = self.uiv(b":{")
            container: dict = {}
            self.slots.append(container)
            return container, [container, n, False, None]
        elif kind in (b"O", b"C"):
            name = self.class_name()
            n = self.uiv(b":{")
            obj = PhpObject(name)
            self.slots.append(obj)
            if kind == b"C":
                end = self.pos + n
                if end + 1 > len(d) or d[end:end + 1] != b"}":
                    raise self.fail()
                obj.custom = _text(d[self.pos:end])
                self.pos = end + 1
                return obj, None
            return obj, [obj, n, True, None]
        else:  # E: (enums) and anything else: WordPress has no enum to restore
            raise self.fail(p)
        self.slots.append(value)
        return value, None

    def class_name(self) -> str:
        n = self.uiv(b':"')
        start = self.pos
        end = start + n
        if n == 0 or end + 2 > len(self.data) or self.data[end:end + 2] != b'":':
            raise self.fail(start)
        self.pos = end + 2
        return _text(self.data[start:end])


_FAST_TOKEN = re.compile(
    rb'a:([0-9]+):\{|s:([0-9]+):"|i:([+-]?[0-9]+);|b:([01]);'
    rb"|d:(NAN|-?INF|[+-]?(?:[0-9]*\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+)(?:[eE][+-]?[0-9]+)?);|N;")
_FAST_DEPTH = 64
_NOT_FAST: Any = object()


def _fast_unserialize(d: bytes) -> Any:
    """The common shapes (arrays of ``s``/``i``/``b``/``d``/``N``, as attachment metadata is) in one loop.

    Gives what :class:`_Unserializer` gives, or ``_NOT_FAST`` for anything else
    (objects, references, ``S:``, deep nesting, every malformed input), which
    the full parser then reads: it alone decides failures and their offsets.
    """
    match = _FAST_TOKEN.match
    pos = 0
    stack: list[list[Any]] = []  # [array, entries left, key]
    result: Any = _NOT_FAST
    while True:
        if stack:
            frame = stack[-1]
            if frame[1] == 0:
                if d[pos:pos + 1] != b"}":
                    return _NOT_FAST
                pos += 1
                stack.pop()
                if not stack:
                    return result
                continue
            m = match(d, pos)
            if m is None:
                return _NOT_FAST
            kind = m.lastindex
            if kind == 2:
                start = m.end()
                end = start + int(m.group(2))
                if d[end:end + 2] != b'";':
                    return _NOT_FAST
                raw = d[start:end]
                key: Any = raw.decode("utf-8", "surrogateescape")
                if _INT_KEY.match(raw):
                    n = int(raw)
                    if _INT_MIN <= n <= _INT_MAX:
                        key = n
                pos = end + 2
            elif kind == 3:
                key = _saturate(int(m.group(3)))
                pos = m.end()
            else:
                return _NOT_FAST
            frame[2] = key
        m = match(d, pos)
        if m is None:
            return _NOT_FAST
        kind = m.lastindex
        if kind == 1:
            container: dict[Any, Any] = {}
            if stack:
                top = stack[-1]
                top[0][top[2]] = container
                top[1] -= 1
            else:
                result = container
            if len(stack) >= _FAST_DEPTH:
                return _NOT_FAST
            stack.append([container, int(m.group(1)), None])
            pos = m.end()
            continue
        value: Any
        if kind == 2:
            start = m.end()
            end = start + int(m.group(2))
            if d[end:end + 2] != b'";':
                return _NOT_FAST
            value = d[start:end].decode("utf-8", "surrogateescape")
            pos = end + 2
        else:
            pos = m.end()
            if kind == 3:
                value = _saturate(int(m.group(3)))
            elif kind == 4:
                value = m.group(4) == b"1"
            elif kind == 5:
                s = m.group(5)
                value = float("nan") if s == b"NAN" else float(s)
            else:
                value = None
        if not stack:
            return value
        top = stack[-1]
        top[0][top[2]] = value
        top[1] -= 1


def _bytes(data: "str | bytes") -> bytes:
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)


def unserialize(data: "str | bytes") -> Any:
    """PHP 8.2's ``unserialize()``: the value, or :class:`UnserializeError` where PHP returns ``false``.

    A ``str`` is taken as its UTF-8 bytes.  What follows the first complete
    value is ignored, as PHP 8.2 ignores it.  The error's ``offset`` is the byte
    where PHP's parser gave up.

    >>> unserialize('a:1:{i:0;R:1;}')[0][0][0] is not None
    True
    >>> unserialize('s:5:"abc";')
    Traceback (most recent call last):
      ...
    shortcodes.common.errors.UnserializeError: unserialize(): error at offset 5 of 10 bytes
    """
    b = _bytes(data)
    value = _fast_unserialize(b)
    if value is not _NOT_FAST:
        return value
    try:
        return _Unserializer(b).run()
    except _Fail as exc:
        raise UnserializeError(exc.offset, len(b)) from None
    except IndexError:  # pragma: no cover - every read is bounds-checked; be safe
        raise UnserializeError(len(b), len(b)) from None


_SER_SCALAR = {
    ord("b"): re.compile(r"b:[0-9.E+-]+;\Z"),
    ord("i"): re.compile(r"i:[0-9.E+-]+;\Z"),
    ord("d"): re.compile(r"d:[0-9.E+-]+;\Z"),
}
_SER_SIZED = {ord(c): re.compile(c + r":[0-9]+:", re.S) for c in "saOE"}


def is_serialized(data: object, strict: bool = True) -> bool:
    """WordPress's ``is_serialized()``: whether ``maybe_unserialize`` would try to unserialize ``data``.

    >>> is_serialized('a:0:{}'), is_serialized('b:1;'), is_serialized('N;'), is_serialized('s:3:"ab";x')
    (True, True, True, False)
    """
    if not isinstance(data, str):
        return False
    data = data.strip(TRIM_CHARS)
    if data == "N;":
        return True
    if len(_bytes(data)) < 4 or data[1:2] != ":":
        return False
    if strict:
        if data[-1] not in ";}":
            return False
    else:
        semicolon, brace = data.find(";"), data.find("}")
        if semicolon < 0 and brace < 0:
            return False
        if 0 <= semicolon < 3 or 0 <= brace < 4:
            return False
    token = data[0]
    if token == "s":
        if strict:
            if data[-2:-1] != '"':
                return False
        elif '"' not in data:
            return False
    if token in "saOE":
        return _SER_SIZED[ord(token)].match(data) is not None
    if token in "bid":
        if strict:
            return _SER_SCALAR[ord(token)].match(data) is not None
        return re.match(token + r":[0-9.E+-]+;", data) is not None
    return False


def maybe_unserialize(data: Any) -> Any:
    """WordPress's ``maybe_unserialize()``: a serialized string unserialized, ``False`` if PHP fails, else ``data``.

    >>> maybe_unserialize('a:1:{s:4:"file";s:5:"x.jpg";}')
    {'file': 'x.jpg'}
    >>> maybe_unserialize('a:1:{s:4:"file";s:9:"x.jpg";}')   # a broken byte count
    False
    """
    if is_serialized(data):
        try:
            return unserialize(data.strip(TRIM_CHARS))
        except UnserializeError:
            return False
    return data


# -- serialize ---------------------------------------------------------------------------

def php_float(f: float) -> str:
    """A float as PHP 8.2 prints it with ``serialize_precision = -1`` (``serialize()``, ``var_export``, JSON).

    The shortest digits that read back as ``f``, in fixed notation unless the
    decimal exponent is below -4 or above 16, then as ``1.0E+25``.

    >>> php_float(750.0), php_float(0.1), php_float(1e-05), php_float(1e25), php_float(-0.0)
    ('750', '0.1', '1.0E-5', '1.0E+25', '-0')
    """
    if math.isnan(f):
        return "NAN"
    if math.isinf(f):
        return "INF" if f > 0 else "-INF"
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    sign = "-" if f < 0 else ""
    t = Decimal(repr(abs(f))).normalize().as_tuple()
    digits = "".join(map(str, t.digits))
    decpt = len(digits) + int(t.exponent)
    if decpt < -3 or decpt > 17:
        e = decpt - 1
        return f"{sign}{digits[0]}.{digits[1:] or '0'}E{'+' if e >= 0 else '-'}{abs(e)}"
    if decpt <= 0:
        return f"{sign}0.{'0' * -decpt}{digits}"
    if decpt >= len(digits):
        return sign + digits + "0" * (decpt - len(digits))
    return f"{sign}{digits[:decpt]}.{digits[decpt:]}"


def serialize(value: Any) -> str:
    """PHP's ``serialize()`` of a Python value (the inverse of :func:`unserialize`; the result as ``str``).

    ``dict`` keys follow PHP's array-key rule (``"5"`` is the integer 5), a
    ``list``/``tuple`` is a list array, a :class:`PhpObject` an object; string
    lengths are UTF-8 bytes.  WordPress's oEmbed cache keys are
    ``md5($url . serialize($attr))``:

    >>> serialize({"width": 500, "height": 750.0})
    'a:2:{s:5:"width";i:500;s:6:"height";d:750;}'
    >>> serialize("é"), serialize([True, None])
    ('s:2:"é";', 'a:2:{i:0;b:1;i:1;N;}')
    """
    out: list[str] = []
    _ser(value, out)
    return "".join(out)


def _ser(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("N;")
    elif value is True or value is False:
        out.append("b:1;" if value else "b:0;")
    elif isinstance(value, int):
        out.append(f"i:{value};")
    elif isinstance(value, float):
        out.append(f"d:{php_float(value)};")
    elif isinstance(value, str):
        out.append(f's:{len(value.encode("utf-8", "surrogateescape"))}:"{value}";')
    elif isinstance(value, dict):
        out.append(f"a:{len(value)}:{{")
        for k, v in value.items():
            _ser(php_array_key(k) if isinstance(k, str) else int(k), out)
            _ser(v, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append(f"a:{len(value)}:{{")
        for i, v in enumerate(value):
            out.append(f"i:{i};")
            _ser(v, out)
        out.append("}")
    elif isinstance(value, PhpObject):
        name = value.class_name
        out.append(f'O:{len(name.encode("utf-8", "surrogateescape"))}:"{name}":{len(value.properties)}:{{')
        for k, v in value.properties.items():
            _ser(str(k), out)
            _ser(v, out)
        out.append("}")
    else:
        raise TypeError(f"PHP cannot hold a {type(value).__name__}")


class SerializedArray(Mapping[Any, Any]):
    """The array a serialized meta value holds, unserialized when it is first read.

    ``maybe_unserialize(raw)`` when that is an array; empty (falsy) when it is
    not one or PHP could not unserialize it, which is what
    ``wp_get_attachment_metadata()`` makes of such a value.  A site's export
    carries every attachment's ``_wp_attachment_metadata`` and a conversion
    reads few of them, so the site model keeps the text and pays for the
    parse of those it reads.  It pickles as its text; it equals a ``dict`` with
    the same items.

    >>> meta = SerializedArray('a:2:{s:5:"width";i:640;s:6:"height";i:480;}')
    >>> meta["width"], dict(meta) == {"width": 640, "height": 480}, meta
    (640, True, {'width': 640, 'height': 480})
    >>> bool(SerializedArray('a:1:{s:4:"file";s:9:"x.jpg";}'))   # a broken byte count: nothing
    False
    """

    __slots__ = ("raw", "_value")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._value: "dict[Any, Any] | None" = None

    @property
    def value(self) -> "dict[Any, Any]":
        """The unserialized array (``{}`` when there is none)."""
        if self._value is None:
            found = maybe_unserialize(self.raw)
            self._value = found if isinstance(found, dict) else {}
        return self._value

    def __getitem__(self, key: Any) -> Any:
        return self.value[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __contains__(self, key: object) -> bool:
        return key in self.value

    def get(self, key: Any, default: Any = None) -> Any:
        return self.value.get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SerializedArray):
            return self.raw == other.raw or self.value == other.value
        return self.value == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a mapping: unhashable, as a dict is

    def __repr__(self) -> str:
        return repr(self.value)

    def __reduce__(self) -> "tuple[type[SerializedArray], tuple[str]]":
        return SerializedArray, (self.raw,)
