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

from ..common.errors import InputError
from ..common.status import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from ..common.version import __version__
from .options import split_list

__all__ = ["main", "build_parser", "split_list", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE"]

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = ["parse", "render", "convert", "inventory", "gallery"]


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
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
