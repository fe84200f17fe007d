"""Package data: the Lark grammar (installed as ``shortcodes._grammar``)."""
