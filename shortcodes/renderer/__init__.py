"""Layer 4: the rendering engine (handlers, templates, unknown-tag policies, plugins, pages).

* :mod:`.engine`: :class:`Renderer` and :func:`render`: the table of rules
  (handler → template → unknown-tag policy), the two handler contracts
  (``fn(node, ctx)`` and WordPress's ``fn(atts, content, tag)``), the walk
  over the AST (children rendered lazily, once; any depth), and the memo of
  pure templates;
* :mod:`.html`: where shortcodes run inside HTML, as WordPress's
  ``do_shortcode()`` decides it (not in comments; in tags only attribute
  values, through KSES);
* :mod:`.context`: :class:`RenderContext` (what a tag's handler or template
  knows), :class:`RenderResult`;
* :mod:`.templates`: where templates are looked up;
* :mod:`.policies`: what happens to unknown tags;
* :mod:`.plugins`: plugins by name (the COVID-19 card is one);
* :mod:`.page`: a whole page's language, direction and title.

The engine knows no tag: the bundled ones are plugins (:mod:`shortcodes.cards`).
"""
from __future__ import annotations

from ..common.errors import RenderError
from .context import COUNT_KEYS, RenderCall, RenderContext, RenderResult
from .engine import NODE_CONTRACT, WORDPRESS_CONTRACT, Handler, Renderer, WordPressHandler, handler_contract, render
from .plugins import DEFAULT_PLUGINS, PLUGINS
from .policies import POLICIES, UNKNOWN_POLICIES, UnknownTagPolicy
from .templates import style_element

__all__ = [
    "Renderer",
    "render",
    "RenderError",
    "RenderResult",
    "RenderContext",
    "RenderCall",
    "Handler",
    "WordPressHandler",
    "handler_contract",
    "NODE_CONTRACT",
    "WORDPRESS_CONTRACT",
    "COUNT_KEYS",
    "UNKNOWN_POLICIES",
    "POLICIES",
    "UnknownTagPolicy",
    "PLUGINS",
    "DEFAULT_PLUGINS",
    "style_element",
]
