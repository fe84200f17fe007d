"""wp-shortcodes: WordPress shortcodes to a lossless AST, and on to HTML.

>>> import shortcodes
>>> doc = shortcodes.parse('[caption id="c1"]<img src="a.png"> A photo[/caption]')
>>> cap = doc.children[0]
>>> cap.name, cap.attrs["id"], cap.content
('caption', 'c1', '<img src="a.png"> A photo')
>>> str(doc) == doc.source
True

Only the node classes are imported eagerly; everything else (the parser and
its Lark grammar, the WordPress functions, the renderer with Jinja and Babel,
the data sources, the export readers) is imported on first use.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .nodes import Attribute, Diagnostic, Document, Node, Shortcode, Span, Text

__version__ = "0.1.0"

# name -> module that defines it, imported on first access (PEP 562), so that
# `import shortcodes` (and the pytest plugin, loaded in every pytest run where
# wp-shortcodes is installed) costs nothing until something is used.
_LAZY = {
    "parse": "parser",
    "parse_attributes": "parser",
    "normalize": "serialize",
    "to_source": "serialize",
    "build_shortcode": "serialize",
    "do_shortcode": "wordpress",
    "strip_shortcodes": "wordpress",
    "has_shortcode": "wordpress",
    "shortcode_parse_atts": "wordpress",
    "apply_shortcodes": "wordpress",
    "shortcode_atts": "wordpress",
    "get_shortcode_tags_in_content": "wordpress",
    "wpautop": "autop",
    "shortcode_unautop": "autop",
    "Renderer": "renderer",
    "RenderError": "renderer",
    "RenderResult": "renderer",
    "RenderContext": "renderer",
    "render": "renderer",
    "Figures": "sources",
    "NoData": "sources",
    "default_provider": "sources",
    "provider_from_spec": "sources",
    "php_date": "phpdate",
    "Post": "exports",
    "read_posts": "exports",
    "read_wxr": "wxr",
    "rewrite_wxr": "wxr",
    "ConvertOptions": "convert",
    "Converter": "convert",
    "Inventory": "inventory",
}
# Not here: the functions shortcodes.convert.convert() and
# shortcodes.inventory.inventory(), whose names are their modules' names.

__all__ = [
    "__version__",
    "Attribute",
    "Diagnostic",
    "Document",
    "Node",
    "Shortcode",
    "Span",
    "Text",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'shortcodes' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .exports import Post, read_posts
    from .parser import parse, parse_attributes
    from .serialize import build_shortcode, normalize, to_source
    from .autop import shortcode_unautop, wpautop
    from .wordpress import (apply_shortcodes, do_shortcode, get_shortcode_tags_in_content, has_shortcode,
                            shortcode_atts, shortcode_parse_atts, strip_shortcodes)
    from .phpdate import php_date
    from .renderer import RenderContext, RenderError, Renderer, RenderResult, render
    from .sources import Figures, NoData, default_provider, provider_from_spec
    from .convert import ConvertOptions, Converter
    from .inventory import Inventory
    from .wxr import read_wxr, rewrite_wxr
