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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable

from ..common.errors import NotPorted
from ..exports.site import mime_matches, sort_attachments
from ..php.numbers import absint, intval, php_round
from ..php.strings import php_empty, php_trim
from .escaping import esc_attr
from .formatting import wptexturize
from .functions import (
    WP_MIME_TYPES,
    wp_check_filetype,
    wp_get_audio_extensions,
    wp_get_video_extensions,
    wp_validate_boolean,
)
from .images import wp_get_attachment_image, wp_get_attachment_link, wp_get_attachment_metadata, wp_get_attachment_url
from .kses import ALLOWED_POST_TAGS
from .shortcodes import shortcode_atts
from .theme import Theme
from .urls import add_query_arg, esc_url, remove_query_arg, set_url_scheme, simple_parse_url

__all__ = ["MediaRequest", "Kept", "CaptionView", "PlayerView", "audio_view", "video_view", "wp_audio_shortcode",
           "wp_video_shortcode", "get_attached_media", "current_post_id", "GalleryView", "GalleryItem",
           "gallery_view", "gallery_shortcode", "tag_escape",
           "playlist_view", "PlaylistView", "Track", "ID3_KEYS", "children_of", "caption_view", "img_caption_shortcode", "sanitize_html_class", "esc_html", "CAPTION_DEFAULTS"]

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
    how enclosed content is run (default: unchanged); ``diagnose(kind,
    message)``: told about what the export could not resolve while the tag
    was still rendered (default: nothing).
    """

    def __init__(self, site: Any = None, theme: Theme | None = None, post_id: int = 0, *,
                 counter: "Callable[[str], int] | None" = None,
                 do_shortcode: "Callable[[str], str] | None" = None,
                 diagnose: "Callable[[str, str], None] | None" = None) -> None:
        self.site = site
        self.theme = theme if theme is not None else Theme()
        self.post_id = int(post_id or 0)
        self._counts: dict[str, int] = defaultdict(int)
        self._counter = counter
        self.do_shortcode: Callable[[str], str] = do_shortcode or (lambda text: text)
        self.diagnose: Callable[[str, str], None] = diagnose or (lambda kind, message: None)

    @property
    def has_attachments(self) -> bool:
        """Whether the site model holds any attachment (plain files and bare REST exports do not)."""
        return self.site is not None and bool(self.site.attachments)

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


# --------------------------------------------------------------------------- [audio] / [video]
def current_post_id(request: MediaRequest) -> int:
    """``get_post() ? get_the_ID() : 0``: the displayed post, if the site has it (any post without a site model)."""
    site = request.site
    pid = request.post_id
    if site is None:
        return pid
    return pid if pid in site.posts or pid in site.attachments else 0


_CHILDREN: "list[Any]" = [None, {}]  # [the site last indexed, {parent id: [attachments]}]


def children_of(site: Any, parent_id: int) -> list[Any]:
    """The attachments of ``site`` whose parent is ``parent_id``, in the site's order (indexed once per site)."""
    if _CHILDREN[0] is not site:
        index: dict[int, list[Any]] = {}
        for att in site.attachments.values():
            index.setdefault(att.parent, []).append(att)
        _CHILDREN[:] = [site, index]
    return _CHILDREN[1].get(parent_id, [])


def get_attached_media(request: MediaRequest, kind: str, post_id: int) -> list[Any]:
    """``get_attached_media($type, $post)``: the post's attachments of that mime type, ``menu_order`` ASC (ties by ID)."""
    site = request.site
    if site is None or not post_id:
        return []
    prefix = kind + "/"
    found = [a for a in children_of(site, post_id) if (a.mime_type or "").lower().startswith(prefix)]
    found.sort(key=lambda a: (a.menu_order, a.id))
    return found


@dataclass(frozen=True)
class PlayerView:
    """What ``wp_audio_shortcode()``/``wp_video_shortcode()`` decided, ready to write.

    ``tag``: ``audio``/``video``; ``ie_comment``: the one-time
    ``<!--[if lt IE 9]>…`` line (``''`` after the first player of its kind);
    ``attributes``: the element's ``k="v"`` pairs, escaped, in WordPress's
    order; ``sources``: ``(type, escaped URL)``; ``inner``: the enclosed
    content (``[video]``'s ``<track>``); ``fallback``: the escaped URL of the
    fallback link; ``width``: the ``[video]`` wrapper's style width (``None``: no rule).
    ``played``: the attachment played because no usable source was given
    (``None``: a source attribute was used); ``ignored``: a positional value
    WordPress does not read (``[audio https://…]``).
    """

    tag: str
    ie_comment: str
    attributes: tuple[tuple[str, str], ...]
    sources: tuple[tuple[str, str], ...]
    inner: str
    fallback: str
    width: int | None = None
    played: Any = None
    ignored: str = ""

    def html(self) -> str:
        """The markup WordPress prints (``templates/media/audio.html``/``video.html`` write the same)."""
        atts = " ".join(f'{k}="{v}"' for k, v in self.attributes)
        body = "".join(f'<source type="{t}" src="{u}" />' for t, u in self.sources)
        player = (f'{self.ie_comment}<{self.tag} {atts} controls="controls">{body}{self.inner}'
                  f'<a href="{self.fallback}">{self.fallback}</a></{self.tag}>')
        if self.tag == "video":
            rule = f"width: {self.width}px;" if self.width is not None else ""
            return f'<div style="{rule}" class="wp-video">{player}</div>'
        return player


def _positional(attr: "str | Mapping[Any, str]") -> str:
    if isinstance(attr, Mapping):
        return " ".join(v for k, v in attr.items() if isinstance(k, int))
    return ""


def _source_of(atts: Mapping[str, Any], order: list[str]) -> str:
    for key in order:
        if not php_empty(_php_str(atts.get(key, ""))):
            return _php_str(atts[key])
    return ""


def _media_shortcode(kind: str, attr: "str | Mapping[Any, str]", content: str,
                     request: MediaRequest) -> "PlayerView | str | Kept":
    """The shared body of ``wp_audio_shortcode()`` (media.php 3060) and ``wp_video_shortcode()`` (3278)."""
    post_id = current_post_id(request)
    instance = request.instance(kind)
    video = kind == "video"
    types = wp_get_video_extensions() if video else wp_get_audio_extensions()
    defaults: dict[str, Any] = ({"src": "", "poster": "", "loop": "", "autoplay": "", "muted": "false",
                                 "preload": "metadata", "width": 640, "height": 360, "class": "wp-video-shortcode"}
                                if video else
                                {"src": "", "loop": "", "autoplay": "", "preload": "none",
                                 "class": "wp-audio-shortcode", "style": "width: 100%;"})
    for t in types:
        defaults[t] = ""
    atts = shortcode_atts(defaults, attr, kind)
    if video:
        width_cap = request.theme.content_width
        if width_cap and _php_gt(atts["width"], width_cap):
            height, width = _php_num(atts["height"]), _php_num(atts["width"])
            if height is None or width is None:
                bad = "height" if height is None else "width"
                return Kept("wordpress-fatal", f"WordPress 6.1.9 stops with a fatal error on this [video]: its {bad} "
                                               f"{_php_str(atts[bad])!r} is not a number (TypeError: Unsupported operand types)")
            atts["height"] = php_round(height * width_cap / width)
            atts["width"] = width_cap
    is_youtube = is_vimeo = False
    primary = False
    src = _php_str(atts["src"])
    try:
        if not php_empty(src):
            if video:
                is_vimeo = _VIMEO.match(src) is not None
                is_youtube = _YOUTUBE.match(src) is not None
            if not (is_youtube or is_vimeo):
                ext, _type = wp_check_filetype(src, WP_MIME_TYPES)
                if (ext.lower() if isinstance(ext, str) else "") not in types:
                    return f'<a class="wp-embedded-{kind}" href="{esc_url(src)}">{esc_html(src)}</a>'
            primary = True
            types.insert(0, "src")
        else:
            for ext_name in types:
                value = _php_str(atts[ext_name])
                if not php_empty(value):
                    ext, _type = wp_check_filetype(value, WP_MIME_TYPES)
                    if (ext.lower() if isinstance(ext, str) else "") == ext_name:
                        primary = True
        played = None
        if not primary:
            if not request.has_attachments:
                return Kept("media-unresolved", f"no source attribute, and the export carries no attachments to "
                                                f"play the post's first attached {kind} file from")
            found = get_attached_media(request, kind, post_id)
            if not found:
                return ""
            played = found[0]
            url = wp_get_attachment_url(request.site, played.id)
            if php_empty(url if isinstance(url, str) else ""):
                return Kept("media-unresolved", f"attachment {played.id}, the post's first {kind} file, has no URL "
                                                f"in the export")
            atts["src"] = url
            types.insert(0, "src")
        if video and is_youtube:
            atts["src"] = set_url_scheme(remove_query_arg("feature", _php_str(atts["src"])), "https")
        elif video and is_vimeo:
            parsed = simple_parse_url(_php_str(atts["src"]))
            vimeo = "https://" + parsed["host"] + parsed.get("path", "")
            atts["src"] = add_query_arg("loop", "1" if not php_empty(_php_str(atts["loop"])) else "0", vimeo)
        pairs: list[tuple[str, Any]] = [("class", atts["class"]), ("id", f"{kind}-{post_id}-{instance}")]
        if video:
            pairs += [("width", absint(atts["width"])), ("height", absint(atts["height"])),
                      ("poster", esc_url(_php_str(atts["poster"]))), ("loop", wp_validate_boolean(atts["loop"])),
                      ("autoplay", wp_validate_boolean(atts["autoplay"])), ("muted", wp_validate_boolean(atts["muted"])),
                      ("preload", atts["preload"])]
            optional: tuple[str, ...] = ("poster", "loop", "autoplay", "preload", "muted")
        else:
            pairs += [("loop", wp_validate_boolean(atts["loop"])), ("autoplay", wp_validate_boolean(atts["autoplay"])),
                      ("preload", atts["preload"]), ("style", atts["style"])]
            optional = ("loop", "autoplay", "preload")
        attributes = tuple((k, esc_attr(_php_print(v))) for k, v in pairs
                           if not (k in optional and _php_falsy(v)))
        sources = []
        fileurl = ""
        for fallback in types:
            value = _php_str(atts[fallback])
            if php_empty(value):
                continue
            if php_empty(fileurl):
                fileurl = value
            if fallback == "src" and is_youtube:
                mime: Any = "video/youtube"
            elif fallback == "src" and is_vimeo:
                mime = "video/vimeo"
            else:
                mime = wp_check_filetype(value, WP_MIME_TYPES)[1]
            sources.append((_php_print(mime), esc_url(add_query_arg("_", instance, value))))
        inner = ""
        if video and not php_empty(content):
            if "\n" in content:
                content = content.replace("\r\n", "").replace("\n", "").replace("\t", "")
            inner = php_trim(content)
        ie = f"<!--[if lt IE 9]><script>document.createElement('{kind}');</script><![endif]-->\n" if instance == 1 else ""
        width = intval(atts["width"]) if video and not _php_falsy(atts["width"]) else None
        return PlayerView(kind, ie, attributes, tuple(sources), inner, esc_url(fileurl), width, played,
                          _positional(attr))
    except NotPorted as exc:
        return Kept("not-ported", f"WordPress's {exc} is not ported")


def wp_audio_shortcode(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "str | Kept":
    """``wp_audio_shortcode()`` (media.php 3060), no filters: the markup of :func:`audio_view`.

    >>> wp_audio_shortcode({"src": "https://x.org/a.mp3"}, "", MediaRequest(post_id=3))
    '<!--[if lt IE 9]><script>document.createElement(\\'audio\\');</script><![endif]-->\\n<audio class="wp-audio-shortcode" id="audio-3-1" preload="none" style="width: 100%;" controls="controls"><source type="audio/mpeg" src="https://x.org/a.mp3?_=1" /><a href="https://x.org/a.mp3">https://x.org/a.mp3</a></audio>'
    """
    view = audio_view(attr, content, request)
    return view.html() if isinstance(view, PlayerView) else view


def wp_video_shortcode(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "str | Kept":
    """``wp_video_shortcode()`` (media.php 3278), no filters: the markup of :func:`video_view`."""
    view = video_view(attr, content, request)
    return view.html() if isinstance(view, PlayerView) else view


def audio_view(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "PlayerView | str | Kept":
    """The decisions of ``wp_audio_shortcode()``: a :class:`PlayerView`, the text printed instead, or :class:`Kept`.

    ``src`` (or the first ``mp3 ogg flac m4a wav`` attribute whose file has
    that extension) is played; a ``src`` of another type prints a link.  With
    none, the post's first attached audio (``menu_order``) is played, and
    WordPress ignores a positional URL (``[audio https://…]``); no attached
    audio prints nothing.  The first player of the page gets the IE comment.
    """
    return _media_shortcode("audio", attr, content, request)


def video_view(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "PlayerView | str | Kept":
    """The decisions of ``wp_video_shortcode()`` (as :func:`audio_view`, with ``mp4 m4v webm ogv flv``).

    A width over the theme's ``content_width`` is scaled down to it (height
    in proportion); YouTube and Vimeo ``src`` URLs play as ``video/youtube``
    / ``video/vimeo``; enclosed content (``<track>``) is kept, without its
    line breaks and tabs.
    """
    return _media_shortcode("video", attr, content, request)


_YOUTUBE = re.compile(r"^https?://(?:www\.)?(?:youtube\.com/watch|youtu\.be/)", A)
_VIMEO = re.compile(r"^https?://(.+\.)?vimeo\.com/.*", A)


def _php_falsy(value: Any) -> bool:
    """PHP ``empty()`` of a value of ``$atts``."""
    if isinstance(value, str):
        return php_empty(value)
    return not value


def _php_print(value: Any) -> str:
    """A value as PHP's string conversion prints it (``true`` -> ``1``, ``false`` -> ``''``)."""
    if value is True:
        return "1"
    if value is False or value is None:
        return ""
    if isinstance(value, float):
        return _php_float(value)
    return str(value)


def _php_float(f: float) -> str:
    if f == int(f) and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def _php_num(value: Any) -> "float | None":
    """A value of ``$atts`` as PHP 8's arithmetic reads it (leading-numeric strings); ``None``: a TypeError."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _NUMERIC.match(_php_str(value))
    return None if m is None else float(m.group(1))


_NUMERIC = re.compile(r"[ \t\n\r\x0b\x0c]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)")


def _php_gt(value: Any, limit: int) -> bool:
    """PHP 8's ``$value > $limit`` for an attribute string and an int."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value > limit
    text = _php_str(value)
    m = _NUMERIC.fullmatch(text.rstrip(" \t\n\r\x0b\x0c"))
    if m is not None:  # a numeric string compares as a number
        return float(m.group(1)) > limit
    return text > str(limit)  # a non-numeric string compares with the int as strings


# --------------------------------------------------------------------------- [gallery]
@dataclass(frozen=True)
class GalleryItem:
    """One image of a gallery: its tags, ``orientation`` class, the (linked) image HTML, the texturized caption."""

    id: int
    orientation: str
    image: str
    caption: str | None


@dataclass(frozen=True)
class GalleryView:
    """What ``gallery_shortcode()`` decided, ready to write (``templates/media/gallery.html``).

    ``style``: write the default ``<style>`` block (themes without html5
    gallery support), with ``type_attr`` (`` type="text/css"`` unless html5
    ``style`` support), ``float`` (``right`` on RTL sites) and ``item_width``;
    ``selector``: ``gallery-N``; ``breaks``: classic markup's
    ``<br style="clear: both" />`` after every ``columns`` items.
    """

    selector: str
    post_id: int
    columns: int
    size_class: str
    itemtag: str
    icontag: str
    captiontag: str
    items: tuple[GalleryItem, ...]
    style: bool
    type_attr: str
    float: str
    item_width: int
    breaks: bool

    def html(self) -> str:
        """The markup WordPress prints (the template writes the same)."""
        out = ""
        sel = self.selector
        if self.style:
            out += (f"\n\t\t<style{self.type_attr}>\n\t\t\t#{sel} {{\n\t\t\t\tmargin: auto;\n\t\t\t}}\n"
                    f"\t\t\t#{sel} .gallery-item {{\n\t\t\t\tfloat: {self.float};\n\t\t\t\tmargin-top: 10px;\n"
                    f"\t\t\t\ttext-align: center;\n\t\t\t\twidth: {self.item_width}%;\n\t\t\t}}\n"
                    f"\t\t\t#{sel} img {{\n\t\t\t\tborder: 2px solid #cfcfcf;\n\t\t\t}}\n"
                    f"\t\t\t#{sel} .gallery-caption {{\n\t\t\t\tmargin-left: 0;\n\t\t\t}}\n"
                    f"\t\t\t/* see gallery_shortcode() in wp-includes/media.php */\n\t\t</style>\n\t\t")
        out += (f"<div id='{sel}' class='gallery galleryid-{self.post_id} gallery-columns-{self.columns} "
                f"gallery-size-{self.size_class}'>")
        for i, item in enumerate(self.items, 1):
            out += (f"<{self.itemtag} class='gallery-item'>\n\t\t\t<{self.icontag} class='gallery-icon "
                    f"{item.orientation}'>\n\t\t\t\t{item.image}\n\t\t\t</{self.icontag}>")
            if item.caption is not None:
                out += (f"\n\t\t\t\t<{self.captiontag} class='wp-caption-text gallery-caption' id='{sel}-{item.id}'>"
                        f"\n\t\t\t\t{item.caption}\n\t\t\t\t</{self.captiontag}>")
            out += f"</{self.itemtag}>"
            if self.breaks and i % self.columns == 0:
                out += '<br style="clear: both" />'
        if self.breaks and len(self.items) % self.columns:
            out += "\n\t\t\t<br style='clear: both' />"
        return out + "\n\t\t</div>\n"


#: Where ``gallery_shortcode()`` finds its images when ``ids``/``include`` is given.
def _parse_id_list(value: str) -> list[int]:
    """``wp_parse_id_list()``: ids split on commas/whitespace, ``absint``, duplicates dropped."""
    out: list[int] = []
    for piece in re.split(r"[\s,]+", value, flags=A):
        n = absint(piece)
        if n not in out:
            out.append(n)
    return out


def _is_viewable(site: Any, post: Any) -> bool:
    return post is not None and getattr(post, "status", "publish") == "publish"


def gallery_view(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "GalleryView | str | Kept":
    """The decisions of ``gallery_shortcode()`` (media.php 2383), no filters.

    ``ids`` (or ``include``) lists the images, in that order unless
    ``orderby`` says otherwise; without, the post's (or ``id``'s) attached
    images in ``menu_order ID`` order, less ``exclude``.  Ids that are missing
    or not images are dropped, as WordPress drops them; no images prints
    nothing.  ``orderby="rand"`` is MySQL's ``RAND()`` in WordPress, a new
    order on every page view: here the images keep their ID order.
    ``link="file"`` links each image to its file, ``"none"`` to nothing,
    anything else to its attachment page.  A gallery of attached images of a
    post that is not public, or has a password, is shown only when the theme
    renders for the author (``Theme.visitor`` false, the default); a visitor
    gets nothing, as in WordPress.
    """
    site = request.site
    theme = request.theme
    post_id = current_post_id(request)
    instance = request.instance("gallery")
    attrs: dict[Any, Any] = dict(attr) if isinstance(attr, Mapping) else ({} if attr == "" else {0: attr})
    if not php_empty(_php_str(attrs.get("ids", ""))):
        if php_empty(_php_str(attrs.get("orderby", ""))):
            attrs["orderby"] = "post__in"
        attrs["include"] = attrs["ids"]
    html5 = theme.supports("gallery")
    atts = shortcode_atts({"order": "ASC", "orderby": "menu_order ID", "id": post_id,
                           "itemtag": "figure" if html5 else "dl", "icontag": "div" if html5 else "dt",
                           "captiontag": "figcaption" if html5 else "dd", "columns": 3, "size": "thumbnail",
                           "include": "", "exclude": "", "link": ""}, attrs, "gallery")
    gid = intval(atts["id"])
    order, orderby = _php_str(atts["order"]), _php_str(atts["orderby"])
    include = _php_str(atts["include"])
    if not request.has_attachments:
        return Kept("media-unresolved", "the export carries no attachments (no site model, or a format without them)")
    if not php_empty(include):
        ids = _parse_id_list(include)
        missing = [i for i in ids if i not in site.attachments]
        if missing and len(missing) == len(ids):
            return Kept("media-unresolved", f"none of its ids ({', '.join(map(str, ids))}) is an attachment in the export")
        if missing:
            request.diagnose("media-unresolved", f"ids {', '.join(map(str, missing))} are not attachments in the "
                                                 f"export: left out, as WordPress leaves them out")
        found = [site.attachments[i] for i in ids if i in site.attachments]
        found = [a for a in found if getattr(a, "status", "inherit") == "inherit"
                 and (a.mime_type or "").lower().startswith("image/")]
        attachments = sort_attachments(found, orderby, order, include=ids)
    else:
        exclude = _parse_id_list(_php_str(atts["exclude"])) if not php_empty(_php_str(atts["exclude"])) else []
        skip = set(exclude)  # Site.children(), over the site's index of children
        attachments = sort_attachments([a for a in children_of(site, gid) if a.id not in skip
                                        and getattr(a, "status", "inherit") == "inherit"
                                        and mime_matches(a.mime_type, "image")], orderby, order)
        if gid and theme.visitor:
            parent = site.posts.get(gid) or site.posts.get(post_id)
            if parent is not None and (not _is_viewable(site, parent) or parent.password):
                return ""
    if not attachments:
        request.diagnose("media-empty", "prints nothing: no image attachments to show (as in WordPress)")
        return ""
    tags = {}
    for key, fallback in (("itemtag", "dl"), ("captiontag", "dd"), ("icontag", "dt")):
        tag = tag_escape(_php_str(atts[key]))
        tags[key] = tag if tag in ALLOWED_POST_TAGS else fallback
    columns = intval(atts["columns"])
    size = _php_str(atts["size"])
    selector = f"gallery-{instance}"
    link = _php_str(atts["link"])
    items = []
    for att in attachments:
        has_caption = not php_empty(php_trim(att.caption or ""))  # PHP: trim() of "0" is falsy too
        extra = {"aria-describedby": f"{selector}-{att.id}"} if has_caption else None
        if link == "file":
            image = wp_get_attachment_link(site, theme, att.id, size, False, extra)
        elif link == "none":
            image = wp_get_attachment_image(site, theme, att.id, size, extra)
        else:
            image = wp_get_attachment_link(site, theme, att.id, size, True, extra)
        meta = wp_get_attachment_metadata(site, att.id)
        orientation = ""
        if meta is not None and meta.get("height") is not None and meta.get("width") is not None:
            orientation = "portrait" if (_php_num(meta["height"]) or 0) > (_php_num(meta["width"]) or 0) else "landscape"
        caption = wptexturize(att.caption) if tags["captiontag"] and has_caption else None
        items.append(GalleryItem(att.id, orientation, image, caption))
    return GalleryView(selector, gid, columns, sanitize_html_class(size), tags["itemtag"], tags["icontag"],
                       tags["captiontag"], tuple(items), not html5, "" if theme.supports("style") else ' type="text/css"',
                       "right" if theme.rtl else "left", (100 // columns) if columns > 0 else 100,
                       not html5 and columns > 0)


def gallery_shortcode(attr: "str | Mapping[Any, str]", request: MediaRequest) -> "str | Kept":
    """``gallery_shortcode()``: the markup of :func:`gallery_view`."""
    view = gallery_view(attr, "", request)
    return view.html() if isinstance(view, GalleryView) else view


def tag_escape(tag_name: str) -> str:
    """``tag_escape()``: a tag name reduced to ``a-z0-9-_:`` (lower case)."""
    return re.sub(r"[^a-zA-Z0-9\-_:]", "", tag_name).lower()


# --------------------------------------------------------------------------- [playlist]
#: ``wp_get_attachment_id3_keys($attachment, 'display')``: the metadata a track shows.
ID3_KEYS: tuple[str, ...] = ("artist", "album", "genre", "year", "length_formatted")


@dataclass(frozen=True)
class Track:
    """One track of a playlist, with the data WordPress puts in its ``wp-playlist-script`` JSON."""

    id: int
    src: str
    type: str
    title: str
    caption: str
    description: str
    meta: Mapping[str, Any]
    width: int = 0
    height: int = 0

    @property
    def url(self) -> str:
        """``src`` through ``esc_url()``: safe in an attribute (HTML already, not to be escaped again)."""
        try:
            return esc_url(self.src)
        except NotPorted:
            return ""


@dataclass(frozen=True)
class PlaylistView:
    """A ``[playlist]`` as a static list a visitor can play (WordPress's own needs its JavaScript).

    ``type``: ``audio``/``video``; ``style``: ``light``/``dark``; ``tracklist``,
    ``tracknumbers``, ``artists``: WordPress's switches; ``tracks``: the
    :class:`Track` list, in WordPress's order.  Unlike the other views its
    strings are data, not HTML: a template escapes them (``Track.url`` is
    the escaped URL).
    """

    type: str
    style: str
    tracklist: bool
    tracknumbers: bool
    artists: bool
    tracks: tuple[Track, ...]


def playlist_view(attr: "str | Mapping[Any, str]", content: str, request: MediaRequest) -> "PlaylistView | str | Kept":
    """The data of ``wp_playlist_shortcode()`` (media.php 2736): its tracks, for a static rendering.

    ``ids``/``include`` or the post's (``id``'s) attached files of ``type``
    (``audio``, anything else is ``video``) in ``menu_order ID`` order; each
    track's URL, mime type, title, caption, description and the ``artist
    album genre year length_formatted`` metadata; video tracks' size scaled
    to ``content_width - 22`` (640×360 by default).  WordPress 6.1.9 shows a
    logged-out visitor nothing for a playlist without ``ids`` (its
    ``read_post`` check fails for anonymous readers): so does
    ``Theme(visitor=True)``; by default the author's view, the tracks.
    """
    site = request.site
    theme = request.theme
    post_id = current_post_id(request)
    request.instance("playlist")
    attrs: dict[Any, Any] = dict(attr) if isinstance(attr, Mapping) else ({} if attr == "" else {0: attr})
    if not php_empty(_php_str(attrs.get("ids", ""))):
        if php_empty(_php_str(attrs.get("orderby", ""))):
            attrs["orderby"] = "post__in"
        attrs["include"] = attrs["ids"]
    atts = shortcode_atts({"type": "audio", "order": "ASC", "orderby": "menu_order ID", "id": post_id, "include": "",
                           "exclude": "", "style": "light", "tracklist": True, "tracknumbers": True, "images": True,
                           "artists": True}, attrs, "playlist")
    kind = "audio" if atts["type"] == "audio" else "video"
    gid = intval(atts["id"])
    order, orderby = _php_str(atts["order"]), _php_str(atts["orderby"])
    if not request.has_attachments:
        return Kept("media-unresolved", "the export carries no attachments (no site model, or a format without them)")
    include = _php_str(atts["include"])
    if not php_empty(include):
        ids = _parse_id_list(include)
        if not any(i in site.attachments for i in ids):
            return Kept("media-unresolved", f"none of its ids ({', '.join(map(str, ids))}) is an attachment in the export")
        found = [site.attachments[i] for i in ids if i in site.attachments]
        found = [a for a in found if getattr(a, "status", "inherit") == "inherit" and mime_matches(a.mime_type, kind)]
        attachments = sort_attachments(found, orderby, order, include=ids)
    else:
        exclude = set(_parse_id_list(_php_str(atts["exclude"]))) if not php_empty(_php_str(atts["exclude"])) else set()
        attachments = sort_attachments([a for a in children_of(site, gid) if a.id not in exclude
                                        and getattr(a, "status", "inherit") == "inherit"
                                        and mime_matches(a.mime_type, kind)], orderby, order)
        if theme.visitor:  # current_user_can('read_post') is false for a logged-out reader
            return ""
        if gid and gid not in site.posts and gid not in site.attachments:
            return ""  # no such post: read_post maps to do_not_allow, for every reader
    if not attachments:
        request.diagnose("media-empty", f"prints nothing: no {kind} attachments to play (as in WordPress)")
        return ""
    width = theme.content_width
    theme_width = 640 if not width else width - 22
    tracks = []
    for att in attachments:
        url = wp_get_attachment_url(site, att.id)
        src = url if isinstance(url, str) else ""
        mime = wp_check_filetype(src, WP_MIME_TYPES)[1] if src else False
        meta = wp_get_attachment_metadata(site, att.id) or {}
        shown = {k: meta[k] for k in ID3_KEYS if k in meta and not _php_falsy(meta[k])}
        w = h = 0
        if kind == "video":
            if not _php_falsy(meta.get("width")) and not _php_falsy(meta.get("height")):
                w = theme_width
                h = php_round((_php_num(meta["height"]) or 0) * theme_width / (_php_num(meta["width"]) or 1))
            else:
                w, h = theme_width, 360 if not width else php_round(360 * theme_width / 640)
        tracks.append(Track(att.id, src, mime if isinstance(mime, str) else "", att.title or "", att.caption or "",
                            att.description or "", shown, w, h))
    return PlaylistView(kind, _php_str(atts["style"]), wp_validate_boolean(atts["tracklist"]),
                        wp_validate_boolean(atts["tracknumbers"]), wp_validate_boolean(atts["artists"]), tuple(tracks))
