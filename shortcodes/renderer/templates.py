"""Where templates come from: the user's folders, then each plugin's, then the package's partials.

A :class:`Renderer`'s Jinja environment loads ``<tag>.html`` (and
stylesheets, and partials such as ``_page.html``) from, in this order:

1. the folders given as ``templates=[...]`` (a theme);
2. the template folder of each plugin, in the order the plugins were used
   (the COVID-19 card's is ``templates/covid19/``);
3. the package's own ``templates/`` folder (the page wrapper and index partials).

So a theme replaces any bundled template or stylesheet by putting a file of
the same name in its folder.
"""
from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import Callable

import jinja2
from markupsafe import Markup, escape

from ..common.resources import bundled

__all__ = ["TEMPLATE_SUFFIX", "PAGE_TEMPLATE", "TraversableLoader", "bundled_templates", "style_element"]

#: The template of tag ``t`` is ``t`` + this.
TEMPLATE_SUFFIX = ".html"
#: The whole-page wrapper of :meth:`Renderer.render_page`.
PAGE_TEMPLATE = "_page.html"


def bundled_templates(folder: str = "") -> Traversable:
    """The package's ``templates/`` folder, or one of its sub-folders (a plugin's)."""
    root = bundled("templates")
    return root / folder if folder else root


class TraversableLoader(jinja2.BaseLoader):
    """Loads templates from a folder inside the package (works from a wheel, a zip or a checkout)."""

    def __init__(self, root: Traversable) -> None:
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        path = self.root
        for piece in pieces:
            path = path / piece
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        return path.read_text(encoding="utf-8"), str(path), lambda: True

    def list_templates(self) -> list[str]:
        found: list[str] = []
        stack = [(self.root, "")]
        while stack:
            folder, prefix = stack.pop()
            for item in folder.iterdir():
                if item.is_dir():
                    if not item.name.startswith("__"):
                        stack.append((item, f"{prefix}{item.name}/"))
                elif not item.name.endswith((".py", ".pyc")):
                    found.append(prefix + item.name)
        return sorted(found)


def style_element(css: str, name: str = "") -> Markup:
    """``<style>`` holding ``css``, which can never close the element early."""
    safe = css.replace("</", "<\\/")
    label = f' data-sc-style="{escape(name)}"' if name else ""
    return Markup(f"<style{label}>\n{safe}\n</style>")
