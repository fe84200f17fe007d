"""Moved to :mod:`shortcodes.jobs.inventory`; this name is kept so existing imports work."""
from .jobs.inventory import *  # noqa: F401,F403
from .jobs.inventory import __all__  # noqa: F401
