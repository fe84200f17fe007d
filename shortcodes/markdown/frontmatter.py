"""YAML front matter, as PyYAML's safe dumper writes it.

The usual mappings (strings, booleans, integers, lists of them) are written by
:func:`.yamlblock.block_yaml`, which gives PyYAML's exact output without its
Python representer (a Hypothesis test compares the two); anything it is not
sure of is written by PyYAML itself.

Any title is correct YAML: quotes, colons, ``#``, a leading ``@``/``*``/``-``,
newlines, Arabic, direction marks and YAML 1.1 words (``yes``, ``no``,
``null``) all round-trip through ``yaml.safe_load`` (a Hypothesis test
checks it).  Dates are written as quoted strings in the format each
generator documents, so no YAML library re-interprets them.

>>> print(front_matter({"title": "Q: #1 @home", "tags": ["a", "نعم"], "draft": False}), end="")
---
title: 'Q: #1 @home'
tags:
- a
- نعم
draft: false
---
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from .yamlblock import block_yaml

__all__ = ["dump_yaml", "front_matter", "pyyaml_dump", "split_front_matter"]


#: libyaml's emitter when PyYAML was built with it (the same YAML, several times faster), else PyYAML's own.
_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LIBYAML = _SafeDumper is not yaml.SafeDumper


class _Dumper(_SafeDumper):
    """SafeDumper that double-quotes strings holding YAML 1.1 line breaks (NEL, LS, PS),
    which a plain or single-quoted scalar would fold into spaces."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(c in value for c in "\x85\u2028\u2029"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """``data`` as a YAML block mapping (keys in the given order, Unicode kept, no line folding)."""
    fast = block_yaml(data) if _LIBYAML else None  # block_yaml writes what libyaml's emitter writes
    return fast if fast is not None else pyyaml_dump(data)


def pyyaml_dump(data: Mapping[str, Any]) -> str:
    """:func:`dump_yaml` by PyYAML alone (the reference :func:`.yamlblock.block_yaml` is checked against)."""
    return yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=2**31 - 1)


def front_matter(data: Mapping[str, Any]) -> str:
    """``---`` + YAML + ``---``; empty mapping → ``""`` (no front matter at all)."""
    if not data:
        return ""
    return "---\n" + dump_yaml(data) + "---\n"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The inverse, for tests and tools: ``(data, body)`` of a Markdown file.

    >>> split_front_matter("---\\ntitle: x\\n---\\nbody\\n")
    ({'title': 'x'}, 'body\\n')
    """
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ValueError("front matter is not closed by a '---' line")
    data = yaml.safe_load(text[4:end + 1]) or {}
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")  # noqa: TRY004 - bad input text
    return data, text[end + 5:]
