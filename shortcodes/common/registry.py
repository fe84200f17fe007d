"""Name -> implementation tables: how every extensible part of the pipeline is chosen.

Export readers, conversion modes, output formats, figures providers, unknown-tag
policies and renderer plugins are each a :class:`Registry`.  The command line
takes its choices from them, so adding one is one new module plus one
``register()`` call, and nothing else changes.

A value may be given as a ``"package.module:attribute"`` string, imported the
first time it is asked for, so that listing a table never imports the heavy
parts behind it.  A registry with an entry-point group also offers what other
installed distributions declare there.

>>> colours = Registry("colour")
>>> colours.register("red", "#f00")
'#f00'
>>> @colours.register("blue")
... def blue():
...     return "#00f"
>>> colours.names(), colours["blue"]()
(('red', 'blue'), '#00f')
>>> colours["green"]
Traceback (most recent call last):
...
shortcodes.common.registry.UnknownName: unknown colour 'green': expected one of red, blue
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Generic, Iterator, TypeVar, overload

from .errors import ShortcodesError

__all__ = ["Registry", "UnknownName", "import_object"]

T = TypeVar("T")


class UnknownName(ShortcodesError, ValueError, LookupError):
    """A name that is not in a registry; the message lists the known names."""


def import_object(spec: str) -> Any:
    """The object a ``"package.module:attribute"`` string names (``attribute`` may be dotted).

    >>> import_object("os.path:join") is __import__("os").path.join
    True
    """
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"{spec!r} is not of the form package.module:attribute")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


class Registry(Generic[T]):
    """A table of named implementations of one kind (``kind`` names it in messages).

    ``entry_points``: an entry-point group (``wp_shortcodes.plugins``) whose
    entries are offered after the registered names; registered names win.
    """

    def __init__(self, kind: str, *, entry_points: "str | None" = None) -> None:
        self.kind = kind
        self.entry_point_group = entry_points
        self._items: dict[str, "T | str"] = {}
        self._loaded_entry_points = entry_points is None

    @overload
    def register(self, name: str) -> Callable[[T], T]: ...

    @overload
    def register(self, name: str, item: "T | str", *, replace: bool = ...) -> "T | str": ...

    def register(self, name: str, item: Any = None, *, replace: bool = True) -> Any:
        """Add ``item`` under ``name`` (also as a decorator: ``@registry.register(name)``).

        ``item`` may be a ``"module:attribute"`` string, imported on first use.
        ``replace=False`` refuses a name that is already taken.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"a {self.kind} needs a non-empty name, not {name!r}")
        if item is None:
            def decorate(obj: T) -> T:
                self.register(name, obj, replace=replace)
                return obj
            return decorate
        if not replace and name in self._items:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._items[name] = item
        return item

    def unregister(self, name: str) -> None:
        """Remove ``name`` (a :class:`UnknownName` if it is not there)."""
        self._load_entry_points()
        if name not in self._items:
            raise self._unknown(name)
        del self._items[name]

    def names(self) -> tuple[str, ...]:
        """Every name, in registration order (entry points last)."""
        self._load_entry_points()
        return tuple(self._items)

    def get(self, name: str) -> T:
        """The implementation registered as ``name``; :class:`UnknownName` lists the known ones."""
        self._load_entry_points()
        try:
            item = self._items[name]
        except (KeyError, TypeError):
            raise self._unknown(name) from None
        if isinstance(item, str):
            item = import_object(item)
            self._items[name] = item
        return item

    __getitem__ = get

    def __contains__(self, name: object) -> bool:
        self._load_entry_points()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {list(self._items)})"

    def _unknown(self, name: object) -> UnknownName:
        known = ", ".join(self.names()) or "(none)"
        return UnknownName(f"unknown {self.kind} {name!r}: expected one of {known}")

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        from importlib.metadata import entry_points

        for ep in entry_points(group=self.entry_point_group or ""):
            self._items.setdefault(ep.name, ep.value)
