"""WordPress 6.1.9's ``the_content`` filter chain, in ``default-filters.php``'s order.

=========  ====================================================================
priority   filter
=========  ====================================================================
8          ``WP_Embed::run_shortcode`` (``[embed]`` alone), ``WP_Embed::autoembed``
           (:mod:`.embed`)
9          ``do_blocks`` (:mod:`.blocks`): a post with blocks (``<!-- wp:``) has
           its blocks rendered (``<!-- wp:shortcode -->`` through ``wpautop``)
           and is **not** autop'd afterwards, as ``do_blocks`` removes
           ``wpautop`` for it
10         ``wptexturize`` (the registered shortcodes' tags left alone),
           ``wpautop``, ``shortcode_unautop``, ``wp_filter_content_tags``
           (``decoding``/``loading`` on images, ``loading`` on iframes)
11         ``capital_P_dangit``, then ``do_shortcode`` (the caller's: the renderer)
20         ``convert_smilies``
=========  ====================================================================

:func:`the_content` runs them for one post; ``do_shortcode`` is the caller's
(``shortcodes render``/``convert`` pass the renderer, so every tag it knows
runs there, the media tags among them) and ``tags`` the names it registers.
What a logged-out visitor sees of a password-protected post (the password
form, itself through the chain) is :func:`get_the_password_form`.

>>> the_content('Hello "world" :)\\n\\nBye', tags=(), do_shortcode=lambda t: t)
'<p>Hello &#8220;world&#8221; \\U0001f642</p>\\n<p>Bye</p>\\n'
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..php.numbers import absint
from ..php.strings import preg_quote
from .autop import shortcode_unautop, wpautop
from .blocks import do_blocks, has_blocks
from .embed import WPEmbed
from .escaping import esc_attr
from .formatting import wptexturize
from .images import wp_get_attachment_metadata, wp_image_add_srcset_and_sizes, wp_img_tag_add_width_and_height_attr
from .urls import esc_url, set_url_scheme

__all__ = ["the_content", "ContentPage", "capital_P_dangit", "convert_smilies", "wp_filter_content_tags",
           "get_the_password_form", "WPINC_SMILIES"]

A = re.ASCII


@dataclass
class ContentPage:
    """What ``the_content`` needs of the page request (one per page: the content media counter is WordPress's
    ``static $content_media_count``, shared by the posts of one page).

    ``site``: the export's :class:`~shortcodes.exports.site.Site` (or None),
    ``post``: the displayed post's :class:`~shortcodes.exports.site.PostInfo`
    (or None), ``content_width``: the theme's ``$content_width``, ``ssl``:
    ``is_ssl()`` (default: the site's home is ``https``), ``in_the_loop``:
    WordPress's main loop (the first content image then gets no ``loading``).
    """

    site: Any = None
    post: Any = None
    content_width: "int | None" = None
    ssl: "bool | None" = None
    in_the_loop: bool = True
    content_media_count: int = 0
    #: what the chain did: ``[embed]`` tags run, URLs that fell back to a link (no cached HTML)
    embeds: int = 0
    misses: list[str] = field(default_factory=list)
    not_ported: list[str] = field(default_factory=list)

    @property
    def is_ssl(self) -> bool:
        if self.ssl is not None:
            return self.ssl
        home = getattr(self.site, "home", "") or ""
        return home.startswith("https:")

    @property
    def siteurl(self) -> str:
        return getattr(self.site, "url", "") or getattr(self.site, "home", "") or ""


# -- capital_P_dangit ---------------------------------------------------------------------

_DANGIT = ((" Wordpress", " WordPress"), ("&#8216;Wordpress", "&#8216;WordPress"),
           ("&#8220;Wordpress", "&#8220;WordPress"), (">Wordpress", ">WordPress"), ("(Wordpress", "(WordPress"))


def capital_P_dangit(text: str) -> str:  # noqa: N802 - WordPress's name
    """``capital_P_dangit()`` as ``the_content`` runs it.

    >>> capital_P_dangit("I love Wordpress (Wordpress!)")
    'I love WordPress (WordPress!)'
    """
    if "Wordpress" not in text:
        return text
    for a, b in _DANGIT:  # str_replace() with arrays: one pair after the other
        text = text.replace(a, b)
    return text


# -- convert_smilies ----------------------------------------------------------------------

#: ``$wpsmiliestrans`` of ``smilies_init()``: emoji for all but ``:mrgreen:`` (an image).
SMILIES: Mapping[str, str] = {
    ":mrgreen:": "mrgreen.png", ":neutral:": "\U0001f610", ":twisted:": "\U0001f608", ":arrow:": "\u27a1",
    ":shock:": "\U0001f62f", ":smile:": "\U0001f642", ":???:": "\U0001f615", ":cool:": "\U0001f60e",
    ":evil:": "\U0001f47f", ":grin:": "\U0001f600", ":idea:": "\U0001f4a1", ":oops:": "\U0001f633",
    ":razz:": "\U0001f61b", ":roll:": "\U0001f644", ":wink:": "\U0001f609", ":cry:": "\U0001f625",
    ":eek:": "\U0001f62e", ":lol:": "\U0001f606", ":mad:": "\U0001f621", ":sad:": "\U0001f641",
    "8-)": "\U0001f60e", "8-O": "\U0001f62f", ":-(": "\U0001f641", ":-)": "\U0001f642", ":-?": "\U0001f615",
    ":-D": "\U0001f600", ":-P": "\U0001f61b", ":-o": "\U0001f62e", ":-x": "\U0001f621", ":-|": "\U0001f610",
    ";-)": "\U0001f609", "8O": "\U0001f62f", ":(": "\U0001f641", ":)": "\U0001f642", ":?": "\U0001f615",
    ":D": "\U0001f600", ":P": "\U0001f61b", ":o": "\U0001f62e", ":x": "\U0001f621", ":|": "\U0001f610",
    ";)": "\U0001f609", ":!:": "\u2757", ":?:": "\u2753",
}
#: Where ``includes_url('images/smilies/')`` points below the site URL.
WPINC_SMILIES = "/wp-includes/images/smilies/"
_SPACE_BEFORE = r"(?:(?<=[\r\n\t \xa0])|(?<=&nbsp;)|^)"
_SPACE_AFTER = r"(?=[\r\n\t \xa0]|&nbsp;|$)"


def _smilies_search() -> "re.Pattern[str]":
    """``smilies_init()``'s ``$wp_smiliessearch``: keys ``krsort``ed, one alternative per first character."""
    keys = sorted(SMILIES, key=lambda k: k.encode(), reverse=True)
    groups: list[tuple[str, list[str]]] = []
    for k in keys:
        if not groups or groups[-1][0] != k[0]:
            groups.append((k[0], []))
        groups[-1][1].append(k[1:])
    alts = [_SPACE_BEFORE + preg_quote(first) + "(?:" + "|".join(preg_quote(r) for r in rest) + ")" + _SPACE_AFTER
            for first, rest in groups]
    return re.compile("|".join(alts), re.M | A)


_SMILIES = _smilies_search()
_TAG_SPLIT = re.compile(r"(<.*?>)")
_IGNORE_START = re.compile(r"^<(code|pre|style|script|textarea)[^>]*>")
_IMAGE_EXTS = ("jpg", "jpeg", "jpe", "gif", "png", "webp")


def convert_smilies(text: str, page: "ContentPage | None" = None) -> str:
    """``convert_smilies()`` (``use_smilies`` on, WordPress's default): ``:)`` → 🙂 outside tags and
    ``code pre style script textarea``; ``:mrgreen:`` becomes its ``<img>``.

    >>> convert_smilies("ok :) <code>:)</code> x:)")
    'ok \\U0001f642 <code>:)</code> x:)'
    """
    page = page or ContentPage()
    parts = _TAG_SPLIT.split(text)
    ignore = ""
    out = []
    for content in parts:
        if not ignore:
            m = _IGNORE_START.match(content)
            if m:
                ignore = m.group(1)
        if not ignore and content and content[0] != "<":
            content = _SMILIES.sub(lambda m: _translate_smiley(m, page), content)
        if ignore and content == "</" + ignore + ">":
            ignore = ""
        out.append(content)
    return "".join(out)


def _translate_smiley(m: "re.Match[str]", page: ContentPage) -> str:
    smiley = m.group(0).strip(" \t\n\r\0\x0b")
    img = SMILIES[smiley]
    ext = re.search(r"\.([^.]+)$", img)
    if ext is None or ext.group(1).lower() not in _IMAGE_EXTS:
        return img
    base = set_url_scheme(page.siteurl, "https" if page.is_ssl else "http") if page.siteurl else ""
    src = base + WPINC_SMILIES + img
    return '<img src="%s" alt="%s" class="wp-smiley" style="height: 1em; max-height: 1em;" />' % (
        esc_url(src), esc_attr(smiley))


# -- wp_filter_content_tags ---------------------------------------------------------------

_CONTENT_TAG = re.compile(r"<(img|iframe)\s[^>]+>", A)
_WP_IMAGE = re.compile(r"wp-image-([0-9]+)", A | re.I)


def wp_filter_content_tags(content: str, page: "ContentPage | None" = None, context: str = "the_content") -> str:
    """``wp_filter_content_tags()``: ``decoding="async"`` on images, ``loading="lazy"`` on images and
    iframes with a width and height (not on the page's first content image in the main loop), and, for
    ``<img class="wp-image-N">`` of an attachment with metadata, ``width``/``height`` and ``srcset``/``sizes``.

    >>> wp_filter_content_tags('<img src="a.jpg" width="10" height="5" /><img src="b.jpg" width="10" height="5" />')
    '<img decoding="async" src="a.jpg" width="10" height="5" /><img decoding="async" loading="lazy" src="b.jpg" width="10" height="5" />'
    """
    page = page or ContentPage()
    matches = list(_CONTENT_TAG.finditer(content))
    if not matches:
        return content
    images: dict[str, int] = {}  # tag -> attachment id (wp-image-N)
    iframes: dict[str, int] = {}
    for m in matches:
        tag, name = m.group(0), m.group(1)
        if name == "img":
            cid = _WP_IMAGE.search(tag)
            images[tag] = absint(cid.group(1)) if cid else 0
        else:
            iframes[tag] = 0
    for m in matches:
        tag = m.group(0)
        if tag in images:
            filtered = tag
            attachment_id = images[tag]
            if attachment_id > 0 and " width=" not in filtered and " height=" not in filtered:
                filtered = wp_img_tag_add_width_and_height_attr(page.site, filtered, attachment_id)
            if attachment_id > 0 and " srcset=" not in filtered:
                filtered = wp_image_add_srcset_and_sizes(
                    page.site, filtered, wp_get_attachment_metadata(page.site, attachment_id))
            if " loading=" not in filtered:
                filtered = _img_add_loading(filtered, page, context)
            if " decoding=" not in filtered:
                filtered = _img_add_decoding(filtered)
            if filtered != tag:
                content = content.replace(tag, filtered)
            del images[tag]
        if tag in iframes:
            filtered = tag
            if " loading=" not in filtered:
                filtered = _iframe_add_loading(filtered, page, context)
            if filtered != tag:
                content = content.replace(tag, filtered)
            del iframes[tag]
    return content


def _loading_default(page: ContentPage, context: str) -> "str | bool":
    """``wp_get_loading_attr_default()``: the first content media of the main loop gets none."""
    if context not in ("the_content", "the_post_thumbnail") or not page.in_the_loop:
        return "lazy"
    page.content_media_count += 1
    if page.content_media_count <= 1:  # wp_omit_loading_attr_threshold()
        return False
    return "lazy"


def _img_add_loading(image: str, page: ContentPage, context: str) -> str:
    value = _loading_default(page, context)
    if ' src="' not in image or ' width="' not in image or ' height="' not in image:
        return image
    if value:
        return image.replace("<img", '<img loading="' + esc_attr(str(value)) + '"')
    return image


def _img_add_decoding(image: str) -> str:
    if ' src="' not in image:
        return image
    return image.replace("<img ", '<img decoding="async" ')


def _iframe_add_loading(iframe: str, page: ContentPage, context: str) -> str:
    if ' data-secret="' in iframe:
        return iframe
    value = _loading_default(page, context)
    if ' src="' not in iframe or ' width="' not in iframe or ' height="' not in iframe:
        return iframe
    if value:
        return iframe.replace("<iframe", '<iframe loading="' + esc_attr(str(value)) + '"')
    return iframe


# -- the password form --------------------------------------------------------------------

def get_the_password_form(post_id: int, page: "ContentPage | None" = None) -> str:
    """``get_the_password_form()``: what ``get_the_content()`` gives a visitor without the post's password.

    >>> get_the_password_form(7).splitlines()[0]
    '<form action="http://example.org/wp-login.php?action=postpass" class="post-password-form" method="post">'
    """
    page = page or ContentPage()
    base = page.siteurl or "http://example.org"
    action = set_url_scheme(base.rstrip("/") + "/wp-login.php?action=postpass", "https" if page.is_ssl else "http")
    label = f"pwbox-{post_id}"
    return ('<form action="' + esc_url(action) + '" class="post-password-form" method="post">\n'
            "\t<p>This content is password protected. To view it please enter your password below:</p>\n"
            f'\t<p><label for="{label}">Password: <input name="post_password" id="{label}" type="password" '
            'size="20" /></label> <input type="submit" name="Submit" value="Enter" /></p></form>\n\t')


# -- the chain ----------------------------------------------------------------------------

def the_content(text: str, *, tags: Iterable[str], do_shortcode: Callable[[str], str],
                page: "ContentPage | None" = None) -> str:
    """``apply_filters('the_content', $text)`` for the post of ``page`` (see the module documentation).

    ``tags``: the shortcodes registered when ``do_shortcode`` runs (they are
    not texturized, and ``shortcode_unautop`` unwraps them); ``embed`` is always
    registered, as ``WP_Embed`` registers it, and ``do_shortcode`` must print an
    ``[embed]`` still there (an escaped ``[[embed]]`` the ``[embed]`` pass
    unescaped) as nothing, as WordPress's ``__return_false`` placeholder does
    (:func:`shortcodes.jobs.modes.render_the_content` sees to it).
    """
    page = page or ContentPage()
    registered = tuple(dict.fromkeys((*tags, "embed")))
    embed = WPEmbed.for_post(page.post, content_width=page.content_width)
    text = embed.run_shortcode(text)
    text = embed.autoembed(text)
    page.misses.extend(embed.misses)
    page.not_ported.extend(embed.not_ported)
    page.embeds += embed.count
    blocks = has_blocks(text)
    if blocks:
        text = do_blocks(text)
    text = wptexturize(text, registered)
    if not blocks:
        text = wpautop(text)
    text = shortcode_unautop(text, registered)
    text = wp_filter_content_tags(text, page)
    text = capital_P_dangit(text)
    text = do_shortcode(text)
    return convert_smilies(text, page)
