"""A whole HTML5 page around a rendering: its language, direction and title.

:meth:`Renderer.render_page` fills the ``_page.html`` template with what this
module decides: ``<html lang dir>`` from the renderer's locale, else from the
script of the text (mostly Arabic letters: ``ar``/``rtl``; otherwise
``en``/``ltr``), and the title from ``title=``, the post, or the first line
of text.

>>> from shortcodes import parse
>>> page_language(None, parse("<p>مرحبا بالعالم</p>"))
('ar', 'rtl')
>>> first_line(parse("<h1>Hello &amp; welcome</h1>\\n<p>x</p>"))
'Hello & welcome'
"""
from __future__ import annotations

import html as _html
import re
from typing import TYPE_CHECKING

from ..common.locales import direction_of, locale_tag, script_language
from ..core.nodes import Document, Text

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

__all__ = ["page_language", "first_line", "strip_tags"]

_TAG_RX = re.compile(r"<[^>]*>?")


def strip_tags(text: str) -> str:
    """``text`` with every HTML tag replaced by a space."""
    return _TAG_RX.sub(" ", text)


def page_language(locale: "Locale | None", doc: Document) -> tuple[str, str]:
    """``(lang, dir)`` of a page: the locale's, else guessed from the text's script."""
    if locale is not None:
        return locale_tag(locale), locale.text_direction
    plain = " ".join(n.text for n in doc.walk() if isinstance(n, Text))
    guessed = script_language(strip_tags(plain))
    lang = guessed or "en"
    return lang, direction_of(guessed)


def first_line(doc: Document, limit: int = 120) -> str:
    """The first non-empty line of the document's text (tags stripped, entities decoded), cut at ``limit``."""
    for node in doc.children:
        if not isinstance(node, Text):
            continue
        for line in strip_tags(node.text).splitlines():
            line = " ".join(_html.unescape(line).split())
            if line:
                return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""
