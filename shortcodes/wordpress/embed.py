"""WordPress 6.1.9's ``WP_Embed`` (``class-wp-embed.php``, ``embed.php``), offline.

``[embed]URL[/embed]`` (or ``[embed src=URL]``) and a URL alone on a line or
in a paragraph (``autoembed``) become, in WordPress's order:

1. the built-in handlers (``wp_maybe_load_embeds()``): a YouTube ``/embed/ID``
   URL is embedded as ``https://youtube.com/watch?v=ID``; a URL ending in an
   audio or video extension becomes ``[audio src="…" /]`` / ``[video … /]``,
   which the page's later ``do_shortcode()`` renders;
2. the oEmbed HTML cached in the post's meta, ``_oembed_{md5(url .
   serialize(attr))}`` (:func:`oembed_cache_key`; the export carries it:
   :attr:`shortcodes.exports.site.PostInfo.oembed`), whatever its age, as the
   front end serves it; ``{{unknown}}`` is a cached failure;
3. what ``wp_oembed_get()`` gives offline: nothing, so
4. a link (``<a href="URL">URL</a>``), or for autoembed the bare URL.

``attr`` is ``wp_embed_defaults()`` (``width`` = ``$content_width`` or 500,
``height`` = ``min(ceil(width * 1.5), 1000)``) overridden by the tag's
attributes, so the cache key depends on the theme's content width; an export
made with another theme's width misses (``misses`` lists such URLs).

>>> e = WPEmbed(content_width=None)
>>> e.run_shortcode('[embed]https://example.org/a.mp3[/embed]')
'[audio src="https://example.org/a.mp3" /]'
>>> e.run_shortcode('[embed]https://example.org/page[/embed]')
'<a href="https://example.org/page">https://example.org/page</a>'
>>> e.autoembed('Look:\\nhttps://example.org/page\\nbye')
'Look:\\nhttps://example.org/page\\nbye'
>>> oembed_cache_key("http://wordpress.tv/2009/03/16/anatomy-of-a-wordpress-theme/", {"width": 500, "height": 750.0})
'78eb854a26c9e3ae6499035caa61da8d'
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any, Callable

from ..common.errors import NotPorted
from ..php.numbers import intval
from ..php.serialize import serialize
from ..php.strings import php_empty
from .formatting import wp_html_split
from .media import esc_html
from .shortcodes import do_shortcode
from .urls import esc_url, php_urlencode

__all__ = ["WPEmbed", "wp_embed_defaults", "oembed_cache_key", "wp_replace_in_html_tags", "AUDIO_EXTENSIONS",
           "VIDEO_EXTENSIONS"]

A = re.ASCII  # PCRE without /u

#: ``wp_get_audio_extensions()`` / ``wp_get_video_extensions()`` (no filters).
AUDIO_EXTENSIONS = ("mp3", "ogg", "flac", "m4a", "wav")
VIDEO_EXTENSIONS = ("mp4", "m4v", "webm", "ogv", "flv")

_UNKNOWN = "{{unknown}}"


def wp_embed_defaults(content_width: "int | None") -> dict[str, Any]:
    """``wp_embed_defaults()``: ``width`` (an int) and ``height`` (PHP's ``min(ceil(w*1.5), 1000)``: a float below 1000).

    >>> wp_embed_defaults(None), wp_embed_defaults(700)
    ({'width': 500, 'height': 750.0}, {'width': 700, 'height': 1000})
    """
    width = int(content_width) if content_width else 0
    if not width:
        width = 500
    h = float(math.ceil(width * 1.5))
    return {"width": width, "height": h if h < 1000 else 1000}


def oembed_cache_key(url: str, attr: Mapping[Any, Any]) -> str:
    """The md5 WordPress keys a cached embed with: ``md5($url . serialize($attr))``.

    >>> oembed_cache_key("https://youtu.be/x", {"width": 500, "height": 750.0})
    'd819a8b14b6a858f520b848b4df41115'
    """
    return hashlib.md5((url + _serialized_attr(attr)).encode("utf-8", "surrogateescape")).hexdigest()


def _serialized_attr(attr: Mapping[Any, Any]) -> str:
    """``serialize($attr)``, remembered for attributes of scalars (nearly every embed has the same ones)."""
    try:  # types and float reprs in the key: 1, 1.0 and True, or 0.0 and -0.0, are equal but serialize apart
        key = tuple((type(k), k, type(v), repr(v) if type(v) is float else v) for k, v in attr.items())
        return _serialized_scalars(key)
    except TypeError:  # a value that is not hashable (an array): not remembered
        return serialize(dict(attr))


@functools.lru_cache(maxsize=512)
def _serialized_scalars(key: "tuple[tuple[type, Any, type, Any], ...]") -> str:
    return serialize({k: float(v) if t is float else v for _kt, k, t, v in key})


def wp_replace_in_html_tags(haystack: str, replace_pairs: Mapping[str, str]) -> str:
    """``wp_replace_in_html_tags()``: replace inside HTML elements (tags, comments) only.

    >>> wp_replace_in_html_tags('a\\n<b\\nc>\\n', {"\\n": "<!-- wp-line-break -->"})
    'a\\n<b<!-- wp-line-break -->c>\\n'
    """
    parts = wp_html_split(haystack)
    changed = False
    pairs = list(replace_pairs.items())
    for i in range(1, len(parts), 2):
        if len(pairs) == 1:
            needle, replace = pairs[0]
            if needle in parts[i]:
                parts[i] = parts[i].replace(needle, replace)
                changed = True
        else:
            for needle in replace_pairs:
                if needle in parts[i]:
                    parts[i] = _strtr(parts[i], replace_pairs)
                    changed = True
                    break
    return "".join(parts) if changed else haystack


def _strtr(s: str, pairs: Mapping[str, str]) -> str:
    """PHP's ``strtr($s, $pairs)``: longest needles first, no rescanning of replacements."""
    keys = sorted((k for k in pairs if k), key=len, reverse=True)
    if not keys:
        return s
    rx = re.compile("|".join(re.escape(k) for k in keys))
    return rx.sub(lambda m: pairs[m.group()], s)


def _merge(defaults: Mapping[str, Any], attr: "str | Mapping[Any, Any]") -> dict[Any, Any]:
    """``wp_parse_args($attr, $defaults)`` for shortcode attributes: ``array_merge()`` (int keys renumbered)."""
    out: dict[Any, Any] = dict(defaults)
    if isinstance(attr, str):
        return out
    n = 0
    for k, v in attr.items():
        if isinstance(k, int):
            out[n] = v
            n += 1
        else:
            out[k] = v
    return out


_AUTOEMBED_PROBE = re.compile(r"(^|\s|>)https?://", A | re.I)
_AUTOEMBED_LINE = re.compile(r'^(\s*)(https?://[^\s<>"]+)(\s*)$', A | re.I | re.M)
_AUTOEMBED_P = re.compile(r'(<p(?: [^>]*)?>\s*)(https?://[^\s<>"]+)(\s*</p>)', A | re.I)
_YOUTUBE_EMBED = re.compile(r"https?://(www.)?youtube\.com/(?:v|embed)/([^/]+)", A | re.I)


def _ext_handler(exts: tuple[str, ...]) -> "re.Pattern[str]":
    return re.compile(r"^https?://.+?\.(" + "|".join(exts) + r")$", A | re.I)


_AUDIO_URL = _ext_handler(AUDIO_EXTENSIONS)
_VIDEO_URL = _ext_handler(VIDEO_EXTENSIONS)


class WPEmbed:
    """``$wp_embed`` for one page: the post displayed (its oEmbed cache) and the theme's content width.

    ``post_id`` and ``oembed`` (md5 → cached HTML) are the displayed post's
    (``get_post()``; ``post_id=0``: none, then nothing is cached), served as
    stored, as WordPress serves it. ``misses`` collects the URLs that fell
    back to a link (no cached HTML for this URL and width).
    """

    def __init__(self, *, post_id: int = 0, oembed: "Mapping[str, str] | None" = None,
                 content_width: "int | None" = None) -> None:
        self.post_id = int(post_id or 0)
        self.oembed: Mapping[str, str] = oembed or {}
        self.content_width = content_width
        self.usecache = True
        self.linkifunknown = True
        self.misses: list[str] = []
        #: URLs whose output needs a part of WordPress not ported (``esc_url()`` of a URL that ``parse_url()``
        #: splits in ways not ported): written as they are
        self.not_ported: list[str] = []
        self.count = 0  # [embed] tags run

    @classmethod
    def for_post(cls, post: Any, *, content_width: "int | None" = None) -> "WPEmbed":
        """The embedder of a page showing ``post`` (a :class:`~shortcodes.exports.site.PostInfo`, or None)."""
        if post is None:
            return cls(content_width=content_width)
        return cls(post_id=getattr(post, "id", 0), oembed=getattr(post, "oembed", None), content_width=content_width)

    # -- the built-in handlers (embed.php) ----------------------------------------------
    def _youtube(self, m: "re.Match[str]", attr: Mapping[Any, Any], url: str, rawattr: Any) -> str:
        return self.autoembed("https://youtube.com/watch?v=%s" % php_urlencode(m.group(2)))

    def _audio(self, m: "re.Match[str]", attr: Mapping[Any, Any], url: str, rawattr: Any) -> str:
        return '[audio src="%s" /]' % esc_url(url)

    def _video(self, m: "re.Match[str]", attr: Mapping[Any, Any], url: str, rawattr: Any) -> str:
        dimensions = ""
        if isinstance(rawattr, Mapping) and not php_empty(_s(rawattr.get("width"))) \
                and not php_empty(_s(rawattr.get("height"))):
            dimensions += 'width="%d" ' % intval(rawattr["width"])
            dimensions += 'height="%d" ' % intval(rawattr["height"])
        return '[video %s src="%s" /]' % (dimensions, esc_url(url))

    def get_embed_handler_html(self, rawattr: Any, url: str) -> "str | bool":
        """``WP_Embed::get_embed_handler_html()``: the first handler (by priority) whose regex matches."""
        attr = _merge(wp_embed_defaults(self.content_width), rawattr)
        for _, _, rx, callback in _HANDLERS:
            m = rx.search(url)
            if m is not None:
                out = callback(self, m, attr, url, rawattr)
                if out is not False:
                    return out
        return False

    # -- WP_Embed ----------------------------------------------------------------------
    def shortcode(self, attr: "str | Mapping[Any, Any]", url: str = "") -> str:
        """``WP_Embed::shortcode()``: the ``[embed]`` handler (a URL needing what is not ported: as it is)."""
        try:
            return self._shortcode(attr, url)
        except NotPorted:
            self.not_ported.append(url)
            return url

    def _shortcode(self, attr: "str | Mapping[Any, Any]", url: str = "") -> str:
        if php_empty(url) and isinstance(attr, Mapping) and not php_empty(_s(attr.get("src"))):
            url = _s(attr["src"])
        if php_empty(url):
            return ""
        rawattr = attr
        attr = _merge(wp_embed_defaults(self.content_width), attr)
        url = url.replace("&amp;", "&")
        html = self.get_embed_handler_html(rawattr, url)
        if html is not False:
            return str(html)
        cache = ""
        if self.post_id and self.oembed:  # the md5 key only when the post has a cache to look it up in
            cache = self.oembed.get(oembed_cache_key(url, attr), "")
        if self.usecache:
            if cache == _UNKNOWN:
                return self.maybe_make_link(url)
            if not php_empty(cache):
                return cache
        # wp_oembed_get(): no network here, so no HTML.
        link = self.maybe_make_link(url)
        self.misses.append(url)
        return link

    def maybe_make_link(self, url: str) -> str:
        """``WP_Embed::maybe_make_link()``: a link, or the bare URL while autoembedding."""
        if self.linkifunknown:
            return '<a href="' + esc_url(url) + '">' + esc_html(url) + "</a>"
        return url

    def run_shortcode(self, content: str) -> str:
        """``WP_Embed::run_shortcode()`` (``the_content`` priority 8): ``[embed]`` alone, HTML ignored."""
        def embed(atts: Any, inner: str, tag: str) -> str:
            self.count += 1
            return self.shortcode(atts, inner)

        return do_shortcode(content, {"embed": embed}, ignore_html=True)

    def autoembed(self, content: str) -> str:
        """``WP_Embed::autoembed()`` (``the_content`` priority 8): URLs alone on a line or in a ``<p>``."""
        content = wp_replace_in_html_tags(content, {"\n": "<!-- wp-line-break -->"})
        if _AUTOEMBED_PROBE.search(content):
            content = _AUTOEMBED_LINE.sub(self._autoembed_callback, content)
            content = _AUTOEMBED_P.sub(self._autoembed_callback, content)
        return content.replace("<!-- wp-line-break -->", "\n")

    def _autoembed_callback(self, m: "re.Match[str]") -> str:
        old = self.linkifunknown
        self.linkifunknown = False
        try:
            out = self.shortcode({}, m.group(2))
        finally:
            self.linkifunknown = old
        return m.group(1) + out + m.group(3)


def _s(v: Any) -> str:
    return v if isinstance(v, str) else "" if v is None else str(v)


#: ``wp_embed_register_handler()``'s built-in handlers, by priority (a stable sort: the order registered
#: within one): (priority, id, regex, the method called with the embedder).  Functions of the class, not
#: bound methods kept on each embedder, which would make every embedder a reference cycle.
_HANDLERS: "tuple[tuple[int, str, re.Pattern[str], Callable[..., str | bool]], ...]" = tuple(sorted((
    (10, "youtube_embed_url", _YOUTUBE_EMBED, WPEmbed._youtube),
    (9999, "audio", _AUDIO_URL, WPEmbed._audio),
    (9999, "video", _VIDEO_URL, WPEmbed._video),
), key=lambda h: h[0]))
