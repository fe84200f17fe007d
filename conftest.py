"""Collection rules for the doctests of ``shortcodes/`` (``--doctest-modules``).

A module that needs an optional extra imports it at its top, so collecting
its doctests would fail where the extra is not installed (the README's test
command installs only ``.[test]``). Such modules are listed here with the
module they need and are left out of collection, visibly, when it is missing.
"""
from __future__ import annotations

import importlib.util

#: Module path (from the repository root) → the import it needs, and the extra that brings it.
OPTIONAL_MODULES: dict[str, tuple[str, str]] = {
    "shortcodes/jobs/dask_plugin.py": ("distributed", "dask"),
}

collect_ignore: list[str] = []
for _path, (_needs, _extra) in OPTIONAL_MODULES.items():
    if importlib.util.find_spec(_needs) is None:
        collect_ignore.append(_path)
        print(f"conftest: not collecting {_path}: needs {_needs!r} (pip install -e '.[{_extra}]')")
