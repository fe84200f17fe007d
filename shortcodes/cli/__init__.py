"""The ``shortcodes`` command line (also ``python -m shortcodes``).

A thin layer over the library: each sub-command lives in a module of this
package that defines ``register(subparsers)``; the module's ``run`` function
gets the parsed arguments and returns the exit status.

Exit statuses (:class:`~shortcodes.common.status.ExitStatus`, one table for every
sub-command): 0 clean (warnings are printed and counted, but do not fail a run
unless ``--strict`` / ``--fail-on warning``); 1 some input had a problem (a post
could not be converted, a tag failed to render, an input file could not be read
while the others were, ``--check`` found changes); 2 unusable input or
arguments, or an output that could not be written; 130 interrupted (Ctrl-C),
143 terminated (SIGTERM).

:func:`main` is the one place that turns errors into messages and statuses:
an :class:`~shortcodes.common.errors.InputError` or an
:class:`~shortcodes.common.errors.OutputError` (disk full, ``ulimit -f``, a
read-only folder, a file where a folder should be) is one line
``shortcodes: error: ...`` naming the file, and exit status 2, never a
traceback.  SIGTERM is turned into a clean exit, so temporary files and
half-built outputs are removed on the way out.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import signal
import sys
import threading
from typing import Any, Sequence

from ..common.compiled import describe
from ..common.errors import InputError, OutputError, WorkerError
from ..common.status import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, ExitStatus
from ..common.version import __version__
from .options import split_list

__all__ = ["main", "build_parser", "split_list", "Terminated", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE"]

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = ["parse", "render", "convert", "inventory", "gallery"]


def build_parser(argv: "Sequence[str] | None" = None) -> argparse.ArgumentParser:
    """The parser of the command line.  With ``argv``, only what that command line needs is imported:
    nothing more for ``--version``, only its own module for a sub-command; every sub-command for
    anything else (``--help``, a mistyped command)."""
    parser = argparse.ArgumentParser(
        prog="shortcodes",
        description="Parse, repair and render WordPress shortcodes.",
        epilog="Exit status: 0 clean (warnings are reported, not fatal, unless --strict or --fail-on "
               "warning), 1 some input had a problem (a post not converted, a file not read, --check "
               "found changes), 2 unusable input or arguments or an output that cannot be written, "
               "130 interrupted, 143 terminated.",
    )
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the version and whether the compiled parser is in use, and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    names = COMMAND_MODULES
    if argv is not None and list(argv[:1]) == ["--version"]:
        names = []
    elif argv is not None and argv and argv[0] in COMMAND_MODULES:
        names = [argv[0]]
    for name in names:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command not built yet
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


class _Version(argparse.Action):
    """``--version``: the version, then which parser runs (the compiled twins or the pure modules)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: "str | None" = None) -> None:
        print(f"{parser.prog} {__version__}\n{describe(load=False)}")  # on stdout, as argparse's "version"
        parser.exit()


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that cleanups run (see :func:`main`)."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated()


def _os_message(exc: OSError) -> str:
    """``file: reason`` for an OS error no command turned into an :class:`OutputError`."""
    names = [os.fsdecode(n) for n in (exc.filename, exc.filename2) if n is not None]
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{' -> '.join(names)}: {reason}" if names else reason


#: The cyclic garbage collector's thresholds while a command runs: the first generation is collected after
#: 100,000 new container objects, not 700.  A conversion makes millions of short-lived objects and few
#: cycles; with the default the collector took 5 % of a one-process ``convert`` (0.41 of 7.8 CPU-s on the
#: bench's 100 MB export), with these 1 % (0.06 s), at the same peak memory (bench/README.md).
GC_THRESHOLDS = (100_000, 20, 20)


def main(argv: "Sequence[str] | None" = None) -> int:
    """Run the command line; return the exit status (see the module docs).

    While it runs, the garbage collector's thresholds are :data:`GC_THRESHOLDS` (the caller's come back
    after)."""
    if argv is None:
        argv = sys.argv[1:]
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*thresholds)


def _main(argv: "Sequence[str]") -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.run(args) or 0)
    except (InputError, OutputError, WorkerError) as exc:
        print(f"shortcodes: error: {exc}", file=sys.stderr)
        return ExitStatus.USAGE
    except BrokenPipeError:
        return ExitStatus.OK
    except OSError as exc:
        print(f"shortcodes: error: {_os_message(exc)}", file=sys.stderr)
        return ExitStatus.USAGE
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    except Terminated:
        return ExitStatus.TERMINATED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
