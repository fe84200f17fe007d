"""Renderer plugins: a function that sets a :class:`Renderer` up (handlers, templates, globals).

As in markdown-it-py, a plugin is ``plugin(renderer, **options)``; it calls
:meth:`Renderer.register` / :meth:`Renderer.handler` for Python handlers,
:meth:`Renderer.add_templates` for a folder of templates, and may set Jinja
globals on ``renderer.env``.  ``Renderer(plugins=[...])`` and
:meth:`Renderer.use` take a plugin, its name in :data:`PLUGINS`, or a
``"package.module:function"`` string; the command line's ``--plugin`` takes
the same.  Installed distributions can offer plugins by name through the
entry-point group ``wp_shortcodes.plugins``:

.. code-block:: toml

    [project.entry-points."wp_shortcodes.plugins"]
    my-theme = "my_theme.shortcodes:plugin"

>>> "covid19" in PLUGINS.names(), DEFAULT_PLUGINS
(True, ('covid19', 'media', 'embed'))
>>> resolve("nope")
Traceback (most recent call last):
...
shortcodes.common.errors.PluginError: unknown renderer plugin 'nope': expected one of covid19, media, embed (or give package.module:function)
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Union

from ..common.errors import PluginError
from ..common.registry import Registry, UnknownName, import_object

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = ["Plugin", "PluginSpec", "PLUGINS", "DEFAULT_PLUGINS", "resolve", "plugin_name"]

#: ``plugin(renderer, **options) -> None``.
Plugin = Callable[..., Any]
#: A plugin, its registered name, or ``"package.module:function"``.
PluginSpec = Union[str, Plugin]

#: Renderer plugins by name.
PLUGINS: Registry[Plugin] = Registry("renderer plugin", entry_points="wp_shortcodes.plugins")
PLUGINS.register("covid19", "shortcodes.cards:plugin")
PLUGINS.register("media", "shortcodes.media:plugin")
PLUGINS.register("embed", "shortcodes.media.embed:plugin")

#: The plugins a ``Renderer()`` uses unless told otherwise.
DEFAULT_PLUGINS: tuple[str, ...] = ("covid19", "media", "embed")


def resolve(spec: PluginSpec) -> Plugin:
    """The plugin function that ``spec`` names; :class:`PluginError` if there is none."""
    if callable(spec):
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise PluginError(f"a plugin is a function, a registered name or package.module:function, not {spec!r}")
    name = spec.strip()
    if ":" in name:
        try:
            found = import_object(name)
        except (ImportError, AttributeError, ValueError) as exc:
            raise PluginError(f"plugin {name!r} cannot be loaded: {type(exc).__name__}: {exc}") from None
        if not callable(found):
            raise PluginError(f"plugin {name!r} is not a function")
        return found
    try:
        return PLUGINS[name]
    except UnknownName as exc:
        raise PluginError(f"{exc} (or give package.module:function)") from None
    except (ImportError, AttributeError) as exc:
        raise PluginError(f"plugin {name!r} cannot be loaded: {type(exc).__name__}: {exc}") from None


def plugin_name(spec: PluginSpec) -> str:
    """A readable name of ``spec`` (for :attr:`Renderer.plugins`)."""
    if isinstance(spec, str):
        return spec.strip()
    module = getattr(spec, "__module__", "") or ""
    qualname = getattr(spec, "__qualname__", None) or repr(spec)
    return f"{module}:{qualname}" if module else qualname
