"""Moved to :mod:`shortcodes.jobs.gallery`; this name is kept so existing imports work."""
from .jobs.gallery import *  # noqa: F401,F403
from .jobs.gallery import __all__  # noqa: F401
