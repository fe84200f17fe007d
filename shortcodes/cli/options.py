"""Options several sub-commands share, declared once, with their choices taken from the registries.

The choices (``--to``, ``--mode``, ``--unknown``) are read from the tables
they belong to (:data:`~shortcodes.jobs.outputs.OUTPUTS`,
:data:`~shortcodes.jobs.modes.MODES`, :data:`~shortcodes.renderer.policies.POLICIES`)
the first time ``--help`` or a value needs them, so building the parser stays
cheap and a registered extension shows up on the command line by itself.
"""
from __future__ import annotations

import argparse
import importlib
from typing import Any, Iterator, Sequence

from ..common.errors import InputError, NoData
from ..common.status import FAIL_ON

__all__ = ["RegistryChoices", "split_list", "add_templates", "add_plugins", "add_locale", "add_stats",
           "add_unknown", "add_fail_on", "plugins_from", "fail_on_from", "open_stats", "cli_text", "add_wordpress",
           "theme_from", "parse_image_size"]


class RegistryChoices:
    """The names of a registry (``"package.module:NAME"``), imported when first asked for."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._names: "tuple[str, ...] | None" = None

    def _load(self) -> tuple[str, ...]:
        if self._names is None:
            module, _, name = self.spec.partition(":")
            self._names = tuple(getattr(importlib.import_module(module), name).names())
        return self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __contains__(self, value: object) -> bool:
        return value in self._load()

    def __len__(self) -> int:
        return len(self._load())


def cli_text(message: str) -> str:
    """A library message in the command line's words (``recover=True`` is ``--recover`` here).

    >>> cli_text("x.xml:3:1: malformed XML (recover=True reads what it can)")
    'x.xml:3:1: malformed XML (--recover reads what it can)'
    """
    return message.replace("recover=True", "--recover")


def split_list(values: "str | Sequence[str] | None") -> tuple[str, ...]:
    """Options given as comma lists and/or repeated: ``["a,b", "c"]`` -> ``("a", "b", "c")``.

    Blank items are dropped, duplicates keep their first place.

    >>> split_list(["gallery, caption", "gallery", ""])
    ('gallery', 'caption')
    """
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values or ():
        out.extend(x.strip() for x in value.split(",") if x.strip())
    return tuple(dict.fromkeys(out))


def add_templates(p: argparse.ArgumentParser, help: str = "a folder of <tag>.html templates searched before "
                  "the bundled ones (repeatable)") -> None:
    p.add_argument("--templates", metavar="DIR", action="append", default=[], help=help)


def add_plugins(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plugin", metavar="NAME|MODULE:FUNCTION", action="append", dest="plugins", default=[],
                   help="also set the renderer up with this plugin: a registered name (entry point group "
                        "wp_shortcodes.plugins) or package.module:function taking the renderer (repeatable)")
    p.add_argument("--no-default-plugins", action="store_true",
                   help="leave out the bundled plugins (the COVID-19 card); only --plugin ones are used")


def plugins_from(args: argparse.Namespace) -> "tuple[str, ...] | None":
    """The ``plugins=`` of a Renderer for ``--plugin``/``--no-default-plugins`` (``None``: the defaults only)."""
    extra = split_list(getattr(args, "plugins", None))
    if getattr(args, "no_default_plugins", False):
        return extra
    if not extra:
        return None
    from ..renderer.plugins import DEFAULT_PLUGINS  # the renderer loads Jinja: only when --plugin is given

    return tuple(dict.fromkeys((*DEFAULT_PLUGINS, *extra)))


def add_locale(p: argparse.ArgumentParser) -> None:
    p.add_argument("--locale", metavar="LOCALE",
                   help="locale such as ar-EG: number digits, default labels, page language")


def add_stats(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stats", metavar="FILE|URL",
                   help="figures from a disease.sh JSON file or URL, or a CSV file (default: the bundled data)")


def open_stats(spec: "str | None") -> Any:
    """The figures provider for ``--stats`` (``None``: the default), its data read once now.

    An unusable source is one :class:`InputError` naming it (exit status 2),
    before any card is rendered.
    """
    if not spec:
        return None
    from ..cards.figures import provider_from_spec  # the figures (and their data) only with --stats

    try:
        return provider_from_spec(spec, check=True)
    except (ValueError, OSError, NoData) as exc:
        raise InputError(f"--stats {spec}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc)


def add_fail_on(p: argparse.ArgumentParser, strict: bool = True) -> None:
    """``--fail-on error|warning``: whether warnings make the run exit 1 (``--strict`` implies ``warning``)."""
    also = " (--strict implies warning)" if strict else ""
    p.add_argument("--fail-on", choices=FAIL_ON, default="error",
                   help="exit 1 only for errors (default: a post or tag not converted, an input not read), "
                        f"or also for warnings{also}; warnings are always printed and counted")


def fail_on_from(args: argparse.Namespace) -> str:
    """``"warning"`` with ``--fail-on warning`` or ``--strict``, else ``"error"``."""
    return "warning" if getattr(args, "strict", False) or getattr(args, "fail_on", "error") == "warning" else "error"


def add_unknown(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--unknown", choices=RegistryChoices("shortcodes.renderer.policies:POLICIES"),
                   default="keep", help=help)


def renderer_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of a Renderer from the shared options present in ``args``."""
    out: dict[str, Any] = {"templates": tuple(getattr(args, "templates", ()) or ())}
    if getattr(args, "locale", None) is not None:
        out["locale"] = args.locale
    out["plugins"] = plugins_from(args)
    return out


def add_wordpress(p: argparse.ArgumentParser) -> None:
    """The WordPress options: ``--the-content``, the theme (``--html5``/``--classic``, ``--content-width``,
    ``--image-size``), ``--rtl``/``--no-rtl`` and ``--visitor``."""
    g = p.add_argument_group("WordPress (the site the posts are shown on)")
    g.add_argument("--the-content", "--wordpress-filters", dest="the_content", action="store_true",
                   help="run WordPress's the_content filters around the shortcodes, in its order: [embed] and "
                        "URLs alone on a line (the export's cached oEmbed HTML), wptexturize, wpautop (not for "
                        "block posts), shortcode_unautop, the img/iframe attributes, the shortcodes, smilies")
    markup = g.add_mutually_exclusive_group()
    markup.add_argument("--html5", dest="html5", action="store_true", default=True,
                        help="the theme supports html5 captions and galleries: <figure>/<figcaption> (default)")
    markup.add_argument("--classic", dest="html5", action="store_false",
                        help="a theme without html5 support: <div class=\"wp-caption\">, <dl> galleries with a <style>")
    g.add_argument("--content-width", type=int, metavar="PX",
                   help="the theme's $content_width: caps the large image size, [video] and embed widths")
    g.add_argument("--image-size", action="append", default=[], metavar="NAME=WxH[,crop]",
                   help="an image size (thumbnail, medium, medium_large, large, or a theme's own), e.g. "
                        "large=1200x0 or square=400x400,crop (repeatable)")
    rtl = g.add_mutually_exclusive_group()
    rtl.add_argument("--rtl", dest="rtl", action="store_true", default=None,
                     help="the site is right to left (default: from the export's <language>; for render, --locale)")
    rtl.add_argument("--no-rtl", dest="rtl", action="store_false", help="the site is left to right")
    g.add_argument("--visitor", action="store_true",
                   help="render what a logged-out visitor sees (password forms, no [playlist] without ids) "
                        "instead of what the post's author saw (the default)")


def parse_image_size(spec: str) -> tuple[str, tuple[int, int, bool]]:
    """``--image-size NAME=WxH[,crop]``.

    >>> parse_image_size("large=1200x0"), parse_image_size("square=400x400,crop")
    (('large', (1200, 0, False)), ('square', (400, 400, True)))
    """
    name, eq, rest = spec.partition("=")
    size, _, crop = rest.partition(",")
    w, x, h = size.partition("x")
    if not eq or not name.strip() or not x or not w.isdigit() or not h.isdigit() or crop not in ("", "crop"):
        raise InputError(f"--image-size {spec}: expected NAME=WIDTHxHEIGHT or NAME=WIDTHxHEIGHT,crop "
                         "(e.g. large=1200x0)")
    return name.strip(), (int(w), int(h), crop == "crop")


def theme_from(args: argparse.Namespace) -> Any:
    """The :class:`~shortcodes.wordpress.theme.Theme` of the WordPress options (``rtl`` False when not given:
    a converter takes it from each export's language)."""
    from ..wordpress.theme import (  # here: the parser of every sub-command is built at start-up
        CLASSIC,
        HTML5,
        ImageSize,
        Theme,
    )

    sizes = {name: ImageSize(*size) for name, size in map(parse_image_size, getattr(args, "image_size", ()) or ())}
    try:
        return Theme(html5=HTML5 if getattr(args, "html5", True) else CLASSIC,
                     content_width=getattr(args, "content_width", None), image_sizes=sizes,
                     rtl=bool(getattr(args, "rtl", None)), visitor=bool(getattr(args, "visitor", False)))
    except ValueError as exc:
        raise InputError(str(exc).replace("content_width", "--content-width")) from None
