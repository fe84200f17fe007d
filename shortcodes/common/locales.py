"""Locales, scripts and text direction: the one home of "which languages are right to left".

Babel is imported only when a locale is actually parsed.

>>> is_rtl("ar-EG"), is_rtl("en"), direction_of("fa")
(True, False, 'rtl')
>>> script_language("اجمالي الحالات"), script_language("Total cases"), script_language("123")
('ar', None, None)
>>> locale_tag(coerce_locale("ar-EG"))
'ar-EG'
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

__all__ = [
    "RTL_LANGUAGES",
    "ARABIC_SCRIPT_LANGUAGES",
    "is_rtl",
    "direction_of",
    "coerce_locale",
    "locale_tag",
    "script_language",
]

#: Languages written right to left (ISO 639 codes).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "sd", "ug", "yi", "dv"})
#: Languages written in the Arabic script.
ARABIC_SCRIPT_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug"})


def is_rtl(language: "str | None") -> bool:
    """True when the language (``ar``, ``ar-EG``, ``ar_EG``) is written right to left."""
    if not language:
        return False
    return language.replace("_", "-").split("-")[0].lower() in RTL_LANGUAGES


def direction_of(language: "str | None") -> str:
    """``"rtl"`` or ``"ltr"`` for a language tag."""
    return "rtl" if is_rtl(language) else "ltr"


def coerce_locale(value: "str | Locale | None", what: str = "locale") -> "Locale | None":
    """A :class:`babel.Locale` for ``"ar-EG"``/``"ar_EG"`` (``None``/``""`` give ``None``).

    Raises :class:`ValueError` naming ``what`` for an unknown locale.
    """
    if value is None or value == "":
        return None
    from babel import Locale, UnknownLocaleError

    if isinstance(value, Locale):
        return value
    try:
        found = _parse(str(value).strip().replace("-", "_"))
        if not isinstance(found, Locale):  # Babel was imported again (a test runner reset sys.modules)
            _parse.cache_clear()
            found = _parse(str(value).strip().replace("-", "_"))
        return found
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"{what} {value!r} is not a known locale ({exc})") from None


@functools.lru_cache(maxsize=64)
def _parse(identifier: str) -> "Locale":
    from babel import Locale

    return Locale.parse(identifier)


def locale_tag(locale: "Locale") -> str:
    """The BCP 47 tag of a Babel locale: ``ar_EG`` → ``ar-EG``."""
    return "-".join(p for p in (locale.language, locale.script, locale.territory, locale.variant) if p)


def _is_arabic_letter(cp: int) -> bool:
    return (0x0620 <= cp <= 0x064A or 0x066E <= cp <= 0x06D3 or 0x06FA <= cp <= 0x06FC
            or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08C9 or 0xFB50 <= cp <= 0xFDFF
            or 0xFE70 <= cp <= 0xFEFC)


_ARABIC_LETTERS = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9"
                             "\ufb50-\ufdff\ufe70-\ufefc]")
_HEBREW_LETTERS = re.compile("[\u05d0-\u05ea]")
#: ASCII letters, and the letters of Latin-1, Latin Extended-A and -B (what ``str.isalpha`` says below U+0250).
_LATIN_LETTERS = re.compile("[A-Za-z" + "".join(chr(c) for c in range(0x80, 0x250) if chr(c).isalpha()) + "]")

#: Runs of those letters: counted by the runs' lengths, which is faster than one match per letter.
_ARABIC_RUNS = re.compile(_ARABIC_LETTERS.pattern + "+")
_HEBREW_RUNS = re.compile(_HEBREW_LETTERS.pattern + "+")
_LATIN_RUNS = re.compile(_LATIN_LETTERS.pattern + "+")
#: The Latin letters above ASCII (Latin-1 Supplement, Latin Extended-A and -B).
_LATIN_EXTENDED_RUNS = re.compile("[" + "".join(chr(c) for c in range(0x80, 0x250) if chr(c).isalpha()) + "]+")
_CHUNK = 2048


def _byte_class(b: int) -> bytes:
    """The class of a UTF-8 byte for :func:`script_language`: ``L`` an ASCII letter; the lead byte of a
    character of U+0080-U+027F ``E`` (Latin-1 and Latin Extended are in it), U+05C0-U+05FF ``H`` (the
    Hebrew letters), U+0600-U+077F, U+0800-U+0FFF or U+F000-U+FFFF ``A`` (every Arabic letter is in
    one of them); anything else ``.``."""
    if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A:
        return b"L"
    if 0xC2 <= b <= 0xC9:
        return b"E"
    if b == 0xD7:
        return b"H"
    if 0xD8 <= b <= 0xDD or b in (0xE0, 0xEF):
        return b"A"
    return b"."


_BYTE_CLASSES = b"".join(_byte_class(b) for b in range(256))


def script_language(text: str) -> str | None:
    """``"ar"`` when Arabic letters outnumber Latin (and Hebrew) ones, ``"he"`` for Hebrew, else ``None``.

    >>> script_language("مرحبا بالعالم hello"), script_language("שלום"), script_language("Café")
    ('ar', 'he', None)

    The letters are first counted by bytes of the UTF-8 text (one ``translate``): the Latin ones exactly
    (ASCII; the rest of Latin-1 and Latin Extended only when there is any), the Arabic and Hebrew ones
    from above (the lead bytes of their blocks).  Only when those bounds do not decide are the Arabic
    letters counted, and without Hebrew only until they outnumber the Latin ones; with Hebrew letters
    possible, :func:`_script_language_counted` counts everything.
    """
    if text.isascii():
        return None
    classes = text.encode("utf-8", "surrogatepass").translate(_BYTE_CLASSES)
    arabic_most, hebrew_most = classes.count(b"A"), classes.count(b"H")
    if not arabic_most and not hebrew_most:
        return None
    latin = classes.count(b"L")
    if classes.count(b"E"):
        latin += sum(map(len, _LATIN_EXTENDED_RUNS.findall(text)))
    if arabic_most <= latin and hebrew_most <= latin:
        return None  # neither can outnumber the Latin letters
    if hebrew_most:
        return _script_language_counted(text)
    arabic = 0
    for start in range(0, len(text), _CHUNK):  # cutting a run in two changes no count
        arabic += sum(map(len, _ARABIC_RUNS.findall(text, start, start + _CHUNK)))
        if arabic > latin:
            return "ar"
    return None


def _script_language_counted(text: str) -> str | None:
    """:func:`script_language` by counting every letter (the reference the byte bounds are checked against)."""
    arabic = sum(map(len, _ARABIC_RUNS.findall(text)))
    hebrew = sum(map(len, _HEBREW_RUNS.findall(text)))
    if not arabic and not hebrew:
        return None  # the Latin letters need no counting
    latin = sum(map(len, _LATIN_RUNS.findall(text)))
    if arabic and arabic > latin and arabic >= hebrew:
        return "ar"
    if hebrew and hebrew > latin:
        return "he"
    return None
