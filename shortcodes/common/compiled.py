"""The optional compiled twins of pure-Python modules, and the switch that turns them off (issue 11).

A *twin* is the very source file of a pure module, compiled with Cython when
the package is built (``setup.py``), as a module of its own beside it:
``shortcodes.core.parser`` has the twin ``shortcodes.core._parser_c``.  The
build appends one line to the copy it compiles, the SHA-256 of the source
(``_SOURCE_SHA256``), so that a twin built from another version of the file
(an editable install whose ``.py`` was edited since) is never used.

Each pure module in :data:`COMPILED_MODULES` ends with ``adopt(globals())``:
when its twin is built, current and allowed, the module's names are replaced
by the twin's (functions, classes, caches: one set of objects, whichever
module they are reached through).  The pure source stays the reference and
the fallback: without a C compiler, on another Python, or with the
environment variable ``SHORTCODES_PURE=1``, the pure code runs, with the same
output (``tests/test_compiled.py`` checks the two against each other).

>>> sorted(implementation()) == sorted(COMPILED_MODULES)
True
>>> set(implementation().values()) <= {"compiled", "pure"}
True
>>> twin_name("shortcodes.core.parser")
'shortcodes.core._parser_c'
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
from types import ModuleType
from typing import Any

__all__ = ["COMPILED_MODULES", "PURE_ENV", "adopt", "implementation", "describe", "twin_name", "pure_forced",
           "source_sha256"]

#: The pure modules that have a compiled twin, in import order (the parser imports the scanner).
COMPILED_MODULES = ("shortcodes.core.scanner", "shortcodes.core.parser")
#: Set to ``1`` to run the pure-Python modules even where their twins are built.
PURE_ENV = "SHORTCODES_PURE"

#: module -> why it runs pure ("" once its twin is adopted)
_STATE: dict[str, str] = {}
#: the same, foreseen for a module not imported yet (implementation(load=False))
_GUESS: dict[str, str] = {}


def twin_name(module: str) -> str:
    """The name of the compiled twin of ``module``."""
    package, _, leaf = module.rpartition(".")
    return f"{package}._{leaf}_c"


def pure_forced() -> bool:
    """Whether ``SHORTCODES_PURE`` asks for the pure modules (any value but ``""`` and ``0``)."""
    return os.environ.get(PURE_ENV, "") not in ("", "0")


def source_sha256(text: bytes) -> str:
    """The digest a twin records of its source (``setup.py`` computes the same, as it cannot import the package)."""
    return hashlib.sha256(text).hexdigest()


def _load_twin(name: str, source_file: "str | None") -> "tuple[ModuleType | None, str]":
    try:
        twin = importlib.import_module(twin_name(name))
    except ImportError as exc:
        return None, f"not built ({exc})"
    recorded: "str | None" = getattr(twin, "_SOURCE_SHA256", None)
    if source_file is not None:
        current: "str | None"
        try:
            with open(source_file, "rb") as f:
                current = source_sha256(f.read())
        except OSError:
            current = recorded  # no source beside it (a zipped or frozen install): trust the build
        if recorded is None or recorded != current:
            return None, f"stale: built from another version of {os.path.basename(source_file)} (reinstall to rebuild)"
    return twin, ""


def adopt(namespace: dict[str, Any]) -> bool:
    """Replace a pure module's names by its twin's; called at the end of each module of :data:`COMPILED_MODULES`.

    Returns whether the twin is now in use.  The twin itself runs the same
    last line, under its own name, and nothing happens there.
    """
    name = namespace["__name__"]
    if name not in COMPILED_MODULES:
        return False
    if pure_forced():
        _STATE[name] = f"{PURE_ENV}=1"
        return False
    twin, why = _load_twin(name, namespace.get("__file__"))
    if twin is None:
        _STATE[name] = why
        return False
    namespace.update({k: v for k, v in vars(twin).items()
                      if not (k.startswith("__") and k.endswith("__")) and k != "_SOURCE_SHA256"})
    _STATE[name] = ""
    return True


def implementation(*, load: bool = True) -> dict[str, str]:
    """``"compiled"`` or ``"pure"`` for each module of :data:`COMPILED_MODULES`.

    ``load=False`` imports nothing (``shortcodes --version`` stays light): a
    module not imported yet is given as it will be, ``"compiled"`` when its
    twin is built and ``SHORTCODES_PURE`` is not set (whether the twin is
    current is checked when the module is imported).
    """
    out = {}
    for name in COMPILED_MODULES:
        if load:
            importlib.import_module(name)
        if name not in _STATE:  # not imported yet
            if pure_forced():
                guess = f"{PURE_ENV}=1"
            else:
                try:
                    found = importlib.util.find_spec(twin_name(name)) is not None
                except ImportError:
                    found = False
                guess = "" if found else "not built"
            out[name] = "pure" if guess else "compiled"
            _GUESS[name] = guess
        else:
            out[name] = "pure" if _STATE[name] else "compiled"
    return out


def describe(*, load: bool = True) -> str:
    """One line for ``shortcodes --version``: which implementation runs, and why not the compiled one.

    >>> describe().startswith(("parser: compiled", "parser: pure Python", "parser: partly"))
    True
    """
    used = implementation(load=load)
    why = {n: _STATE.get(n, _GUESS.get(n, "")) for n, v in used.items() if v == "pure"}
    if not why:
        return "parser: compiled (Cython): " + ", ".join(used)
    if len(why) == len(used):
        return "parser: pure Python (" + "; ".join(sorted(set(why.values()))) + ")"
    return "parser: partly compiled: " + ", ".join(
        f"{n} pure ({why[n]})" if n in why else f"{n} compiled" for n in used)
