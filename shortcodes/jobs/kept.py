"""Shortcodes kept for the Markdown output (``--keep-shortcodes``): not rendered, written through.

The converter registers :func:`keep_handler` for each kept tag, so the
renderer writes a :func:`~shortcodes.markdown.placeholder` where the tag was,
holding the tag's own source; the output reads them back with
:func:`kept_shortcodes` and hands them to
:func:`~shortcodes.markdown.write_markdown` (which writes each as its rule
says).  The source travels inside the text, so the workers of ``--jobs``
need no other channel.

>>> from shortcodes.renderer import Renderer
>>> r = Renderer(plugins=())
>>> r.register("gallery", keep_handler)
>>> html = r.render('<p>a [gallery ids="1,2"] b</p>')
>>> [(k.name, k.attrs, k.source) for k in kept_shortcodes(html).values()]
[('gallery', (('ids', '1,2'),), '[gallery ids="1,2"]')]
"""
from __future__ import annotations

import base64
import re
from typing import Any

from ..core.nodes import Shortcode
from ..core.parser import parse
from ..markdown import KeptShortcode, placeholder

__all__ = ["keep_handler", "kept_shortcodes"]

_KEY = re.compile(r'<md-shortcode data-key="(sc:[A-Za-z0-9_=-]+)"></md-shortcode>')


def keep_handler(node: Shortcode, ctx: Any) -> str:
    """The renderer's handler of a kept tag: a placeholder holding the tag's source (so it survives the
    worker processes and ``wpautop``), read back by :func:`kept_shortcodes`."""
    source = node.to_source()
    return placeholder("sc:" + base64.urlsafe_b64encode(source.encode("utf-8")).decode("ascii"))


def kept_shortcodes(html: str) -> dict[str, KeptShortcode]:
    """``{key: KeptShortcode}`` for every placeholder :func:`keep_handler` wrote in ``html``."""
    out: dict[str, KeptShortcode] = {}
    for key in _KEY.findall(html):
        source = base64.urlsafe_b64decode(key[3:].encode("ascii")).decode("utf-8")
        node = next((n for n in parse(source).children if isinstance(n, Shortcode)), None)
        if node is None:
            continue
        out[key] = KeptShortcode(node.name, tuple(node.attrs.items()), tuple(node.positional), node.content,
                                 source)
    return out


