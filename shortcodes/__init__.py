"""wp-shortcodes: WordPress shortcodes to a lossless AST, and on to HTML.

>>> import shortcodes
>>> doc = shortcodes.parse('[caption id="c1"]<img src="a.png"> A photo[/caption]')
>>> cap = doc.children[0]
>>> cap.name, cap.attrs["id"], cap.content
('caption', 'c1', '<img src="a.png"> A photo')
>>> str(doc) == doc.source
True
"""
from __future__ import annotations

from .nodes import Attribute, Diagnostic, Document, Node, Shortcode, Span, Text
from .parser import parse, parse_attributes
from .serialize import build_shortcode, normalize, to_source

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Attribute",
    "Diagnostic",
    "Document",
    "Node",
    "Shortcode",
    "Span",
    "Text",
    "parse",
    "parse_attributes",
    "normalize",
    "to_source",
    "build_shortcode",
]
