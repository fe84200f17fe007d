"""The ``[covid19-ultimate-card]`` shortcode, as one renderer plugin (``"covid19"``).

:func:`plugin` sets a :class:`~shortcodes.renderer.Renderer` up for the card:
its template folder (``templates/covid19/``: ``covid19-ultimate-card.html``
and its stylesheet), the ``covid19_card`` template global, and the bundled
figures as the default data provider.  ``Renderer()`` uses it by default;
``Renderer(plugins=())`` leaves it out.

The template stays thin: it calls ``covid19_card(node, ctx)``
(:func:`~.view.card_view`) and writes out the :class:`~.view.CardView` it gets
back.  Everything that needs judgement has a module of its own:

* :mod:`.attributes`: what each attribute means, and its default (:data:`ATTRIBUTES`), the labels;
* :mod:`.colors`: CSS colour validation (:func:`parse_color`: a colour that is
  not valid CSS colour syntax is refused with a diagnostic and never written
  into a style) and the WCAG contrast check (:func:`contrast_ratio`);
* :mod:`.numbers`: number formatting with Babel (:func:`format_number`,
  :func:`format_percent`), in the locale's own digits (``ar-EG``: Arabic-Indic);
* :mod:`.dates`: the "last updated" date;
* :mod:`.figures`: where the figures come from (the bundled JHU data,
  disease.sh, CSV files), and the "no data" state when there are none;
* :mod:`.view`: the decisions for one card; :mod:`.variants`: the gallery's
  variants; :mod:`.strategies`: Hypothesis strategies for cards.

Attributes (all optional):

``region``
    ISO 3166 alpha-2 code (``EG``); absent: the whole world.
``region-name``
    the heading; absent: the country's name in the card's language
    (Babel's territory names; ``World`` / ``العالم`` for the world).
``confirmed-label``, ``deaths-label``, ``recovered-label``, ``active-label``,
``confirmed-24h-label``, ``deaths-24h-label``, ``deaths-rate-label``, ``last-update-label``
    row labels; default English, or Arabic on an Arabic card.
``confirmed-24h``, ``deaths-24h``, ``deaths-rate``
    ``true``/``false`` (default ``false``): show the new-in-24-hours rows and
    the death rate row.
``font-color``, ``bg-color``
    CSS colours (hex, ``rgb()``/``rgba()``/``hsl()``/``hsla()``, named).
``bg-position``
    ``right``/``left``/``center`` (default ``right``): where the decorative
    background motif sits (physical sides, as CSS ``background-position``).
``rtl``
    ``true``: the card is right-to-left; ``false``: left-to-right; absent:
    the direction of the card's language.
``last-update``
    a PHP ``date()`` format for the figures' date (default ``Y-m-d``).  When
    the source gives only a day, time-of-day characters (``H``, ``i``, …) are
    left out with their separators instead of printing an invented ``00:00``.

The card's language is the renderer's locale when there is one; otherwise
Arabic when ``rtl="true"`` or a label is written in Arabic letters; else
English.  Numbers use the locale's own digits (``locale="ar-EG"``:
Arabic-Indic digits ``٣١٢٬٤١٣``); with no locale, Western digits.

>>> from shortcodes import Renderer
>>> html = Renderer(as_of="2021-10-10").render('[covid19-ultimate-card region=”EG” rtl=”true”]')
>>> 'dir="rtl"' in html and '312,413' in html
True
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..common.locales import script_language
from ..renderer.templates import bundled_templates
from .attributes import ATTRIBUTES, DEFAULT_BG_COLOR, DEFAULT_FONT_COLOR, LABELS, MIN_CONTRAST, TAG
from .colors import contrast_ratio, normalize_color, parse_color, relative_luminance
from .dates import date_only_format
from .figures import default_provider
from .numbers import format_number, format_percent, localize_digits
from .variants import card_variants
from .view import CardView, Row, Value, card_view

if TYPE_CHECKING:  # pragma: no cover
    from ..renderer.engine import Renderer

__all__ = [
    "plugin",
    "TAG",
    "ATTRIBUTES",
    "DEFAULT_FONT_COLOR",
    "DEFAULT_BG_COLOR",
    "MIN_CONTRAST",
    "LABELS",
    "CardView",
    "Row",
    "Value",
    "card_view",
    "parse_color",
    "normalize_color",
    "contrast_ratio",
    "relative_luminance",
    "format_number",
    "format_percent",
    "localize_digits",
    "script_language",
    "date_only_format",
]

#: The card's folder in the bundled ``templates/``.
TEMPLATE_FOLDER = "covid19"


def plugin(renderer: "Renderer", *, memo: bool = True) -> None:
    """Set ``renderer`` up for ``[covid19-ultimate-card]`` (see the module docs).

    The card's template is declared pure (``memo=True``): its output depends
    only on the tag's attributes, the date, the locale, whether it is a page
    and whether its stylesheet was written, so equal cards are rendered once
    per renderer while the bundled template is the one in use (a theme's
    ``covid19-ultimate-card.html`` or a handler turns that off).
    ``Renderer(plugins=()).use("covid19", memo=False)`` renders every card.
    """
    renderer.add_templates(bundled_templates(TEMPLATE_FOLDER), pure=[TAG] if memo else ())
    renderer.env.globals["covid19_card"] = card_view
    renderer.set_default_provider(default_provider)
    renderer.add_variants(TAG, card_variants)
