"""``[embed]`` as a renderer plugin (``"embed"``, on by default): WordPress's ``WP_Embed::shortcode()``.

``[embed]URL[/embed]`` (or ``[embed src=URL]``) becomes what WordPress prints
offline (:class:`shortcodes.wordpress.embed.WPEmbed`): for an audio or video
URL the ``[audio]``/``[video]`` player (rendered by the same renderer, as
WordPress's later ``do_shortcode()`` renders it), else the oEmbed HTML the
export cached for the post being rendered at the theme's content width, else
a link, with an ``embed-not-cached`` note.  The site model and theme are the
media plugin's (:func:`shortcodes.media.configure`); without it, an empty
site and the default theme.  With ``--the-content`` the ``[embed]`` pass runs
before the renderer, as in WordPress, and this handler is not reached.

>>> from shortcodes import Renderer
>>> Renderer().render("[embed]https://example.org/page[/embed]")
'<a href="https://example.org/page">https://example.org/page</a>'
"""
from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Iterator

from markupsafe import Markup

from ..exports.site import PostInfo, Site
from ..php.numbers import intval
from ..wordpress.embed import WPEmbed
from ..wordpress.theme import Theme
from . import settings

if TYPE_CHECKING:  # pragma: no cover
    from ..core.nodes import Shortcode
    from ..renderer.context import RenderContext
    from ..renderer.engine import Renderer

__all__ = ["plugin", "render_embed", "after_embed_pass"]

_PASSED = "wp_embed_pass_done"


@contextlib.contextmanager
def after_embed_pass(renderer: "Renderer") -> Iterator[None]:
    """While ``the_content``'s own ``[embed]`` pass has run: an ``[embed]`` left (an escaped ``[[embed]]``
    that pass unescaped) renders as ``''``, as ``add_shortcode('embed', '__return_false')`` makes it."""
    previous = renderer.env.globals.get(_PASSED, False)
    renderer.env.globals[_PASSED] = True
    try:
        yield
    finally:
        renderer.env.globals[_PASSED] = previous


def _site_and_theme(renderer: "Renderer") -> tuple[Any, Theme]:
    try:
        media = settings(renderer)
    except LookupError:
        return Site.empty(), Theme()
    return media.site if media.site is not None else Site.empty(), media.theme


def render_embed(node: "Shortcode", ctx: "RenderContext") -> Markup:
    """The ``[embed]`` handler (see the module documentation)."""
    if ctx.renderer.env.globals.get(_PASSED):
        return Markup("")
    site, theme = _site_and_theme(ctx.renderer)
    post = ctx.post
    post_id = intval(post.get("id")) if post else 0
    info = site.posts.get(post_id) if post_id else None
    record = ctx.post_record
    if info is None and record is not None:
        info = PostInfo.from_post(record)
    embed = WPEmbed.for_post(info, content_width=theme.content_width)
    out = embed.shortcode(node.php_atts(), node.content or "")
    if embed.not_ported:
        ctx.diagnose("not-ported", f"[embed] not rendered: WordPress's esc_url() of {embed.not_ported[0][:80]!r} "
                     "is not ported")
        return Markup(node.to_source())
    for url in embed.misses:
        ctx.diagnose("embed-not-cached", f"no cached oEmbed HTML for {url} at content width "
                     f"{theme.content_width or 500} in the export: written as a link, as WordPress does offline",
                     severity="info")
    if "[" in out:  # a built-in handler's [audio]/[video]: WordPress's do_shortcode() renders it next
        out = ctx.renderer.render(out, post=record if record is not None else post)
    return Markup(out)


def plugin(renderer: "Renderer") -> None:
    """Set ``renderer`` up to render ``[embed]``."""
    renderer.register("embed", render_embed)
