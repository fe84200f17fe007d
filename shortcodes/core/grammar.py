"""Loading ``grammar/shortcode.lark`` and building what runs it.

The grammar file is package data (``shortcodes/_grammar/shortcode.lark`` once
installed).  Two things are built from it, once per process:

* :func:`lark_parser` - Lark's LALR parser with the contextual lexer: one for
  recovery (``open_tag``, ``close_tag``, ``attributes``) and one for strict
  WordPress parsing (``strict_open_tag``, ``close_tag``, ``strict_attributes``).
  :func:`parse_tag` uses it to parse one whole tag.
* :func:`attribute_lexer` - the same grammar's attribute terminals, in the
  order Lark's lexer tries them, compiled into one regular expression.  The
  attribute language is regular (each attribute is a single terminal), so
  scanning with this regex gives exactly the token stream Lark's lexer gives,
  without Lark's per-token Python overhead; ``tests/test_grammar.py`` checks
  the two agree on arbitrary input.  :mod:`shortcodes.parser` uses it.

What the scanner and the attribute parser need of the grammar (its terminals'
regular expressions, the attribute lexers, the whitespace set) is derived by
Lark and also recorded in ``grammar/derived.json`` with the SHA-256 of the
grammar text it came from (:func:`derived`): while the hash matches, a process
takes them from there and never imports Lark (a quarter of the command line's
start-up); an edited grammar is derived again by Lark, so the record can be
stale but never wrong.  ``tests/test_grammar_derived.py`` checks it is current
(``python tools/derive_grammar.py`` writes it).

>>> tag = parse_tag('[gallery ids="1,2" /]')
>>> str(tag.data), [t.type for t in tag.scan_values(lambda t: True)]
('open_tag', ['TAG_NAME', 'NAMED_DQ', 'SELF_CLOSE'])
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, Iterator

from ..common.resources import bundled

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

__all__ = [
    "GRAMMAR_FILE",
    "grammar_text",
    "lark_parser",
    "attribute_lexer",
    "single_curly_close",
    "SINGLE_CURLY_TERMINALS",
    "terminal_regex",
    "parse_tag",
    "lark_attribute_tokens",
    "START_SYMBOLS",
    "whitespace",
    "tag_name_regex",
    "derived",
    "derive",
    "DERIVED_FILE",
]

#: The grammar's file name in the bundled ``grammar`` folder.
GRAMMAR_FILE = "shortcode.lark"
#: What Lark derives from it, recorded beside it (see the module docs).
DERIVED_FILE = "derived.json"
#: Start symbols of the two parsers.  They are built apart: LALR merges the
#: lookaheads of states with the same core, so one table for both modes would
#: let the contextual lexer offer recovery terminals while parsing strictly.
START_SYMBOLS = {
    "recover": ["attributes", "open_tag", "close_tag"],
    "strict": ["strict_attributes", "strict_open_tag", "close_tag"],
}


@functools.lru_cache(maxsize=None)
def grammar_text() -> str:
    """The text of ``shortcode.lark`` (installed with the package, or in a source checkout)."""
    return bundled("grammar").joinpath(GRAMMAR_FILE).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def lark_parser(mode: str = "recover") -> Lark:
    """The LALR parser (contextual lexer) for ``"recover"`` or ``"strict"``; built once."""
    from lark import Lark

    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        start=START_SYMBOLS[mode],
        maybe_placeholders=False,
        # Lark stores the built tables in the temporary folder, keyed by a hash
        # of the grammar and options; later processes load them (~5x faster).
        cache=True,
    )


def _reachable_terminals(parser: "Lark", start: str) -> set[str]:
    from lark.grammar import NonTerminal, Terminal

    by_origin: dict[str, list[Any]] = {}
    for rule in parser.rules:
        by_origin.setdefault(rule.origin.name, []).append(rule)
    seen: set[str] = set()
    found: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for rule in by_origin.get(name, ()):
            for sym in rule.expansion:
                if isinstance(sym, Terminal):
                    found.add(sym.name)
                elif isinstance(sym, NonTerminal):
                    todo.append(sym.name)
    return found


def terminal_regex(name: str) -> str:
    """The regular expression of terminal ``name`` as Lark compiled it (from :func:`derived`).

    >>> terminal_regex("SELF_CLOSE")
    '/'
    """
    return str(derived()["terminals"][name])


#: The version of :data:`DERIVED_FILE`'s layout.
_DERIVED_FORMAT = 1


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lexer_key(strict: bool, single_curly: bool) -> str:
    return f"{'strict' if strict else 'recover'}{'' if single_curly else '-no-single-curly'}"


@functools.lru_cache(maxsize=None)
def derived() -> dict[str, Any]:
    """What the parsers take from the grammar: :data:`DERIVED_FILE` while it was made from this grammar text,
    else :func:`derive` (Lark) again.

    >>> d = derived()
    >>> d["grammar_sha256"] == hashlib.sha256(grammar_text().encode()).hexdigest(), sorted(d)[:2]
    (True, ['attribute_lexers', 'format'])
    """
    text = grammar_text()
    try:
        record = json.loads(bundled("grammar").joinpath(DERIVED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not installed, or not JSON: Lark derives it
        record = None
    if isinstance(record, dict) and record.get("format") == _DERIVED_FORMAT \
            and record.get("grammar_sha256") == _sha256(text):
        return record
    return derive()


def derive() -> dict[str, Any]:
    """Derive with Lark what :func:`derived` gives (the content of :data:`DERIVED_FILE`): every terminal's
    regular expression, the four attribute lexers' patterns (:func:`attribute_lexer`) and the whitespace set
    (:func:`whitespace`), with the grammar's SHA-256."""
    recover = lark_parser("recover")
    terminals = {t.name: t.pattern.to_regexp() for t in recover.terminals}
    ws = re.compile(terminals["_WS"])
    found = [chr(c) for c in range(0x10000) if 0xD800 > c or c > 0xDFFF if ws.fullmatch(chr(c))]
    lexers = {_lexer_key(strict, single): _lark_attribute_lexer(strict, single)
              for strict in (False, True) for single in (True, False)}
    return {"format": _DERIVED_FORMAT, "grammar_sha256": _sha256(grammar_text()),
            "terminals": dict(sorted(terminals.items())), "attribute_lexers": lexers,
            "whitespace": "".join(sorted(found, key=lambda ch: (ch != " ", ord(ch))))}


def _lark_attribute_lexer(strict: bool, single_curly: bool) -> str:
    """The pattern of :func:`attribute_lexer`, from Lark's terminals (see there)."""
    parser = lark_parser("strict" if strict else "recover")
    wanted = _reachable_terminals(parser, "strict_attributes" if strict else "attributes")
    if not single_curly:
        wanted -= set(SINGLE_CURLY_TERMINALS)
    terms = [t for t in parser.terminals if t.name in wanted]
    terms.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    return "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terms)


@functools.lru_cache(maxsize=None)
def tag_name_regex() -> "re.Pattern[str]":
    """The grammar's ``TAG_NAME`` terminal, compiled: what WordPress accepts as a tag name.

    >>> bool(tag_name_regex().fullmatch("covid19-ultimate-card")), bool(tag_name_regex().fullmatch("a b"))
    (True, False)
    """
    return re.compile(terminal_regex("TAG_NAME"))


@functools.lru_cache(maxsize=None)
def whitespace() -> str:
    """The characters the grammar's ``_WS`` terminal skips: WordPress's whitespace.

    ASCII space, ``\\t \\n \\v \\f \\r`` (PCRE ``\\s`` without ``/u``), NBSP and ZWSP.

    >>> whitespace() == " \\t\\n\\x0b\\x0c\\r\\xa0\\u200b"
    True
    """
    return str(derived()["whitespace"])


#: The recovery terminals whose value runs (lazily) up to a closing single quote anywhere later.
SINGLE_CURLY_TERMINALS = ("NAMED_CURLY_S", "POS_CURLY_S")


@functools.lru_cache(maxsize=None)
def attribute_lexer(strict: bool, single_curly: bool = True) -> "re.Pattern[str]":
    """One regex whose named groups are the attribute terminals, in Lark's order.

    Lark's lexer tries terminals by descending priority, then longest
    pattern, then name; the same order here means the same first match.
    Whitespace (the ignored ``_WS``) is not a group: ``finditer`` skips what
    no terminal matches, exactly as WordPress skips unmatched characters.
    ``single_curly=False`` leaves out :data:`SINGLE_CURLY_TERMINALS`: the
    same tokens where no :func:`single_curly_close` follows (they cannot
    match there), without their scan to the end of the text.
    """
    return re.compile(derived()["attribute_lexers"][_lexer_key(strict, single_curly)])


@functools.lru_cache(maxsize=None)
def single_curly_close() -> "re.Pattern[str]":
    """``_CLOSE_S _END``: where a value of the :data:`SINGLE_CURLY_TERMINALS` can end.

    Taken from ``POS_CURLY_S`` (``_OPEN_S /.*?/s _CLOSE_S _END``): what follows its lazy body.

    >>> bool(single_curly_close().match("&#8217; x")), bool(single_curly_close().match("&#8217;b"))
    (True, False)
    """
    head, sep, tail = terminal_regex("POS_CURLY_S").partition("(?s:.*?)")
    assert sep and "(?s:.*?)" not in tail, "POS_CURLY_S is _OPEN_S /.*?/s _CLOSE_S _END"
    return re.compile(tail)


def parse_tag(text: str, *, strict: bool = False) -> Tree:
    """Parse one opening tag (``[name a="b" /]``) or closing tag (``[/name]``).

    Raises :class:`lark.exceptions.LarkError` when ``text`` is not one tag.
    """
    start = "close_tag" if text.startswith("[/") else ("strict_open_tag" if strict else "open_tag")
    return lark_parser("strict" if strict else "recover").parse(text, start=start)


def lark_attribute_tokens(text: str, *, strict: bool = False) -> Iterator[Token]:
    """The attribute tokens of ``text`` as Lark's LALR parser produces them."""
    from lark import Token

    mode = "strict" if strict else "recover"
    tree = lark_parser(mode).parse(text, start="strict_attributes" if strict else "attributes")
    yield from tree.scan_values(lambda v: isinstance(v, Token))
