"""The YAML of front matter without PyYAML's Python representer, for the mappings the flavours make.

:func:`block_yaml` writes exactly what :func:`.frontmatter.dump_yaml` (PyYAML's safe dumper with
libyaml's emitter, ``allow_unicode``, no line folding) writes, for a mapping whose values are
strings, booleans, integers, non-empty lists of those, or one more level of such a mapping, and
whose strings hold only characters libyaml writes as they are (no line break, no control
character, no character outside the Basic Multilingual Plane).  Anything else returns ``None``
and the caller uses PyYAML.  The style of each string is libyaml's choice
(``yaml_emitter_analyze_scalar``, ``yaml_emitter_select_scalar_style``): plain where a plain
scalar reads back as the same string, otherwise single-quoted.  ``tests/test_markdown_yaml.py``
compares the two on generated mappings (Hypothesis) and on the front matter of the real exports.

>>> print(block_yaml({"title": "Q: #1 @home", "draft": False, "tags": ["a", "نعم"], "params": {"lang": "ar"}}), end="")
title: 'Q: #1 @home'
draft: false
tags:
- a
- نعم
params:
  lang: ar
>>> block_yaml({"title": "line\\nbreak"}) is None
True
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from yaml import ScalarNode
from yaml.resolver import Resolver

__all__ = ["block_yaml"]

#: Strings made only of characters libyaml writes unescaped in a plain or single-quoted scalar with
#: ``allow_unicode`` (its ``IS_PRINTABLE``: no C0/C1 controls, DEL, surrogates, BOM, U+FFFE/U+FFFF or
#: characters beyond U+FFFF) that are not line breaks for it (NEL, U+2028, U+2029) nor a tab.
_WRITTEN_AS_IS = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
#: A first character that makes a plain scalar something else (libyaml's indicators at the start).
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
#: ``: `` or a final ``:``, and `` #``: indicators inside a block plain scalar.
_INNER_INDICATOR = re.compile(r":(?: |\Z)| #")

_RESOLVER = Resolver()
_STR = "tag:yaml.org,2002:str"
#: First characters for which PyYAML's implicit resolvers may read a plain scalar as another type.
_RESOLVED_FIRST = frozenset(k for k in Resolver.yaml_implicit_resolvers if k)


def _plain_allowed(s: str) -> bool:
    """Whether libyaml writes ``s`` (of :data:`_WRITTEN_AS_IS` characters) as a plain block scalar."""
    if not s:
        return False  # '' reads as null
    first = s[0]
    if first == " " or s[-1] == " " or first in _FIRST_INDICATORS or s.startswith(("---", "...")):
        return False
    if first in "?:-" and (len(s) == 1 or s[1] == " "):
        return False
    if _INNER_INDICATOR.search(s) is not None:
        return False
    return first not in _RESOLVED_FIRST or _RESOLVER.resolve(ScalarNode, s, (True, False)) == _STR


def _scalar(value: object) -> "str | None":
    """``value`` as libyaml writes it in block context, or ``None`` when this module does not know."""
    if type(value) is str:  # a subclass is no str to PyYAML's representer (it raises)
        if _WRITTEN_AS_IS.fullmatch(value) is None:
            return None
        if _plain_allowed(value):
            return value
        return "'" + value.replace("'", "''") + "'"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    return None


def _mapping(data: Mapping[Any, Any], indent: str, out: list[str], seen: set[int]) -> bool:
    for key, value in data.items():
        # a key longer than 128 bytes is no simple key to libyaml (it writes "? key")
        k = _scalar(key) if type(key) is str and len(key) <= 32 else None
        if k is None:
            return False
        if isinstance(value, list):
            if not value or id(value) in seen:  # [] is written in flow style; a list seen twice gets an anchor
                return False
            seen.add(id(value))
            out.append(f"{indent}{k}:\n")
            for item in value:
                v = _scalar(item)
                if v is None:
                    return False
                out.append(f"{indent}- {v}\n")
        elif isinstance(value, dict):
            if not value or indent or id(value) in seen:  # one level of nesting, never empty or shared
                return False
            seen.add(id(value))
            out.append(f"{k}:\n")
            if not _mapping(value, "  ", out, seen):
                return False
        else:
            v = _scalar(value)
            if v is None:
                return False
            out.append(f"{indent}{k}: {v}\n")
    return True


def block_yaml(data: Mapping[str, Any]) -> "str | None":
    """``data`` as PyYAML's safe dumper writes it (see the module docs), or ``None`` where this is not sure."""
    if not data:
        return None
    out: list[str] = []
    if not _mapping(data, "", out, set()):
        return None
    return "".join(out)
