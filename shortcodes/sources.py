"""Moved to :mod:`shortcodes.cards.figures`; this name is kept so existing imports work."""
from .cards.figures import *  # noqa: F401,F403
from .cards.figures import __all__  # noqa: F401
