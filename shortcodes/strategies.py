"""Hypothesis strategies (the general ones and the COVID-19 card's), kept at this name for ``from shortcodes import strategies``.

The strategies live in :mod:`shortcodes.testing.strategies` and :mod:`shortcodes.cards.strategies`.
"""
from .cards.strategies import *  # noqa: F401,F403
from .cards.strategies import __all__ as _cards_all
from .testing.strategies import *  # noqa: F401,F403
from .testing.strategies import __all__ as _general_all

__all__ = [*_general_all, *_cards_all]
