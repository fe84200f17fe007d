"""The bundled grammar and templates, installed or in a source checkout.

The repository keeps them at its top level (``grammar/``, ``templates/``: the
project's shape); ``pip install`` puts them inside the package as
``shortcodes._grammar`` and ``shortcodes._templates`` (see ``setup.cfg``).
:func:`bundled` finds them either way, so ``python -c "import shortcodes"``
works in a checkout that was never installed.

>>> (bundled("grammar") / "shortcode.lark").is_file()
True
"""
from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["bundled", "BUNDLED"]

#: Name -> (installed package, folder in a source checkout).
BUNDLED = {"grammar": ("shortcodes._grammar", "grammar"), "templates": ("shortcodes._templates", "templates")}


@functools.lru_cache(maxsize=None)
def bundled(name: str) -> Traversable:
    """The folder of the bundled ``"grammar"`` or ``"templates"``."""
    package, folder = BUNDLED[name]
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parents[2] / folder
        if checkout.is_dir():
            return checkout
        raise ModuleNotFoundError(
            f"the bundled {name} is missing: neither the package {package} (an installed "
            f"wp-shortcodes) nor {checkout} (a source checkout) exists") from None
