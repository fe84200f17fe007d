"""``shortcodes parse`` and ``shortcodes normalize``."""
from __future__ import annotations

import argparse
import difflib
import sys

from ..common.errors import InputError
from ..common.fileio import read_text, refuse_overwrite
from ..common.status import ExitStatus
from ..core.normalize import normalize_document
from ..core.parser import parse
from ..core.serialize import json_chunks, to_dict
from ..jobs.writing import write_text
from .options import split_list


def _tags(value: "str | None") -> "tuple[str, ...] | None":
    return None if value is None else split_list(value)


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("parse", help="print the AST of a file as JSON",
                       description="Print the AST (nodes with spans, diagnostics) as JSON.")
    p.add_argument("file", help="a text file, or - for standard input")
    p.add_argument("--tags", help="comma-separated tag names to recognise (default: every valid name)")
    p.add_argument("--strict", action="store_true", help="attribute values exactly as WordPress reads them")
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    p.set_defaults(run=run_parse)

    n = sub.add_parser("normalize", help="rewrite curly/entity-quoted attributes with straight quotes",
                       description="Rewrite attribute values delimited by typographic quotes or their "
                                   "entities with straight quotes; nothing else changes.")
    n.add_argument("files", nargs="+", metavar="FILE", help="text files, or - for standard input")
    n.add_argument("-o", "--output", help="write here (one input only; default: standard output)")
    n.add_argument("--check", action="store_true",
                   help="write nothing; print a diff and exit 1 when a file would change")
    n.add_argument("--tags", help="comma-separated tag names to recognise")
    n.set_defaults(run=run_normalize)


def _print_diagnostics(name: str, doc) -> None:
    for d in doc.diagnostics:
        if d.severity != "info":
            print(f"{name}:{d}", file=sys.stderr)


def run_parse(args: argparse.Namespace) -> int:
    text = read_text(args.file)
    doc = parse(text, _tags(args.tags), strict=args.strict)
    data = to_dict(doc)
    data["file"] = "<stdin>" if args.file == "-" else args.file
    sys.stdout.writelines(json_chunks(data, indent=None if args.compact else 2))  # any depth
    sys.stdout.write("\n")
    _print_diagnostics(data["file"], doc)
    return ExitStatus.OK


def run_normalize(args: argparse.Namespace) -> int:
    if args.output and len(args.files) > 1:
        raise InputError("normalize: -o takes one input file")
    if args.output:
        refuse_overwrite(args.output, args.files)
    changed = False
    for name in args.files:
        text = read_text(name)
        doc = parse(text, _tags(args.tags))
        out = normalize_document(doc)
        label = "<stdin>" if name == "-" else name
        _print_diagnostics(label, doc)
        if args.check:
            if out != text:
                changed = True
                sys.stdout.writelines(difflib.unified_diff(
                    text.splitlines(keepends=True), out.splitlines(keepends=True),
                    fromfile=label, tofile=f"{label} (normalized)"))
            continue
        if args.output:
            write_text(args.output, out)
        else:
            sys.stdout.write(out)
    return ExitStatus.PROBLEMS if changed else ExitStatus.OK
