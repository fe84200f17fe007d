"""Hypothesis strategies for shortcode text: property-based tests for themes.

Every strategy here generates text that WordPress and :func:`shortcodes.parse`
read the same way, together with what they read from it, so a theme's tests
can state properties ("every card renders", "no input crashes the template")
instead of listing examples::

    from hypothesis import given
    from shortcodes import strategies as sst

    @given(sst.covid_cards())
    def test_every_card_renders(render_shortcode, case):
        html = render_shortcode(case.text)
        assert "[covid19-ultimate-card" not in html

What there is:

* building blocks: :func:`tag_names`, :func:`attribute_names`,
  :func:`attribute_values`;
* whole shortcodes: :func:`shortcodes` (source text) and
  :func:`shortcode_cases` (:class:`ShortcodeCase`: the text *and* the name,
  attributes and content a parser must find in it), optionally in the
  "texturized" forms WordPress's ``wptexturize()`` gives a shortcode whose
  plugin is not active (``region=&#8221;EG&#8221;`` / ``region=”EG”``);
* posts: :func:`documents` / :func:`document_cases` (prose, HTML, stray
  brackets such as ``[1]`` and ``[citation needed]``, escaped ``[[gallery]]``
  and shortcodes, English and Arabic);
* the COVID-19 card: :func:`~shortcodes.cards.strategies.covid_card_attributes`
  and :func:`~shortcodes.cards.strategies.covid_cards` (in the card's package,
  re-exported by ``shortcodes.strategies``);
* :func:`~shortcodes.wordpress.formatting.wptexturize`: WordPress 6.1.9's
  ``wptexturize()`` for text in which no shortcode is registered (what the
  texturized forms are made with; checked against WordPress's own PHP).

The property all of them satisfy (``tests/test_strategies.py`` checks it):

>>> from hypothesis import given, settings
>>> from shortcodes import parse
>>> @settings(max_examples=25, database=None)
... @given(shortcode_cases(texturized=True))
... def check(case):
...     sc = parse(case.text).children[0]
...     assert (sc.name, dict(sc.attrs), sc.positional) == (case.name, dict(case.attrs), case.positional)
>>> check()
"""
from __future__ import annotations

import functools
import html as _html
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Literal, Mapping, Union

from hypothesis import strategies as st

from ..core.values import unclosed_html
from ..wordpress.formatting import wptexturize

__all__ = [
    "REALISTIC_TAG_NAMES",
    "REALISTIC_ATTRIBUTE_NAMES",
    "PHP_DATE_FORMATS",
    "ShortcodeCase",
    "DocumentCase",
    "tag_names",
    "attribute_names",
    "attribute_values",
    "shortcode_cases",
    "shortcodes",
    "document_cases",
    "documents",
    "wptexturize",
]

Texturized = Union[bool, Literal["entities", "characters"]]

# ---------------------------------------------------------------------------
# realistic vocabularies
# ---------------------------------------------------------------------------

#: Tag names seen in real WordPress posts (core, popular plugins, this project).
REALISTIC_TAG_NAMES: tuple[str, ...] = (
    "gallery", "caption", "audio", "video", "playlist", "embed", "wp_caption",
    "covid19-ultimate-card", "contact-form-7", "gravityform", "wpforms",
    "button", "row", "column", "tabs", "tab", "accordion", "toggle", "quote",
    "pullquote", "su_note", "su_button", "vc_row", "vc_column", "vc_column_text",
    "et_pb_section", "rev_slider", "products", "product_page", "woocommerce_cart",
    "map", "youtube", "spoiler", "alert", "box", "icon", "table", "countdown",
)

#: Attribute names seen in real shortcodes.
REALISTIC_ATTRIBUTE_NAMES: tuple[str, ...] = (
    "id", "ids", "size", "columns", "link", "orderby", "order", "include", "exclude",
    "title", "class", "url", "src", "href", "width", "height", "align", "caption",
    "style", "type", "color", "target", "autoplay", "loop", "limit", "category",
    "region", "region-name", "bg-color", "font-color", "bg-position", "rtl",
    "last-update", "confirmed-label", "deaths-24h", "data-id", "aria-label",
    "html_id", "el_class", "css_animation", "Name", "dataType",
)

_ENGLISH = (
    "Hello world", "Latest figures", "It's a test", "Wait... what?", "rock 'n' roll",
    "Photo: the old bridge", "Total cases", "New deaths", "Recovered", "Last update",
    "Read more", "Download (PDF, 2 MB)", "50% off!", "Q&A", "café au lait",
    "The '90s", "A, B and C", "yes", "no", "true", "false", "left", "Size: 300x200",
)
_ARABIC = (
    "مصر", "الإمارات العربية المتحدة", "فلسطين", "العالم", "اجمالي الحالات",
    "الحالات الجديدة", "اجمالي الوفيات", "الوفيات الجديدة", "نسبة الوفيات",
    "المتعافون", "حالات تحت العلاج", "تم تحديث البيانات في :", "سوريا", "الحسكة",
    "آخر تحديث ٢٠٢٢", "عملية سجن غويران",
)
_NUMBERS = ("0", "1", "42", "1,2,3", "12,34,56", "3.14", "-7", "100%", "2020-01-01", "300x200", "١٢٣", "007")
_URLS = (
    "https://example.com/", "https://example.com/path/to/page?a=1&b=2",
    "http://x.org/a_b-c.html#frag", "/wp-content/uploads/2020/03/map.png",
    "mailto:editor@example.com", "https://ar.wikipedia.org/wiki/مصر",
    "//cdn.example.net/lib.js", "https://example.com/search?q=a+b&lang=ar",
)
_COLOURS = ("#0c3278", "#fff", "#FFFFFF", "#ffffff80", "red", "transparent",
            "rgb(12, 50, 120)", "rgba(0,0,0,.5)", "hsl(210, 50%, 40%)", "currentColor")

#: PHP ``date()`` formats as used in ``last-update`` (see :mod:`shortcodes.phpdate`).
PHP_DATE_FORMATS: tuple[str, ...] = (
    "Y-m-d H:i", "Y-m-d", "d/m/Y", "d/m/Y H:i", "F j, Y", "F j, Y g:i a", "j F Y",
    "D, d M Y H:i", "l jS F Y", "H:i", "g:i A", "Y/m/d G:i", "M j", "c",
)
_QUOTY = (
    'say "hi"', "it's", '"quoted"', "'single'", 'a [bracket', "[1", "(parens)", "{braces}",
    "<b>bold</b>", "<a href='/x'>link</a>", "a > b", "x=y", "a/b", "50/50", "",
)

# Characters for random values: anything but what a value can never hold
# (``]``), what shortcode_parse_atts() rewrites (``\\``: stripcslashes; NBSP
# and ZWSP: become spaces; ``<``: unclosed HTML becomes '') and surrogates.
_VALUE_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"),
    blacklist_characters="]\\<\u00a0\u200b",
)
# Values that stay readable after wptexturize() + curly-quote recovery (see
# _texturize_safe): no double quotes, no HTML, no characters wptexturize
# writes or that recovery rewrites, no backslashes.
_SAFE_WORD_CHARS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "#%()+,.:;!?@/=_*$~^|{}"
    "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإةى"
)

# Any character but surrogates and brackets (prose and content).
_NO_BRACKET_CHARS = st.characters(blacklist_categories=["Cs"], blacklist_characters="[]")
# Free text inside an enclosing tag: no bare "<" either.  do_shortcode() reads
# "<" up to the next ">" (or the end) as an HTML element and encodes the
# brackets in it, so a stray "<" before "[/name]" hides the closing tag.
_CONTENT_CHARS = st.characters(blacklist_categories=["Cs"], blacklist_characters="[]<")
_WS_CHARS = " \t\n\x0b\x0c\r\u00a0\u200b"
_NAME_FORBIDDEN = frozenset("&/<>[]=")
_TAG_NAME_RX = re.compile(r"[^<>&/\[\]\x00-\x20=]+\Z")
_ATTR_NAME_RX = re.compile(r"[A-Za-z0-9_-]+\Z")
_INT_KEY = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")
_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
# Changed by wptexturize(): digit-x-digit (multiplication sign), "--" (dashes).
_TEXTURIZE_UNSTABLE_NAME = re.compile(r"\dx\d|--")


def _valid_tag_name(name: str) -> bool:
    return bool(_TAG_NAME_RX.match(name))


# ---------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------

def tag_names(*, realistic_only: bool = False) -> st.SearchStrategy[str]:
    """Shortcode tag names that WordPress's ``add_shortcode()`` accepts.

    Mostly realistic ASCII names (``gallery``, ``covid19-ultimate-card``, or
    generated ones matching ``[a-z][a-z0-9_]*(-[a-z0-9_]+)*``); sometimes any
    name ``add_shortcode()`` takes: anything without ``& / < > [ ] =``, spaces
    and control characters, so ``good!``, ``مصر`` or ``a.b`` too.
    ``realistic_only=True`` keeps to the ASCII kind.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=30, database=None)
    ... @given(tag_names())
    ... def check(name):
    ...     assert name and not set(name) & set("&/<>[]= ")
    >>> check()
    """
    return _tag_names(realistic_only)


@functools.lru_cache(maxsize=None)
def _tag_names(realistic_only: bool) -> st.SearchStrategy[str]:
    realistic = st.one_of(st.sampled_from(REALISTIC_TAG_NAMES), _realistic_names())
    if realistic_only:
        return realistic
    other = st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                               blacklist_characters="&/<>[]="),
        min_size=1, max_size=12,
    ).filter(_valid_tag_name)
    return st.one_of(realistic, realistic, realistic, other)


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_SEGMENT = _LOWER + "0123456789_"


@functools.lru_cache(maxsize=None)
def _realistic_names() -> st.SearchStrategy[str]:
    """``[a-z][a-z0-9_]*(-[a-z0-9_]+)*``, short, without ``--`` or digit-x-digit."""
    head = st.builds(lambda a, b: a + b, st.sampled_from(_LOWER), st.text(alphabet=_SEGMENT, max_size=10))
    tail = st.lists(st.text(alphabet=_SEGMENT, min_size=1, max_size=8), max_size=2)
    return st.builds(lambda h, t: "-".join([h, *t]), head, tail).filter(
        lambda s: not _TEXTURIZE_UNSTABLE_NAME.search(s))


def attribute_names(*, realistic_only: bool = False) -> st.SearchStrategy[str]:
    """Attribute names WordPress reads as names: ``[A-Za-z0-9_-]+``.

    Mostly realistic (``region-name``, ``bg-color``, ``ids``), sometimes any
    such name, in any case (WordPress lower-cases them).  Never ``0``, which
    WordPress silently drops (``empty("0")`` is true in PHP).
    ``realistic_only=True`` gives lower-case names that ``wptexturize()``
    leaves alone.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=30, database=None)
    ... @given(attribute_names())
    ... def check(name):
    ...     assert re.fullmatch(r"[A-Za-z0-9_-]+", name) and not name.isdigit()
    >>> check()
    """
    return _attribute_names(realistic_only)


@functools.lru_cache(maxsize=None)
def _attribute_names(realistic_only: bool) -> st.SearchStrategy[str]:
    realistic = st.one_of(st.sampled_from(REALISTIC_ATTRIBUTE_NAMES), _realistic_names())
    if realistic_only:
        return realistic
    other = st.text(alphabet="".join(sorted(_WORD)), min_size=1, max_size=16).filter(
        lambda s: not _INT_KEY.match(s))
    return st.one_of(realistic, realistic, other)


def attribute_values(*, texturizable: bool = False) -> st.SearchStrategy[str]:
    """Attribute values that can be written in a shortcode and read back.

    English, Arabic, numbers, URLs, CSS colours, PHP date formats, values with
    quotes, brackets or HTML, and random text.  Every value is representable:

    * no ``]`` (it would end the tag) and never both ``"`` and ``'`` (a
      ``"``-quoted value cannot hold ``"``, a ``'``-quoted one ``'``; WordPress
      has no escape);
    * nothing ``shortcode_parse_atts()`` would rewrite: no backslash
      (``stripcslashes``), no NBSP or zero-width space (become spaces), no
      ``<`` that does not open a complete HTML tag (the value becomes ``''``).

    ``texturizable=True`` restricts to values that survive ``wptexturize()``
    and curly-quote recovery unchanged: no ``"``, no HTML, no dashes other
    than a single ``-`` inside a word, no ``''``, no ``&`` except before a
    query parameter, single spaces between words and none at either end, and
    no last word ending in ``=`` (``"a b="``: texturized, `` b=”`` reads as
    the next attribute's start, see the README).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=50, database=None)
    ... @given(attribute_values())
    ... def check(value):
    ...     assert "]" not in value and not ('"' in value and "'" in value)
    >>> check()
    """
    return _attribute_values(texturizable)


@functools.lru_cache(maxsize=None)
def _attribute_values(texturizable: bool) -> st.SearchStrategy[str]:
    if texturizable:
        return _texturizable_values()
    pools = st.sampled_from(_ENGLISH + _ARABIC + _NUMBERS + _URLS + _COLOURS + PHP_DATE_FORMATS + _QUOTY)
    random_text = st.text(alphabet=_VALUE_CHARS, max_size=20)
    return st.one_of(pools, pools, random_text).filter(_representable)


def _representable(value: str) -> bool:
    if "]" in value or ('"' in value and "'" in value) or "\\" in value:
        return False
    if "\u00a0" in value or "\u200b" in value:
        return False
    return not unclosed_html(value)


def _texturizable_values() -> st.SearchStrategy[str]:
    def joined(sep: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(*parts).map(sep.join)

    letters = st.text(alphabet=_LOWER, min_size=1, max_size=6)
    alnum = st.text(alphabet=_LOWER + "ABCXYZ0123456789", min_size=1, max_size=6)
    digits = st.text(alphabet="0123456789", min_size=1, max_size=4)
    word = st.one_of(
        st.text(alphabet=_SAFE_WORD_CHARS, min_size=1, max_size=8),
        joined("'", letters, letters),                      # it's, don't
        joined("-", alnum, alnum),                          # Y-m-d, bg-color
        joined("x", digits, digits),                        # 300x200
        st.builds("https://{}.com/{}?a={}&b={}".format, letters, letters, digits, digits),
        st.sampled_from(("'90s", "'tis", "...", "a...b", "50%", "#0c3278", "Y-m-d", "H:i", "'n'")),
    )
    phrases = st.lists(word, min_size=0, max_size=5).map(" ".join)
    pools = st.sampled_from(tuple(v for v in _ENGLISH + _ARABIC + _NUMBERS + _URLS + _COLOURS + PHP_DATE_FORMATS
                                  if _texturize_safe(v)))
    return st.one_of(pools, phrases).filter(_texturize_safe)


_UNSAFE_TEXTURIZE = re.compile(
    r"""["\\<>`\u00a0\u200b\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"""
    r"""\u2039\u203a\u2026\u00d7\u2013\u2014\u2122\]]|--|''|(?:^|\s)-|-(?:\s|$)|\(tm\)|&(?![a-z]=)|^\s|\s$|\s\s"""
)


_NAME_AT_END = re.compile(r"\s[^\s=]*=$")  # " b=" before the closing quote: the next attribute's start


def _texturize_safe(value: str) -> bool:
    return not _UNSAFE_TEXTURIZE.search(value) and not _NAME_AT_END.search(value) and _representable(value)


# ---------------------------------------------------------------------------
# shortcodes
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ShortcodeCase:
    """One generated shortcode and what a parser must read from it.

    ``text`` is the source (what goes into a post); ``name``, ``attrs``
    (lower-cased names, as WordPress gives them to the handler),
    ``positional`` and ``content`` (``None`` unless enclosing) are the values
    :func:`shortcodes.parse` gives back for it, with the default curly-quote
    recovery.  ``straight`` is the text before texturizing (equal to ``text``
    unless ``texturized``; ``texturized`` is ``""``, ``"entities"`` or
    ``"characters"``).  For a texturized enclosing shortcode, ``content`` is
    the content *as texturized*: WordPress texturizes content too, and the
    parser keeps content as written.

    >>> case = ShortcodeCase('[b x="1"]', "b", {"x": "1"})
    >>> case.attrs["x"], case.enclosing
    ('1', False)
    """

    text: str
    name: str
    attrs: Mapping[str, str] = field(default_factory=dict)
    positional: tuple[str, ...] = ()
    content: str | None = None
    self_closing: bool = False
    straight: str = ""
    texturized: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))
        if not self.straight:
            object.__setattr__(self, "straight", self.text)

    def __hash__(self) -> int:
        return hash((self.text, self.name, self.straight, self.texturized))

    @property
    def enclosing(self) -> bool:
        """True for ``[name]…[/name]``."""
        return self.content is not None


@dataclass(frozen=True)
class _Spec:
    """A shortcode before it is written out (documents may rewrite the closing form)."""

    name: str
    attributes: tuple[tuple[str | None, str, str], ...]  # (name, value, quote)
    seps: tuple[str, ...]                               # whitespace before each attribute
    content: str | None
    closing: str                                        # "]", "/]" or " /]"
    eq: tuple[str, ...] = ()                            # "=" as written for each attribute

    def source(self, closing: str | None = None) -> str:
        parts = ["[", self.name]
        for i, (name, value, quote) in enumerate(self.attributes):
            parts.append(self.seps[i])
            if name is not None:
                parts.append(name)
                parts.append(self.eq[i] if self.eq else "=")
            parts.append(f"{quote}{value}{quote}")
        close = self.closing if closing is None else closing
        if self.content is not None:
            close = "]"
        parts.append(close)
        if self.content is not None:
            parts.append(f"{self.content}[/{self.name}]")
        return "".join(parts)

    def expected(self) -> tuple[dict[str, str], tuple[str, ...]]:
        named: dict[str, str] = {}
        pos: list[str] = []
        for name, value, _q in self.attributes:
            if name is None:
                if value:
                    pos.append(value)
            else:
                named[name.lower()] = value
        return named, tuple(pos)


def _quotes_for(value: str, positional: bool, texturized: bool) -> list[str]:
    """The quoting forms that can carry ``value``."""
    if '"' in value:
        options = ["'"]
    elif "'" in value:
        options = ['"']
    else:
        options = ['"', "'"]
    bare_ok = (
        value
        and not (set(value) & set(_WS_CHARS + "'\""))
        and not value.endswith("/")
        and not (positional and "=" in value)
        and not _RECOVERY_TRIGGER.search(value)
        and not (texturized and _UNSAFE_BARE_TEXTURIZE.search(value))
    )
    if bare_ok:
        options.append("")
    return options


# A bare value holding typographic quotes or "&" could be read as a value in
# recovered quotes (``a=”x”``, ``&quot;x&quot;``): such values are quoted.
_RECOVERY_TRIGGER = re.compile("[&\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2018\u2019\u201a\u201b\u2032\u2039\u203a]")
# A bare value must come out of wptexturize() unchanged (recovery would not
# apply to it when the tag has no quoted value).
_UNSAFE_BARE_TEXTURIZE = re.compile(r"\.\.\.|-|&|\dx\d|\(tm\)")


@st.composite
def _specs(draw, tags=None, enclosing: bool | None = None, texturized: bool = False,
           attributes: "st.SearchStrategy[list[tuple[str | None, str]]] | None" = None) -> _Spec:
    if tags is None:
        name = draw(tag_names(realistic_only=texturized))
    elif isinstance(tags, st.SearchStrategy):
        name = draw(tags)
    else:
        name = draw(st.sampled_from(sorted(tags)))
    if not _valid_tag_name(name):
        raise ValueError(f"{name!r} is not a tag name WordPress accepts (add_shortcode() rejects it)")
    pairs = draw(_attribute_pairs(texturized) if attributes is None else attributes)
    attrs: list[tuple[str | None, str, str]] = []
    for key, value in pairs:
        options = _quotes_for(value, key is None, texturized)
        if not options:
            raise ValueError(f"value {value!r} cannot be written in a shortcode")
        attrs.append((key, value, draw(st.sampled_from(options))))
    if texturized:
        seps = tuple(" " for _ in attrs)
        eq: tuple[str, ...] = ()
    else:
        seps = tuple(draw(_SEPS) for _ in attrs)
        eq = tuple(draw(_EQS) for _ in attrs)
    is_enclosing = draw(st.booleans()) if enclosing is None else enclosing
    content = None
    closing = "]"
    if is_enclosing:
        content = draw(_contents(texturized).filter(lambda c: f"[/{name}]" not in c))
    else:
        closing = draw(_CLOSINGS)  # `x=1/]`: the slash closes the tag, the value stays `1`
    return _Spec(name, tuple(attrs), seps, content, closing, eq)


@functools.lru_cache(maxsize=None)
def _attribute_pairs(texturized: bool) -> st.SearchStrategy[list[tuple[str | None, str]]]:
    """Up to five named and two positional attributes, in any order."""
    values = attribute_values(texturizable=texturized)
    named = st.lists(st.tuples(attribute_names(realistic_only=texturized), values), max_size=5,
                     unique_by=lambda t: t[0].lower())
    positional = st.lists(values.filter(bool), max_size=2)

    def combine(t: tuple[list[tuple[str, str]], list[str]]) -> list[tuple[str | None, str]]:
        pairs: list[tuple[str | None, str]] = [*t[0]]
        pairs.extend((None, v) for v in t[1])
        return pairs

    return st.tuples(named, positional).map(combine).flatmap(
        lambda pairs: st.permutations(pairs) if len(pairs) > 1 else st.just(pairs))


_SEPS = st.sampled_from((" ", " ", " ", "  ", "\n", "\t", " \n  "))
_EQS = st.sampled_from(("=", "=", "=", " = ", "= "))
_CLOSINGS = st.sampled_from(("]", "]", "/]", " /]"))


@functools.lru_cache(maxsize=None)
def _contents(texturized: bool) -> st.SearchStrategy[str]:
    sentences = _ENGLISH + _ARABIC
    if texturized:
        return st.lists(st.sampled_from(sentences), max_size=3).map(" ".join)
    pieces = st.one_of(
        st.sampled_from(sentences),
        st.sampled_from(('<img src="/a.png" alt="">', "<strong>", "</strong>", "\n\n", "<br />", "&nbsp;")),
        st.text(alphabet=_CONTENT_CHARS, max_size=15),
    )
    return st.lists(pieces, max_size=4).map("".join)


def _texturize_case(spec: _Spec, form: str, text: str | None = None) -> ShortcodeCase:
    straight = spec.source() if text is None else text
    named, pos = spec.expected()
    if not form:
        return ShortcodeCase(straight, spec.name, named, pos, spec.content, _self_closing(spec), straight, "")
    tex = wptexturize(straight)
    if form == "characters":
        tex = _html.unescape(tex)
    content = None
    if spec.content is not None:
        # The opening tag ends at the first "]" and the closing tag is not
        # changed by wptexturize (tag names here are texturize-stable).
        close = f"[/{spec.name}]"
        content = tex[tex.index("]") + 1: len(tex) - len(close)]
    return ShortcodeCase(tex, spec.name, named, pos, content, _self_closing(spec), straight, form)


def _self_closing(spec: _Spec) -> bool:
    return spec.content is None and spec.closing != "]"


def _forms(texturized: Texturized) -> st.SearchStrategy[str]:
    if texturized is True:
        return st.sampled_from(("entities", "characters"))
    if texturized is False:
        return st.just("")
    if texturized in ("entities", "characters"):
        return st.just(texturized)
    raise ValueError(f"texturized must be True, False, 'entities' or 'characters', not {texturized!r}")


def shortcode_cases(tags: "Iterable[str] | st.SearchStrategy[str] | None" = None,
                    enclosing: bool | None = None, texturized: Texturized = False) -> st.SearchStrategy[ShortcodeCase]:
    """Shortcodes with the values a parser must read from them (:class:`ShortcodeCase`).

    ``tags``: names to draw from (a collection or a strategy); ``None`` uses
    :func:`tag_names`.  ``enclosing``: ``True`` for ``[name …]content[/name]``
    only, ``False`` for ``[name …]`` / ``[name …/]`` only, ``None`` for both.
    Attributes (up to five named, up to two positional, in any order) use
    every quoting form that can carry their value: ``"…"``, ``'…'`` or bare,
    with realistic spacing (``a = "1"``, newlines between attributes).

    ``texturized``: ``False`` gives straight quotes, as typed in the editor.
    ``"entities"`` gives what ``wptexturize()`` makes of that text when the
    tag is *not* registered (plugin inactive, feed, excerpt):
    ``name="v"`` → ``name=&#8221;v&#8221;`` (``&#8243;`` closes a value
    ending in a digit), ``name='v'`` → ``name=&#8217;v&#8217;``
    (``&#8242;`` after a digit), positional ``"v"`` → ``&#8220;v&#8221;``,
    ``it's`` → ``it&#8217;s``, ``...`` → ``&#8230;``, ``300x200`` →
    ``300&#215;200``, ``&`` → ``&#038;``.  ``"characters"`` is the same text
    after a browser decoded the entities (``region=”EG”``, ``bg-color=”#0c3278″``),
    which is what gets copied and pasted back into posts.  ``True`` draws
    either.  Texturized cases keep to names and values that survive the
    round trip (see ``attribute_values(texturizable=True)``); the expected
    ``attrs`` are the straight values, which :func:`shortcodes.parse`
    recovers by default (``parse(text, strict=True)`` gives what WordPress
    itself reads: the curly characters included).

    >>> from hypothesis import given, settings
    >>> from shortcodes import parse
    >>> @settings(max_examples=30, database=None)
    ... @given(shortcode_cases(tags=["gallery", "caption"], enclosing=True))
    ... def check(case):
    ...     sc = parse(case.text, tags=[case.name]).children[0]
    ...     assert sc.content == case.content and dict(sc.attrs) == dict(case.attrs)
    >>> check()
    """
    if tags is not None and not isinstance(tags, st.SearchStrategy):
        tags = tuple(tags)
        if not tags:
            raise ValueError("tags is empty: give at least one tag name (or None for any)")
        for t in tags:
            if not isinstance(t, str) or not _valid_tag_name(t):
                raise ValueError(f"{t!r} is not a tag name WordPress accepts (add_shortcode() rejects it)")
            if texturized is not False and (_TEXTURIZE_UNSTABLE_NAME.search(t) or not set(t) <= _WORD):
                raise ValueError(f"tag name {t!r} is changed by wptexturize(); texturized cases need "
                                 "names made of [A-Za-z0-9_-] without '--' or a digit-x-digit")
    return _forms(texturized).flatmap(
        lambda form: _specs(tags, enclosing, bool(form)).map(lambda spec: _texturize_case(spec, form))
    )


def shortcodes(tags: "Iterable[str] | st.SearchStrategy[str] | None" = None,
               enclosing: bool | None = None, texturized: Texturized = False) -> st.SearchStrategy[str]:
    """Shortcode source text: ``shortcode_cases(...)`` without the expectations.

    Each example is exactly one shortcode, e.g. ``[gallery ids="1,2,3" size=medium]``,
    ``[caption id='c1' align = "left"]A photo[/caption]`` or, with
    ``texturized="characters"``, ``[covid19-ultimate-card region=”EG” rtl=”true”]``.
    See :func:`shortcode_cases` for the arguments.

    >>> from hypothesis import given, settings
    >>> from shortcodes import parse
    >>> @settings(max_examples=30, database=None)
    ... @given(shortcodes(tags=["gallery"], enclosing=False))
    ... def check(text):
    ...     doc = parse(text)
    ...     assert [n.name for n in doc.shortcodes] == ["gallery"] and str(doc) == text
    >>> check()
    """
    return shortcode_cases(tags, enclosing, texturized).map(lambda case: case.text)


# ---------------------------------------------------------------------------
# documents
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentCase:
    """A generated post: ``text``, the ``tags`` to parse it with, and what is in it.

    ``shortcodes`` are the top-level shortcodes, in order (escaped ones not
    included); ``escaped`` the names of the ``[[name]]`` escapes, in order.
    ``parse(case.text, case.tags)`` finds exactly these; stray brackets in
    the prose (``[1]``, ``[citation needed]``) use names outside ``tags``.
    """

    text: str
    tags: tuple[str, ...]
    shortcodes: tuple[ShortcodeCase, ...]
    escaped: tuple[str, ...] = ()


_PROSE = (
    "The figures below are updated daily.", "Source: Johns Hopkins University CSSE.",
    "شهدت محافظة الحسكة أحداثاً دامية.", "وفيما يلي آخر الأرقام:", "See the map (updated 2022).",
    "He said \"it's over\" -- then left...", "<p>", "</p>", "<p dir=\"rtl\">", "<strong>مهم</strong>",
    "<a href=\"https://example.com/?a=1&b=2\">link</a>", "<br />", "<!-- more -->", "&nbsp;",
    "<h2>العنوان</h2>", "<img src=\"/wp-content/uploads/map.png\" alt=\"map\" />", "x < y and y > z",
)
#: Brackets that look like shortcodes but are prose: (text, the name run after "[").
_STRAY = (("[1]", "1"), ("[23]", "23"), ("[citation needed]", "citation"), ("[sic]", "sic"),
          ("[edit]", "edit"), ("[note 3]", "note"), ("[مصدر]", "مصدر"), ("[", None), ("]", None),
          ("[]", None), ("[ ]", None), ("[/]", None))


def _shadows(registered: str, run: str) -> bool:
    """Would the registered name ``registered`` be read at the start of ``[run``?"""
    return run.startswith(registered) and (len(run) == len(registered) or run[len(registered)] not in _WORD)


def _name_run(name: str) -> str:
    m = re.match(r"[^<>&/\[\]\x00-\x20=]+", name)
    return m.group() if m else ""


@st.composite
def document_cases(draw, tags: "Iterable[str] | st.SearchStrategy[str] | None" = None,
                   max_shortcodes: int = 5) -> DocumentCase:
    """Posts mixing prose, HTML, stray brackets, escapes and shortcodes.

    Prose is English and Arabic sentences, HTML (``<p dir="rtl">``,
    ``<a href="…">``, ``<!-- more -->``, ``&nbsp;``), random text and stray
    brackets (``[1]``, ``[citation needed]``, a lone ``[``); up to
    ``max_shortcodes`` shortcodes from :func:`shortcode_cases` (a name may
    repeat: an earlier unclosed ``[name]`` is then written ``[name /]``, as
    WordPress would otherwise pair it with a later ``[/name]``), and
    sometimes ``[[name]]`` escapes.  ``tags`` as for :func:`shortcode_cases`.

    >>> from hypothesis import given, settings
    >>> from shortcodes import parse
    >>> @settings(max_examples=20, database=None)
    ... @given(document_cases())
    ... def check(case):
    ...     doc = parse(case.text, case.tags)
    ...     found = [n.name for n in doc.children if getattr(n, "name", None) and not n.escaped]
    ...     assert found == [c.name for c in case.shortcodes]
    >>> check()
    """
    if tags is None:
        names_st = tag_names()
    elif isinstance(tags, st.SearchStrategy):
        names_st = tags
    else:
        pool = tuple(tags)
        if not pool:
            raise ValueError("tags is empty: give at least one tag name (or None for any)")
        names_st = st.sampled_from(pool)
    stray_runs = [run for _t, run in _STRAY if run]
    names_st = names_st.filter(lambda n: not any(_shadows(n, r) for r in stray_runs))
    distinct = draw(st.lists(names_st, min_size=1, max_size=3, unique=True))
    # No registered name may be read at the start of another's "[name" run.
    kept: list[str] = []
    for n in distinct:
        if all(not _shadows(k, _name_run(n)) and not _shadows(n, _name_run(k)) for k in kept):
            kept.append(n)
    n_escapes = draw(st.integers(0, 1)) if len(kept) > 1 else 0
    escapes = kept[:n_escapes]
    usable = kept[n_escapes:]
    specs = draw(st.lists(_specs(st.sampled_from(usable)), max_size=max_shortcodes))
    items: list["_Spec | str"] = [*specs, *escapes]
    items = draw(st.permutations(items)) if len(items) > 1 else items
    chunk = _prose_chunks()
    out: list[str] = []
    cases: list[ShortcodeCase] = []
    escaped: list[str] = []
    for i, item in enumerate(items):
        for _ in range(draw(st.integers(0, 2))):
            out.append(draw(chunk))
        if isinstance(item, str):
            out.append(f"[[{item}]]")
            escaped.append(item)
            continue
        # An unclosed [name] followed (anywhere later) by [/name] would enclose it.
        later_closer = any(isinstance(s, _Spec) and s.name == item.name and s.content is not None
                           for s in items[i + 1:])
        if item.content is None and item.closing == "]" and later_closer:
            item = _Spec(item.name, item.attributes, item.seps, None, " /]", item.eq)
        cases.append(_texturize_case(item, ""))
        out.append(item.source())
    for _ in range(draw(st.integers(0, 2))):
        out.append(draw(chunk))
    sep = draw(st.sampled_from((" ", "\n", "\n\n")))
    return DocumentCase(text=sep.join(out), tags=tuple(kept), shortcodes=tuple(cases), escaped=tuple(escaped))


@functools.lru_cache(maxsize=None)
def _prose_chunks() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_PROSE + _ENGLISH + _ARABIC),
        st.sampled_from(tuple(t for t, _r in _STRAY)),
        st.text(alphabet=_NO_BRACKET_CHARS, max_size=20),
    )


def documents(tags: "Iterable[str] | st.SearchStrategy[str] | None" = None,
              max_shortcodes: int = 5) -> st.SearchStrategy[str]:
    """The text of :func:`document_cases`: whole posts to feed a renderer.

    >>> from hypothesis import given, settings
    >>> from shortcodes import parse
    >>> @settings(max_examples=20, database=None)
    ... @given(documents(tags=["gallery", "caption"]))
    ... def check(text):
    ...     assert str(parse(text, ["gallery", "caption"])) == text
    >>> check()
    """
    return document_cases(tags, max_shortcodes).map(lambda case: case.text)
