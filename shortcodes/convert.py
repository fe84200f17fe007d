"""Moved to :mod:`shortcodes.jobs.convert`; this name is kept so existing imports work."""
from .jobs.convert import *  # noqa: F401,F403
from .jobs.convert import __all__  # noqa: F401
