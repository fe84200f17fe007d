"""Only the optional compiled twins (issue 11); the package's metadata is in setup.cfg.

Each module of ``shortcodes.common.compiled.COMPILED_MODULES`` is copied to
``build/twins/`` under its twin's name, with the SHA-256 of its source
appended, and compiled there with Cython.  The extensions are optional: with
no Cython or no working C compiler (or ``SHORTCODES_PURE_BUILD=1``) the build
still succeeds and installs the pure-Python package, which is what runs then.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# Kept equal to shortcodes.common.compiled.COMPILED_MODULES (tests/test_compiled.py checks it): this file
# cannot import the package it builds.
COMPILED_MODULES = ("shortcodes.core.scanner", "shortcodes.core.parser")
# What the twins are compiled with: the pure module's semantics exactly (annotations are not C types).
DIRECTIVES = {"language_level": 3, "annotation_typing": False, "binding": True, "embedsignature": False}


def _twin_sources() -> list[Extension]:
    exts = []
    for name in COMPILED_MODULES:
        package, _, leaf = name.rpartition(".")
        twin = f"{package}._{leaf}_c"
        source = ROOT.joinpath(*name.split(".")).with_suffix(".py")
        text = source.read_bytes()
        # Relative paths: the generated C and the objects do not depend on where the checkout is.
        copy = Path("build", "twins", *twin.split(".")).with_suffix(".py")
        copy.parent.mkdir(parents=True, exist_ok=True)
        body = text + b"\n_SOURCE_SHA256 = " + repr(hashlib.sha256(text).hexdigest()).encode() + b"\n"
        if not copy.is_file() or copy.read_bytes() != body:
            copy.write_bytes(body)
        # No absolute build paths in the objects' debug information (reproducible wheels).
        args = [] if sys.platform == "win32" else [f"-ffile-prefix-map={ROOT}=."]
        exts.append(Extension(twin, [copy.as_posix()], optional=True, extra_compile_args=args))
    return exts


def extensions() -> list[Extension]:
    if os.environ.get("SHORTCODES_PURE_BUILD", "") not in ("", "0"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("note: Cython is not installed: building the pure-Python package only", file=sys.stderr)
        return []
    try:
        return cythonize(_twin_sources(), compiler_directives=DIRECTIVES, quiet=True)
    except Exception as exc:  # a Cython that cannot translate these files: the pure package still builds
        print(f"note: Cython could not translate the compiled twins ({exc}): building the pure-Python package only",
              file=sys.stderr)
        return []


class optional_build_ext(build_ext):
    """``build_ext`` that leaves the pure package when no extension can be built (no compiler at all)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # a missing compiler can fail before any extension is tried
            print(f"note: the compiled twins were not built ({exc}): the pure-Python package is installed",
                  file=sys.stderr)


os.chdir(ROOT)
setup(ext_modules=extensions(), cmdclass={"build_ext": optional_build_ext})
