"""Layer 3: WordPress 6.1.9's own PHP, ported byte for byte (see ``PORT.md`` beside this file).

Each module is named after the PHP file it ports: :mod:`.shortcodes`
(``shortcodes.php``), :mod:`.kses` (``kses.php``), :mod:`.formatting` and
:mod:`.autop` (``formatting.php``), :mod:`.blocks` (``class-wp-block-parser.php``,
``blocks.php``), :mod:`.escaping` (``esc_attr`` and the entity
normaliser it needs), :mod:`.theme` (the theme/site settings of the media
shortcodes: :class:`Theme`).  Everything is re-exported here, so code ported from PHP
can ``from shortcodes.wordpress import do_shortcode, wpautop``.

>>> from shortcodes.wordpress import do_shortcode
>>> do_shortcode('[b]x[/b]', {"b": lambda atts, content, tag: f"<b>{content}</b>"})
'<b>x</b>'
"""
from __future__ import annotations

from ..php.strings import preg_quote
from .autop import shortcode_unautop, wpautop
from .blocks import DYNAMIC_BLOCKS, Block, do_blocks, dynamic_blocks, has_blocks, parse_blocks, render_block
from .escaping import esc_attr, wp_kses_normalize_entities
from .formatting import wp_html_split, wptexturize
from .kses import (
    WP_ALLOWED_PROTOCOLS,
    WP_KSES_URI_ATTRIBUTES,
    safecss_filter_attr,
    wp_kses_attr_check,
    wp_kses_attr_parse,
    wp_kses_bad_protocol,
    wp_kses_decode_entities,
    wp_kses_hair_parse,
    wp_kses_no_null,
    wp_kses_one_attr,
)
from .shortcodes import (
    Atts,
    Handler,
    WPMatch,
    apply_shortcodes,
    do_shortcode,
    get_shortcode_atts_regex,
    get_shortcode_regex,
    get_shortcode_tags_in_content,
    has_shortcode,
    shortcode_atts,
    shortcode_exists,
    shortcode_matches,
    shortcode_parse_atts,
    shortcode_subn,
    strip_shortcodes,
    unescape_invalid_shortcodes,
)
from .theme import ImageSize, Theme

__all__ = [
    "Atts",
    "Handler",
    "WPMatch",
    "do_shortcode",
    "apply_shortcodes",
    "strip_shortcodes",
    "has_shortcode",
    "shortcode_exists",
    "get_shortcode_tags_in_content",
    "get_shortcode_regex",
    "get_shortcode_atts_regex",
    "shortcode_parse_atts",
    "shortcode_matches",
    "shortcode_subn",
    "shortcode_atts",
    "unescape_invalid_shortcodes",
    "preg_quote",
    "wp_html_split",
    "wptexturize",
    "wpautop",
    "shortcode_unautop",
    "Block",
    "has_blocks",
    "parse_blocks",
    "render_block",
    "do_blocks",
    "dynamic_blocks",
    "DYNAMIC_BLOCKS",
    "wp_kses_attr_parse",
    "wp_kses_hair_parse",
    "wp_kses_one_attr",
    "wp_kses_attr_check",
    "wp_kses_no_null",
    "wp_kses_bad_protocol",
    "wp_kses_normalize_entities",
    "wp_kses_decode_entities",
    "safecss_filter_attr",
    "esc_attr",
    "WP_ALLOWED_PROTOCOLS",
    "WP_KSES_URI_ATTRIBUTES",
    "Theme",
    "ImageSize",
]
