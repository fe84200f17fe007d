"""What happens to a tag with neither handler nor template: the table of unknown-tag policies.

============  =================================================================
``keep``      the tags are written back exactly as they are (the default); an
              escaped ``[[tag]]`` stays ``[[tag]]``, as WordPress leaves it
``strip``     the tags are dropped and what they enclose is kept (rendered)
``comment``   each tag becomes an HTML comment holding its source (``--``
              written ``- -``, so the comment cannot end early)
``error``     :class:`~shortcodes.common.errors.RenderError` naming the tag's line:column
============  =================================================================

Enclosed content is rendered in every case, so a known tag inside an unknown
one works, as in WordPress.  A policy applies where WordPress would run a
registered tag (see :mod:`.html`): never inside HTML comments or CDATA, and
inside an HTML tag only in attribute values, whose new text goes through
WordPress's KSES filter (``"comment"`` there gives escaped text, never a
comment inside an attribute).  Add a policy with
``POLICIES.register(name, UnknownTagPolicy(...))``.

>>> POLICIES.names()
('keep', 'strip', 'comment', 'error')
>>> comment('[x y="--"]')
'<!-- [x y="- -"] -->'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..common.errors import RenderError
from ..common.registry import Registry
from ..core.nodes import Shortcode

__all__ = ["UnknownTagPolicy", "POLICIES", "UNKNOWN_POLICIES", "comment", "Locate"]

#: ``locate() -> (line, column, note)`` of the tag, for messages.
Locate = Callable[[], tuple[int, int, str]]


@dataclass(frozen=True)
class UnknownTagPolicy:
    """One way of writing an unknown tag.

    ``wrap(node, close, locate) -> (before, after)``: what replaces the
    opening tag and the closing tag (``close`` is ``""`` for a tag that
    encloses nothing); it may raise :class:`RenderError`.  ``count``: the key
    of :attr:`RenderResult.counts` it adds to.  ``keeps_escapes``: an escaped
    ``[[tag]]`` is written back as is (else as ``[tag]``).  ``verbatim``: the
    tags are written back as they are, so the policy is not applied inside
    HTML attribute values either (where any other policy's output goes
    through WordPress's KSES filter, like a handler's).
    """

    wrap: Callable[[Shortcode, str, Locate], tuple[str, str]]
    count: str
    keeps_escapes: bool = False
    verbatim: bool = False


def comment(source: str) -> str:
    """``source`` as an HTML comment that cannot end early."""
    body = re.sub("-(?=-)", "- ", source)
    if body.endswith("-"):
        body += " "
    return f"<!-- {body} -->"


def _keep(node: Shortcode, close: str, locate: Locate) -> tuple[str, str]:
    return node.open_tag, close


def _strip(node: Shortcode, close: str, locate: Locate) -> tuple[str, str]:
    return "", ""


def _comment(node: Shortcode, close: str, locate: Locate) -> tuple[str, str]:
    return comment(node.open_tag), comment(close) if close else ""


def _error(node: Shortcode, close: str, locate: Locate) -> tuple[str, str]:
    line, col, note = locate()
    raise RenderError(f"unknown shortcode [{node.name}]: no handler and no template {node.name}.html{note}",
                      line=line, column=col, tag=node.name)


#: Unknown-tag policies by name (``Renderer(unknown=...)``, ``--unknown``).
POLICIES: Registry[UnknownTagPolicy] = Registry("unknown-tag policy")
POLICIES.register("keep", UnknownTagPolicy(_keep, "kept", keeps_escapes=True, verbatim=True))
POLICIES.register("strip", UnknownTagPolicy(_strip, "stripped"))
POLICIES.register("comment", UnknownTagPolicy(_comment, "kept"))
POLICIES.register("error", UnknownTagPolicy(_error, "kept"))

#: The built-in policies' names.
UNKNOWN_POLICIES: tuple[str, ...] = POLICIES.names()
