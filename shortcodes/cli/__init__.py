"""The ``shortcodes`` command line (also ``python -m shortcodes``).

A thin layer over the library: each sub-command lives in a module of this
package that defines ``register(subparsers)``; the module's ``run`` function
gets the parsed arguments and returns the exit status.

Exit status: 0 clean, 1 some input had problems (or ``--check`` found
changes), 2 unusable input or arguments.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from .. import __version__
from ..fileio import InputError

__all__ = ["main", "build_parser", "split_list", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = ["parse", "render", "convert", "inventory", "gallery"]


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shortcodes",
        description="Parse, repair and render WordPress shortcodes.",
        epilog="Exit status: 0 clean, 1 problems in some input (or --check found changes), "
               "2 unusable input or arguments.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command not built yet
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: "Sequence[str] | None" = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as exc:
        print(f"shortcodes: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
