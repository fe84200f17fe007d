"""WordPress's own media shortcodes as one renderer plugin (``"media"``), on by default.

``[caption]``/``[wp_caption]``, ``[audio]`` and ``[video]`` are rendered exactly
as WordPress 6.1.9's ``img_caption_shortcode()``, ``wp_audio_shortcode()`` and
``wp_video_shortcode()`` render them for the site's attachments and theme
settings (checked against WordPress's PHP: ``tests/test_media_caption.py``,
``tests/test_media_players.py``).  An ``[audio URL]`` whose positional URL
WordPress ignores (it plays the post's first attached file) gets a
``positional-url-ignored`` warning when what plays is not that URL.
``[playlist]`` is a static list of ``<audio>``/``<video>`` players over
WordPress's own track data (its markup needs WordPress's JavaScript).

:func:`plugin` adds the template folder ``templates/media/`` (one template per
tag: ``caption.html``, ``wp_caption.html``, ``audio.html``, ``video.html``,
``gallery.html``, ``playlist.html``; a theme's template folder can
replace any of them) and the ``wp_media(node, ctx)`` template global, which
makes every decision through the ports of :mod:`shortcodes.wordpress.media`
and gives the template a view to write out.

Settings: ``site`` (the export's site model, :class:`shortcodes.exports.site.Site`,
or ``None``) and ``theme`` (a :class:`~shortcodes.wordpress.theme.Theme`;
default html5 markup, no ``$content_width``, WordPress's default image
sizes).  Give them when the plugin is set up (``Renderer(plugins=())
.use("media", theme=Theme.classic())``) or later with :func:`configure`
(a converter sets each export's site model this way).  The post being
displayed is the render call's ``post`` (its ``id``).

What WordPress itself would not render (a PHP fatal error, data the export
lacks) keeps the tag's source and adds a warning naming file:line:column.

>>> from shortcodes import Renderer
>>> from shortcodes.wordpress.theme import Theme
>>> Renderer().render('[caption id="attachment_7" width="300"]<img src="a.jpg" /> A cat[/caption]')
'<figure id="attachment_7" aria-describedby="caption-attachment-7" style="width: 300px" class="wp-caption alignnone"><img src="a.jpg" /><figcaption id="caption-attachment-7" class="wp-caption-text">A cat</figcaption></figure>'
>>> r = Renderer(plugins=()).use("media", theme=Theme.classic())
>>> r.render('[caption width="300"]<img src="a.jpg" /> A cat[/caption]')
'<div style="width: 310px" class="wp-caption alignnone"><img src="a.jpg" /><p class="wp-caption-text">A cat</p></div>'
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

from markupsafe import Markup

from ..php.numbers import intval
from ..renderer.templates import bundled_templates
from ..wordpress.images import wp_get_attachment_url
from ..wordpress.media import (
    CaptionView,
    GalleryView,
    Kept,
    MediaRequest,
    PlayerView,
    PlaylistView,
    audio_view,
    caption_view,
    gallery_view,
    playlist_view,
    video_view,
)
from ..wordpress.theme import Theme
from .variants import caption_variants

if TYPE_CHECKING:  # pragma: no cover
    from ..core.nodes import Shortcode
    from ..renderer.context import RenderContext
    from ..renderer.engine import Renderer

__all__ = ["plugin", "configure", "settings", "MediaSettings", "TAGS", "TEMPLATE_FOLDER"]

#: The plugin's folder in the bundled ``templates/``.
TEMPLATE_FOLDER = "media"

#: tag -> the port that decides its output: ``fn(atts, content, request) -> view | str | Kept``.
VIEWS: Mapping[str, Callable[..., Any]] = {
    "caption": caption_view,
    "wp_caption": caption_view,
    "audio": audio_view,
    "video": video_view,
    "gallery": gallery_view,
    "playlist": playlist_view,
}
#: The tags this plugin renders.
TAGS: tuple[str, ...] = tuple(VIEWS)


class MediaSettings:
    """The site and theme a renderer's media tags are rendered for (see :func:`configure`)."""

    def __init__(self, site: Any = None, theme: Theme | None = None) -> None:
        self.site = site
        self.theme = theme if theme is not None else Theme()

    def request(self, ctx: "RenderContext") -> MediaRequest:
        """The page request of ``ctx``'s render call: its post, and counters shared by the call's tags."""
        post = ctx.post
        post_id = intval(post.get("id")) if post else 0
        renderer = ctx.renderer
        record = ctx.post_record

        def counter(tag: str) -> int:
            return intval(ctx.unique_id(f"wp-media-{tag}").rsplit("-", 1)[1])

        def do_shortcode(text: str) -> str:
            if "[" not in text:
                return text
            return renderer.render(text, post=record if record is not None else post)

        def diagnose(kind: str, message: str) -> None:
            ctx.diagnose(kind, f"[{ctx.node.name if ctx.node else '?'}] {message}")

        return MediaRequest(self.site, self.theme, post_id, counter=counter, do_shortcode=do_shortcode,
                            diagnose=diagnose)

    def decide(self, node: "Shortcode", ctx: "RenderContext") -> Any:
        """The port's decision for ``node``: its view (fields HTML already), or the text to print (``Markup``)."""
        port = VIEWS[node.name]
        request = self.request(ctx)
        atts = node.php_atts()
        out = port(atts, node.content or "", request)
        if isinstance(out, PlayerView) and out.ignored and out.played is not None:
            played = wp_get_attachment_url(request.site, out.played.id)
            if played != out.ignored:
                ctx.diagnose("positional-url-ignored",
                             f"[{node.name}] plays the post's first attached {node.name} file {played} "
                             f"(attachment {out.played.id}), not {out.ignored!r}: WordPress ignores a positional URL")
        elif out == "" and isinstance(atts, dict) and any(isinstance(k, int) for k in atts):
            ctx.diagnose("positional-url-ignored",
                         f"[{node.name}] prints nothing: WordPress ignores its positional value and the post has no "
                         f"attached {node.name} file (write src=\"…\")")
        if isinstance(out, Kept):
            ctx.diagnose(out.kind, f"[{node.name}] not rendered: {out.message}")
            return Markup(node.to_source())
        if isinstance(out, str):
            return Markup(out)
        return out

    def view(self, node: "Shortcode", ctx: "RenderContext") -> Any:
        """What the template of ``node``'s tag writes: a view of escaped fields, or the text to print."""
        out = self.decide(node, ctx)
        if isinstance(out, (str, PlaylistView)):  # text, or data escaped by the template
            return out
        return _Escaped(out)


# -- fast paths: the bundled templates' bytes without Jinja (used while the bundled template is in use;
# tests/test_media_fastpath.py renders each through its template too and compares)
def _head(ctx: "RenderContext") -> str:
    """The templates' ``{% if ctx.page %}{{ ctx.stylesheet("media.css") }}{% endif %}``."""
    return str(ctx.stylesheet("media.css")) if ctx.page else ""


def _fast(media: MediaSettings, kind: type, body: Callable[[Any], str]
          ) -> Callable[["Shortcode", "RenderContext"], str]:
    """A tag's fast path: the port's view (``kind``) written by ``body`` as its bundled template writes it
    (``templates/media/<tag>.html``), after the page's stylesheet head; anything else the port decided (the
    tag's source kept, a notice) as it is."""
    def render(node: "Shortcode", ctx: "RenderContext") -> str:
        view = media.decide(node, ctx)
        head = _head(ctx)
        if not isinstance(view, kind):
            return head + str(view)
        return head + body(view)
    return render


def _attributes(view: PlayerView) -> str:
    return "".join(f'{k}="{v}" ' for k, v in view.attributes)


def _sources(view: PlayerView) -> str:
    return "".join(f'<source type="{t}" src="{u}" />' for t, u in view.sources)


def _audio_html(view: PlayerView) -> str:  # templates/media/audio.html
    return (f'{view.ie_comment}<audio {_attributes(view)}controls="controls">{_sources(view)}'
            f'<a href="{view.fallback}">{view.fallback}</a></audio>')


def _video_html(view: PlayerView) -> str:  # templates/media/video.html
    rule = f"width: {view.width}px;" if view.width is not None else ""
    return (f'<div style="{rule}" class="wp-video">{view.ie_comment}<video {_attributes(view)}'
            f'controls="controls">{_sources(view)}{view.inner}<a href="{view.fallback}">{view.fallback}</a>'
            f'</video></div>')


class _Escaped:
    """A port's view as a template sees it: its strings are HTML already (escaped as WordPress escapes)."""

    def __init__(self, view: Any) -> None:
        self._view = view

    def __getattr__(self, name: str) -> Any:  # once per field: the value is kept on the instance
        value = _markup(getattr(self._view, name))
        setattr(self, name, value)
        return value


def _markup(value: Any) -> Any:
    if isinstance(value, str):
        return Markup(value)
    if isinstance(value, tuple):
        return tuple(_markup(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return _Escaped(value)
    return value


def settings(renderer: "Renderer") -> MediaSettings:
    """The :class:`MediaSettings` of a renderer set up with this plugin."""
    found = renderer.env.globals.get("wp_media_settings")
    if not isinstance(found, MediaSettings):
        raise LookupError("this renderer was not set up with the media plugin")
    return found


def configure(renderer: "Renderer", *, site: Any = None, theme: Theme | None = None) -> None:
    """Change the site and/or theme of a renderer set up with this plugin (``None``: unchanged)."""
    current = settings(renderer)
    if site is not None:
        current.site = site
    if theme is not None:
        current.theme = theme


def plugin(renderer: "Renderer", *, site: Any = None, theme: Theme | None = None) -> None:
    """Set ``renderer`` up for WordPress's media shortcodes (see the module docs)."""
    media = MediaSettings(site, theme)
    fast = {"caption": _fast(media, CaptionView, CaptionView.html), "audio": _fast(media, PlayerView, _audio_html),
            "video": _fast(media, PlayerView, _video_html), "gallery": _fast(media, GalleryView, GalleryView.html)}
    renderer.add_templates(bundled_templates(TEMPLATE_FOLDER), fast=fast)
    renderer.env.globals["wp_media_settings"] = media
    renderer.env.globals["wp_media"] = media.view
    for tag in ("caption", "wp_caption"):
        renderer.add_variants(tag, caption_variants)
