"""Exit statuses of the command line, and of the jobs' reports that decide them.

=====  =========================================================================
0      clean: everything was read and converted (warnings are counted, not fatal)
1      some input had a problem: a post could not be converted, an input file
       could not be read while the others were, ``--check`` found changes, or a
       warning with ``--strict``
2      unusable input or arguments, or an output that could not be written
130    interrupted (Ctrl-C)
=====  =========================================================================

>>> int(ExitStatus.PROBLEMS), ExitStatus.USAGE.name
(1, 'USAGE')
"""
from __future__ import annotations

import enum

__all__ = ["ExitStatus", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_INTERRUPTED"]


class ExitStatus(enum.IntEnum):
    """The exit statuses (see the module docs)."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2
    INTERRUPTED = 130


EXIT_OK = ExitStatus.OK
EXIT_PROBLEMS = ExitStatus.PROBLEMS
EXIT_USAGE = ExitStatus.USAGE
EXIT_INTERRUPTED = ExitStatus.INTERRUPTED
