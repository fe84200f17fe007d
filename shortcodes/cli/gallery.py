"""``shortcodes gallery``: a static HTML page per template showing its variants side by side.

    shortcodes gallery -o gallery/ --templates my-theme/

writes ``gallery/index.html`` and one page per template (see
:mod:`shortcodes.gallery` for the variants each template gets, and the
optional ``<tag>.variants.json``).  Prints the files written.  Exit status:
0 written, 1 written but some variant failed to render (its page shows
the error), 2 unusable arguments or variants file (nothing is written).
"""
from __future__ import annotations

import argparse
import sys

from ..common.errors import InputError
from ..common.status import ExitStatus
from .options import add_plugins, add_templates, plugins_from


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "gallery", help="write a static HTML gallery of every template's variants, for checking a theme by eye",
        description="Render every template (the bundled [covid19-ultimate-card] and those in --templates) in "
                    "its variants, side by side, one page per template plus an index.html. A template other "
                    "than the card is shown bare (and enclosing text when it uses content), plus the variants "
                    "of an optional <tag>.variants.json beside it.",
        epilog="Exit status: 0 written, 1 written but some variant failed to render, "
               "2 unusable arguments or variants file (nothing is written), or a page that cannot be written.")
    p.add_argument("-o", "--output", metavar="DIR", default="gallery",
                   help="the folder to write into (made when missing; default: gallery)")
    add_templates(p)
    add_plugins(p)
    p.add_argument("--tag", metavar="TAG", action="append", dest="tags",
                   help="only this template (repeatable; default: every template found)")
    p.add_argument("--as-of", metavar="DATE",
                   help="date of the figures for variants that do not fix one, YYYY-MM-DD (default: the latest)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not list the files written")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs.gallery import build_gallery, check_output  # here: every sub-command's parser is built at start-up

    try:
        check_output(args.output, args.templates)
        gallery = build_gallery(args.templates, tags=args.tags, as_of=args.as_of, plugins=plugins_from(args))
    except ValueError as exc:  # GalleryError, a bad --as-of, a --templates that is not a folder
        raise InputError(str(exc)) from None
    written = gallery.write(args.output)
    if not args.quiet:
        for path in written:
            print(path)
    if gallery.failures:
        broken = ", ".join(f"{p.filename} ({p.failures})" for p in gallery.pages if p.failures)
        print(f"shortcodes gallery: {gallery.failures} variant(s) failed to render: {broken}", file=sys.stderr)
        return ExitStatus.PROBLEMS
    return ExitStatus.OK
