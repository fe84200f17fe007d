"""The theme and site settings WordPress's media code reads, which no export carries.

A WXR export has the posts and attachments, but not what the *theme* declares
(``add_theme_support('html5', [...])``, ``$content_width``, ``add_image_size()``)
nor the site's media options (the ``thumbnail``/``medium``/``large`` sizes) nor
who is looking.  :class:`Theme` holds them, frozen, with WordPress 6.1.9's
defaults for a modern theme:

* ``html5``: the features of ``current_theme_supports('html5', …)`` that media
  markup depends on: ``caption`` (``<figure>``/``<figcaption>`` instead of
  ``<div>``/``<p>`` and no extra 10 px), ``gallery`` (``<figure>`` items, no
  inline ``<style>``), ``style`` (no ``type="text/css"``), ``script``.  Default:
  all four (:data:`HTML5`); :data:`CLASSIC` (the empty set) is the markup of a
  theme that declares none;
* ``content_width``: the theme's ``$content_width`` (``None``: not set); caps the
  ``large``/``medium_large`` sizes and ``[video]`` widths;
* ``image_sizes``: every registered size in WordPress's order, the four of
  ``wp-admin/includes/schema.php`` first (:data:`DEFAULT_IMAGE_SIZES`), then
  the theme's ``add_image_size()`` ones;
* ``rtl``: ``is_rtl()`` (the classic gallery floats right);
* ``visitor``: render what a logged-out visitor sees (``True``) instead of what
  the post's author saw (``False``, the default): WordPress 6.1.9 shows
  visitors nothing for a ``[playlist]`` without ``ids``.

:meth:`Theme.oracle_site` writes a theme into the site description of the media
oracle (``../shared/oracle/media``), and :meth:`Theme.oracle_case` into a case,
so one theme can be swept through WordPress and through this port.

>>> t = Theme()
>>> t.supports("caption"), Theme.classic().supports("caption")
(True, False)
>>> t.size("large")
ImageSize(width=1024, height=1024, crop=False)
>>> Theme(content_width=640).with_(rtl=True).rtl
True
>>> Theme.classic().oracle_site({"posts": []})["theme_supports"]
{}
>>> Theme(html5=("gallery", "caption")).html5 == frozenset({"caption", "gallery"})
True
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

__all__ = ["ImageSize", "Theme", "HTML5", "CLASSIC", "HTML5_FEATURES", "DEFAULT_IMAGE_SIZES", "DEFAULT_SIZE_NAMES"]

#: The ``html5`` theme-support features WordPress's media code asks about.
HTML5_FEATURES: tuple[str, ...] = ("caption", "gallery", "style", "script")
#: A modern theme's html5 support (the default).
HTML5: frozenset[str] = frozenset(HTML5_FEATURES)
#: A theme without html5 support: ``<div class="wp-caption">``, ``<dl>`` galleries with a ``<style>``.
CLASSIC: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ImageSize:
    """One registered image size: ``width``/``height`` in px (0: no limit), ``crop`` to exactly that box."""

    width: int
    height: int
    crop: bool = False

    def __post_init__(self) -> None:
        for name in ("width", "height"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"image size {name} must be a whole number >= 0, not {value!r}")
        object.__setattr__(self, "crop", bool(self.crop))


#: The size names of ``get_intermediate_image_sizes()`` that come from options, in its order.
DEFAULT_SIZE_NAMES: tuple[str, ...] = ("thumbnail", "medium", "medium_large", "large")
#: WordPress's install defaults (``schema.php``): thumbnail 150×150 cropped, medium 300×300,
#: medium_large 768 wide, large 1024×1024.
DEFAULT_IMAGE_SIZES: Mapping[str, ImageSize] = MappingProxyType({
    "thumbnail": ImageSize(150, 150, True),
    "medium": ImageSize(300, 300),
    "medium_large": ImageSize(768, 0),
    "large": ImageSize(1024, 1024),
})


def _sizes(value: "Mapping[str, ImageSize | tuple[int, int] | tuple[int, int, bool]] | None") -> Mapping[str, ImageSize]:
    """The four default sizes (overridden by ``value``), then the others of ``value`` in its order."""
    given: dict[str, ImageSize] = {}
    for name, size in (value or {}).items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"image size names are non-empty strings, not {name!r}")
        given[name] = size if isinstance(size, ImageSize) else ImageSize(*size)
    out = {name: given.pop(name, DEFAULT_IMAGE_SIZES[name]) for name in DEFAULT_SIZE_NAMES}
    out.update(given)
    return MappingProxyType(out)


@dataclass(frozen=True)
class Theme:
    """The theme/site settings of WordPress's media shortcodes (see the module docs)."""

    html5: frozenset[str] = HTML5
    content_width: int | None = None
    image_sizes: Mapping[str, ImageSize] = field(default_factory=lambda: DEFAULT_IMAGE_SIZES)
    rtl: bool = False
    visitor: bool = False

    def __post_init__(self) -> None:
        html5 = self.html5
        if isinstance(html5, str):
            html5 = (html5,)
        features = frozenset(html5)
        unknown = sorted(features - set(HTML5_FEATURES))
        if unknown:
            raise ValueError(f"html5 features are {', '.join(HTML5_FEATURES)}; not {', '.join(unknown)}")
        object.__setattr__(self, "html5", features)
        width = self.content_width
        if width is not None and (isinstance(width, bool) or not isinstance(width, int) or width < 1):
            raise ValueError(f"content_width must be a whole number >= 1 or None, not {width!r}")
        object.__setattr__(self, "image_sizes", _sizes(self.image_sizes))
        object.__setattr__(self, "rtl", bool(self.rtl))
        object.__setattr__(self, "visitor", bool(self.visitor))

    @classmethod
    def classic(cls, **changes: Any) -> "Theme":
        """A theme without html5 support (the markup of WordPress themes before 3.9)."""
        return cls(html5=CLASSIC, **changes)

    def with_(self, **changes: Any) -> "Theme":
        """A copy with ``changes`` (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def supports(self, feature: str) -> bool:
        """``current_theme_supports('html5', feature)``."""
        return feature in self.html5

    def size(self, name: str) -> ImageSize | None:
        """The registered size ``name``, or ``None``."""
        return self.image_sizes.get(name)

    @property
    def size_names(self) -> tuple[str, ...]:
        """``get_intermediate_image_sizes()``: the registered names in WordPress's order."""
        return tuple(self.image_sizes)

    # -- the media oracle ----------------------------------------------------------
    def oracle_site(self, site: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of the oracle's site description ``site`` with this theme's settings.

        Sets ``theme_supports`` (``{"html5": [...]}``, or nothing for a classic
        theme), ``content_width``, ``rtl``, the four default sizes as the
        options WordPress reads them from (``thumbnail_size_w`` …,
        ``thumbnail_crop``) and the other sizes as ``image_sizes``
        (``add_image_size``).  Other options of ``site`` are kept.
        """
        out = dict(site)
        supports = {k: v for k, v in dict(site.get("theme_supports") or {}).items() if k != "html5"}
        if self.html5:
            supports["html5"] = [f for f in HTML5_FEATURES if f in self.html5]
        out["theme_supports"] = supports
        out["content_width"] = self.content_width
        out["rtl"] = self.rtl
        options = dict(site.get("options") or {})
        extra: dict[str, list[Any]] = {}
        for name, size in self.image_sizes.items():
            if name in DEFAULT_SIZE_NAMES:
                options[f"{name}_size_w"] = size.width
                options[f"{name}_size_h"] = size.height
                if name == "thumbnail":
                    options["thumbnail_crop"] = 1 if size.crop else 0
            else:
                extra[name] = [size.width, size.height, size.crop]
        out["options"] = options
        out["image_sizes"] = extra
        return out

    def oracle_case(self, case: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of an oracle case with the viewer this theme renders for (``user_can``)."""
        return {**case, "user_can": not self.visitor}

    @classmethod
    def sweep(cls, *, html5: Iterable[bool] = (True, False), content_width: Iterable[int | None] = (None, 640),
              rtl: Iterable[bool] = (False, True)) -> list["Theme"]:
        """Every combination of html5/classic × ``content_width`` × RTL (for differential tests).

        >>> len(Theme.sweep())
        8
        """
        return [cls(html5=HTML5 if h else CLASSIC, content_width=w, rtl=r)
                for h in html5 for w in content_width for r in rtl]
