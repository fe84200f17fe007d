"""Exit statuses of the command line, and of the jobs' reports that decide them.

=====  =========================================================================
0      clean: everything was read and converted (warnings are counted, not fatal)
1      some input had a problem: a post could not be converted, an input file
       could not be read while the others were, ``--check`` found changes, or a
       warning with ``--strict``
2      unusable input or arguments, or an output that could not be written (a
       worker process of ``--jobs N`` killed included: nothing is written then)
130    interrupted (Ctrl-C)
143    terminated (SIGTERM); temporary files and half-built outputs are removed first
=====  =========================================================================

What a warning does: it is printed and counted in the summary, and the run
still exits 0; ``--fail-on warning`` (or ``--strict``, which also makes a
template that raises fail its post) turns warnings into exit status 1.

>>> int(ExitStatus.PROBLEMS), ExitStatus.USAGE.name
(1, 'USAGE')
>>> outcome(warnings=1276), outcome(warnings=1276, fail_on="warning"), outcome(errors=1)
(<ExitStatus.OK: 0>, <ExitStatus.PROBLEMS: 1>, <ExitStatus.PROBLEMS: 1>)
"""
from __future__ import annotations

import enum

__all__ = ["ExitStatus", "FAIL_ON", "outcome", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_INTERRUPTED"]


class ExitStatus(enum.IntEnum):
    """The exit statuses (see the module docs)."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2
    INTERRUPTED = 130
    TERMINATED = 143


EXIT_OK = ExitStatus.OK
EXIT_PROBLEMS = ExitStatus.PROBLEMS
EXIT_USAGE = ExitStatus.USAGE
EXIT_INTERRUPTED = ExitStatus.INTERRUPTED


#: The values of ``--fail-on``: the least severity that makes a run exit 1.
FAIL_ON: tuple[str, ...] = ("error", "warning")


def outcome(*, errors: int = 0, warnings: int = 0, fail_on: str = "error") -> ExitStatus:
    """The status of a run that finished: 1 when something could not be done, or for warnings when asked.

    ``errors``: posts not converted, tags that failed to render, inputs that
    could not be read (in full); ``warnings``: warnings reported (counted,
    not fatal unless ``fail_on="warning"``).
    """
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on={fail_on!r}: expected one of {', '.join(FAIL_ON)}")
    if errors or (warnings and fail_on == "warning"):
        return ExitStatus.PROBLEMS
    return ExitStatus.OK
