"""Moved to :mod:`shortcodes.exports.wxr`; this name is kept so existing imports work."""
from .exports.wxr import *  # noqa: F401,F403
from .exports.wxr import __all__  # noqa: F401
