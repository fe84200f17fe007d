"""The version of wp-shortcodes: one home, read by setup.cfg and shown by ``--version``."""

__version__ = "0.1.0"
