"""Moved to :mod:`shortcodes.testing.pytest_plugin` (the ``pytest11`` entry point); kept so existing imports work."""
from .testing.html_compare import assert_html_equal, canonical_html  # noqa: F401
from .testing.pytest_plugin import HtmlSnapshot, PluginSettings  # noqa: F401

__all__ = ["assert_html_equal", "canonical_html", "HtmlSnapshot", "PluginSettings"]
