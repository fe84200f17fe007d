"""Layer 2: text to a lossless AST and back, WordPress's shortcode syntax as data.

``grammar`` (loads ``grammar/shortcode.lark``) → ``scanner`` (tag extents and
pairing: the tokens) → ``parser`` (→ ``nodes``, with ``quotes`` recovering
curly quotes and ``values`` finishing values as WordPress does) →
``serialize`` (JSON, new shortcodes) and ``normalize`` (repaired quotes).
Nodes print themselves (``to_source``), so every untouched byte comes back.
``classify`` is the one rule of which bracketed names count as shortcodes
(``Document.probable_shortcodes()``, the inventory, ``Renderer(tags=None)``,
``convert --all-tags``).
"""
