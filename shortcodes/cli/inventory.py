"""``shortcodes inventory``: which shortcodes a site uses, and how.

    shortcodes inventory site.WordPress.xml
    shortcodes inventory site.WordPress.xml --format csv -o tags.csv
    shortcodes inventory posts/ export.json --format json

For each tag: occurrences, posts, attribute names (with counts), example post
ids, curly-quote damage, whether a template or handler exists here.
Bracketed text that is not a shortcode (``[1]``, ``[citation needed]``) is
listed apart; see :func:`shortcodes.inventory.shortcode_reason` for the rule.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from ..common.errors import InputError
from ..common.fileio import refuse_overwrite
from ..common.status import outcome
from ..jobs.writing import write_text
from .options import add_plugins, add_templates, cli_text, plugins_from, split_list

EPILOG = """\
A name counts as a shortcode when it is a WordPress core tag, has a template
or handler here, is a well-known plugin's tag, or (for tag-like names) some
occurrence has named attributes, encloses content, is self-closing or has a
closing tag [/name].  Everything else is bracketed text, listed apart.

An input that cannot be read is reported (file:line:column) and the others
are counted.  CSV cells that a spreadsheet would read as a formula (starting
with =, +, -, @, a tab or a carriage return) are written with a leading '.

exit status:
  0  every input read cleanly
  1  some input could not be read (the others were counted), or could be read
     only in part (the readers' warnings: what --recover skipped)
  2  unusable input or arguments (no input could be read, a filter that
     matches no post) or an output that cannot be written
"""


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "inventory", help="count the shortcodes of exports: per tag, uses, posts, attributes, damage",
        description="Count the shortcodes used in WordPress exports (WXR .xml, REST API .json/.jsonl, or "
                    "folders of .html/.txt/.md files), by parsing every post.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="exports, REST JSON files, post files or folders")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="table for people (default), json or csv for tools")
    p.add_argument("-o", "--output", metavar="OUT", help="write here, atomically (default: standard output)")
    add_templates(p, "a folder of <tag>.html templates: its tags count as supported here (repeatable)")
    add_plugins(p)
    p.add_argument("--examples", type=int, default=5, metavar="N", help="example post ids per tag (default: 5)")
    p.add_argument("--post-type", metavar="TYPE", action="append",
                   help="count only these post types (repeatable or comma list; default: all)")
    p.add_argument("--status", metavar="STATUS", action="append",
                   help="count only posts with these statuses (repeatable or comma list; default: all)")
    p.add_argument("--recover", action="store_true",
                   help="read malformed exports as far as possible, as WordPress's importer does")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print the readers' warnings")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs.inputs import Inputs  # here: every sub-command's parser is built at start-up
    from ..jobs.inventory import Inventory  # (the parser: only when the command runs)
    from ..jobs.options import PostFilter  # (the readers behind it too)
    from ..renderer.engine import Renderer  # (Jinja, Babel)

    if args.output:
        refuse_overwrite(args.output, args.inputs)
    if args.examples < 0:
        raise InputError(f"--examples {args.examples}: give 0 or more")
    try:
        known = Renderer(templates=args.templates, plugins=plugins_from(args)).known_tags
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc)) from None
    post_filter = PostFilter(split_list(args.post_type), split_list(args.status))
    warnings: list[Any] = []

    def on_warning(w: Any) -> None:
        warnings.append(w)
        if not args.quiet:
            print(str(w), file=sys.stderr)

    def on_failure(failure: Any) -> None:
        print(cli_text(str(failure)), file=sys.stderr)

    inv = Inventory(known, examples=args.examples)
    inputs = Inputs(args.inputs, recover=args.recover, on_warning=on_warning, on_failure=on_failure,
                    accepts=post_filter)
    try:
        for post in inputs:
            if post_filter.accepts(post):
                inv.add_post(post)
    except InputError as exc:
        raise InputError(cli_text(str(exc))) from None
    for note in inputs.notes():
        print(f"note: {note}", file=sys.stderr)
    text = inv.to_json() if args.format == "json" else inv.to_csv() if args.format == "csv" else inv.format_table()
    if args.output:
        write_text(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return outcome(errors=len(warnings) + len(inputs.failures))


__all__ = ["register", "run", "EPILOG"]
