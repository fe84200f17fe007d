"""Package data: the bundled Jinja templates (installed as ``shortcodes._templates``)."""
