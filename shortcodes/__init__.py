"""wp-shortcodes: WordPress shortcodes to a lossless AST, and on to HTML.

>>> import shortcodes
>>> doc = shortcodes.parse('[caption id="c1"]<img src="a.png"> A photo[/caption]')
>>> cap = doc.children[0]
>>> cap.name, cap.attrs["id"], cap.content
('caption', 'c1', '<img src="a.png"> A photo')
>>> str(doc) == doc.source
True

The package is layered; each subpackage imports only those below it (see
``docs/architecture.md``): ``common`` < ``php`` < ``core`` < ``exports`` <
``wordpress`` < ``renderer`` < ``testing`` < ``cards`` < ``jobs`` < ``cli``.
This module is the public face: only the node classes and the errors are
imported eagerly; everything else (the parser and its Lark grammar, the
WordPress functions, the renderer with Jinja and Babel, the figures, the
export readers) is imported on first use.
"""
from __future__ import annotations

import importlib as _importlib
import typing as _typing

from .common.errors import (
    ExportError,
    InputError,
    NoData,
    OutputError,
    PluginError,
    RenderError,
    ShortcodesError,
    WorkerError,
    WxrError,
)
from .common.version import __version__
from .core.nodes import Attribute, Diagnostic, Document, Node, Shortcode, Span, Text

# name -> module that defines it, imported on first access (PEP 562), so that
# `import shortcodes` (and the pytest plugin, loaded in every pytest run where
# wp-shortcodes is installed) costs nothing until something is used.
_LAZY = {
    "parse": "core.parser",
    "parse_attributes": "core.parser",
    "normalize": "core.normalize",
    "build_shortcode": "core.serialize",
    "to_source": "core.nodes",
    "do_shortcode": "wordpress.shortcodes",
    "strip_shortcodes": "wordpress.shortcodes",
    "has_shortcode": "wordpress.shortcodes",
    "shortcode_parse_atts": "wordpress.shortcodes",
    "apply_shortcodes": "wordpress.shortcodes",
    "shortcode_atts": "wordpress.shortcodes",
    "get_shortcode_tags_in_content": "wordpress.shortcodes",
    "wpautop": "wordpress.autop",
    "shortcode_unautop": "wordpress.autop",
    "wptexturize": "wordpress.formatting",
    "Renderer": "renderer.engine",
    "RenderResult": "renderer.context",
    "RenderContext": "renderer.context",
    "render": "renderer.engine",
    "Figures": "cards.figures",
    "default_provider": "cards.figures",
    "provider_from_spec": "cards.figures",
    "php_date": "php.date",
    "Post": "exports.post",
    "read_posts": "exports.readers",
    "read_wxr": "exports.wxr.reader",
    "rewrite_wxr": "exports.wxr.rewriter",
    "ConvertOptions": "jobs.options",
    "Converter": "jobs.converter",
    "Inventory": "jobs.inventory",
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
    "ShortcodesError",
    "InputError",
    "ExportError",
    "WxrError",
    "OutputError",
    "WorkerError",
    "RenderError",
    "NoData",
    "PluginError",
    *_LAZY,
]


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'shortcodes' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if _typing.TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .cards.figures import Figures, default_provider, provider_from_spec
    from .core.nodes import to_source
    from .core.normalize import normalize
    from .core.parser import parse, parse_attributes
    from .core.serialize import build_shortcode
    from .exports.post import Post
    from .exports.readers import read_posts
    from .exports.wxr.reader import read_wxr
    from .exports.wxr.rewriter import rewrite_wxr
    from .jobs.converter import Converter
    from .jobs.inventory import Inventory
    from .jobs.options import ConvertOptions
    from .php.date import php_date
    from .renderer.context import RenderContext, RenderResult
    from .renderer.engine import Renderer, render
    from .wordpress.autop import shortcode_unautop, wpautop
    from .wordpress.formatting import wptexturize
    from .wordpress.shortcodes import (
        apply_shortcodes,
        do_shortcode,
        get_shortcode_tags_in_content,
        has_shortcode,
        shortcode_atts,
        shortcode_parse_atts,
        strip_shortcodes,
    )
