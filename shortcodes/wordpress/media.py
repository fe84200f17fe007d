"""WordPress 6.1.9's media shortcodes (``media.php``), ported byte for byte.

``[caption]``/``[wp_caption]`` (:func:`img_caption_shortcode`) so far; each
function takes the ``$atts`` WordPress passes (``''`` or a dict, as
:meth:`~shortcodes.core.nodes.Shortcode.php_atts` gives them), the enclosed
content, and a :class:`MediaRequest`: the page being displayed (the site, the
:class:`~.theme.Theme`, the current post, the per-page instance counters
WordPress keeps in ``static $instance``, and how to run ``do_shortcode()``).

What WordPress itself cannot render comes back as a :class:`Kept` (the
renderer keeps the tag's source and reports it), never as an exception:

>>> req = MediaRequest()
>>> img_caption_shortcode({"width": "300", "id": "attachment_7"}, '<img src="a.jpg" /> A cat', req)
'<figure id="attachment_7" aria-describedby="caption-attachment-7" style="width: 300px" class="wp-caption alignnone"><img src="a.jpg" /><figcaption id="caption-attachment-7" class="wp-caption-text">A cat</figcaption></figure>'
>>> img_caption_shortcode("", '<img src="a.jpg" /> A cat', req).kind
'wordpress-fatal'
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..php.numbers import intval
from ..php.strings import php_empty, php_trim
from .escaping import esc_attr
from .shortcodes import shortcode_atts
from .theme import Theme

__all__ = ["MediaRequest", "Kept", "CaptionView", "caption_view", "img_caption_shortcode", "sanitize_html_class", "esc_html", "CAPTION_DEFAULTS"]

A = re.ASCII  # PCRE without /u: \s is ASCII whitespace.


@dataclass(frozen=True)
class Kept:
    """WordPress would not render this tag (a PHP fatal error, data the export lacks): keep its source.

    ``kind`` names the diagnostic, ``message`` says why.
    """

    kind: str
    message: str


class MediaRequest:
    """One page request as WordPress's media code sees it.

    ``site``: the export's site model (:class:`shortcodes.exports.site.Site`,
    or ``None``: no attachments); ``theme``: the :class:`~.theme.Theme`;
    ``post_id``: the post being displayed (``get_post()``; 0: none);
    ``counter(tag)``: the next value of that shortcode's ``static $instance``
    (default: counters kept here, starting at 1); ``do_shortcode(text)``:
    how enclosed content is run (default: unchanged).
    """

    def __init__(self, site: Any = None, theme: Theme | None = None, post_id: int = 0, *,
                 counter: "Callable[[str], int] | None" = None,
                 do_shortcode: "Callable[[str], str] | None" = None) -> None:
        self.site = site
        self.theme = theme if theme is not None else Theme()
        self.post_id = int(post_id or 0)
        self._counts: dict[str, int] = defaultdict(int)
        self._counter = counter
        self.do_shortcode: Callable[[str], str] = do_shortcode or (lambda text: text)

    def instance(self, tag: str) -> int:
        """``$instance++`` of ``tag``'s handler: 1 for its first call on the page."""
        if self._counter is not None:
            return self._counter(tag)
        self._counts[tag] += 1
        return self._counts[tag]


# --------------------------------------------------------------------------- formatting.php helpers
_PERCENT_HEX = re.compile(r"%[a-fA-F0-9][a-fA-F0-9]")
_NOT_CLASS = re.compile(r"[^A-Za-z0-9_-]")


def sanitize_html_class(klass: str, fallback: str = "") -> str:
    """``sanitize_html_class()``: percent-escapes, then everything but ``A-Za-z0-9_-``, removed.

    >>> sanitize_html_class("my photo!"), sanitize_html_class("a%20b"), sanitize_html_class("é", "x")
    ('myphoto', 'ab', 'x')
    """
    sanitized = _NOT_CLASS.sub("", _PERCENT_HEX.sub("", klass))
    if sanitized == "" and fallback:
        return sanitize_html_class(fallback)
    return sanitized


def esc_html(text: str) -> str:
    """``esc_html()``: the same escaping as ``esc_attr()`` (``_wp_specialchars`` with ``ENT_QUOTES``)."""
    return esc_attr(text)


def _php_str(value: object) -> str:
    """A value of ``$atts`` as PHP would print it (the port's values are strings already)."""
    return value if isinstance(value, str) else "" if value is None else str(value)


# --------------------------------------------------------------------------- [caption]
#: ``img_caption_shortcode()``'s ``shortcode_atts()`` defaults.
CAPTION_DEFAULTS: Mapping[str, str] = {"id": "", "caption_id": "", "align": "alignnone", "width": "",
                                       "caption": "", "class": ""}
_CAPTION_SPLIT = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.I | re.S | A)


@dataclass(frozen=True)
class CaptionView:
    """What ``img_caption_shortcode()`` decided, each field ready to write (escaped as WordPress does).

    ``html5``: ``<figure>`` (else ``<div>``); ``id``/``caption_id``: sanitized
    ids (``''``: none; ``caption_id`` is also the ``aria-describedby``);
    ``width``: the style width in px (0: no style); ``klass``: the escaped
    class list; ``image``: the image part after ``do_shortcode`` (for the
    classic markup with ``aria-describedby`` already on its ``<img``);
    ``caption``: the caption text (HTML, not escaped, as in WordPress).
    """

    html5: bool
    id: str
    caption_id: str
    width: int
    klass: str
    image: str
    caption: str

    def html(self) -> str:
        """The markup WordPress prints (``templates/media/caption.html`` writes the same)."""
        id_attr = f'id="{self.id}" ' if self.id else ""
        cid = f'id="{self.caption_id}" ' if self.caption_id else ""
        style = f'style="width: {self.width}px" ' if self.width else ""
        if self.html5:
            described = f'aria-describedby="{self.caption_id}" ' if self.caption_id else ""
            return (f'<figure {id_attr}{described}{style}class="{self.klass}">{self.image}'
                    f'<figcaption {cid}class="wp-caption-text">{self.caption}</figcaption></figure>')
        return (f'<div {id_attr}{style}class="{self.klass}">{self.image}'
                f'<p {cid}class="wp-caption-text">{self.caption}</p></div>')


def img_caption_shortcode(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "str | Kept":
    """``img_caption_shortcode()`` (media.php 2199), no filters registered: :func:`caption_view`'s markup.

    >>> req = MediaRequest(theme=Theme.classic())
    >>> img_caption_shortcode({"width": "300px", "align": "alignleft"}, '<a href="x"><img src="a.jpg"></a> Hi', req)
    '<div style="width: 310px" class="wp-caption alignleft"><a href="x"><img src="a.jpg"></a><p class="wp-caption-text">Hi</p></div>'
    >>> img_caption_shortcode({"width": "0"}, 'Before <img src="a.jpg"> Hi', req)   # the image alone
    '<img src="a.jpg">'
    """
    view = caption_view(attr, content, request)
    return view.html() if isinstance(view, CaptionView) else view


def caption_view(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "CaptionView | str | Kept":
    """The decisions of ``img_caption_shortcode()``: a :class:`CaptionView`, the content unchanged, or :class:`Kept`.

    With no ``caption`` attribute the first (optionally linked) ``<img>`` of
    ``content`` is the image and the trimmed rest the caption text; text
    before the image is dropped.  A width under 1 or an empty caption gives
    that image part (or, without one, the content) unchanged, not run through
    ``do_shortcode``, as in WordPress.  html5 themes get ``<figure>``, others ``<div>`` 10 px wider
    with ``aria-describedby`` on the ``<img``.  A legacy ``caption="…"``
    holding ``<`` goes through ``wp_kses( …, 'post')`` in WordPress, which is
    not ported: that tag is :class:`Kept`.  A tag with no attributes whose
    content holds an image is a fatal error in WordPress 6.1.9 (PHP 8: a
    string offset on ``''``): :class:`Kept` too.
    """
    attrs: dict[Any, str] | str = dict(attr) if isinstance(attr, Mapping) else attr
    if not isinstance(attrs, dict) or "caption" not in attrs:
        m = _CAPTION_SPLIT.search(content)
        if m is not None:
            if not isinstance(attrs, dict):
                if attrs == "":
                    return Kept("wordpress-fatal",
                                "WordPress 6.1.9 stops with a fatal error on a [caption] without attributes "
                                "(img_caption_shortcode: \"Cannot access offset of type string on string\")")
                attrs = {0: attrs}
            content = m.group(1)
            attrs["caption"] = php_trim(m.group(2))
    elif "<" in _php_str(attrs["caption"]):
        return Kept("caption-html", "a caption=\"…\" attribute holding HTML goes through wp_kses(), "
                                    "which is not ported; the tag is kept as written")
    atts = shortcode_atts(CAPTION_DEFAULTS, attrs, "caption")
    width = intval(atts["width"])
    caption = _php_str(atts["caption"])
    if width < 1 or php_empty(caption):
        return content
    ident = _php_str(atts["id"])
    caption_id = _php_str(atts["caption_id"])
    id_attr = caption_id_attr = describedby = ""
    if not php_empty(ident):
        ident = sanitize_html_class(ident)
        id_attr = f'id="{esc_attr(ident)}" '
    if not php_empty(caption_id):
        caption_id = sanitize_html_class(caption_id)
    elif not php_empty(ident):
        caption_id = "caption-" + ident.replace("_", "-")
    if not php_empty(caption_id):
        caption_id_attr = f'id="{esc_attr(caption_id)}" '
        describedby = f'aria-describedby="{esc_attr(caption_id)}" '
    klass = php_trim(f"wp-caption {_php_str(atts['align'])} {_php_str(atts['class'])}")
    html5 = request.theme.supports("caption")
    caption_width = intval(width if html5 else 10 + width)
    inner = request.do_shortcode(content)
    if not html5:
        inner = inner.replace("<img ", "<img " + describedby)
    return CaptionView(html5, esc_attr(ident) if id_attr else "", esc_attr(caption_id) if caption_id_attr else "",
                       caption_width, esc_attr(klass), inner, caption)
