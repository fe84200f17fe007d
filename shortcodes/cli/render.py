"""``shortcodes render``: a post with shortcodes to HTML (a fragment or a whole page).

    shortcodes render examples/hasakah-article.txt --page --autop --as-of 2021-10-10 -o hasakah.html

Diagnostics go to standard error as ``file:line:column: severity: message
[kind]`` (warnings and errors; ``--verbose`` adds the informational ones).
Exit status: 0 clean, 1 the input had problems (a warning or an error, or a
tag refused by ``--unknown error`` / ``--strict``: then nothing is written),
2 unusable input or arguments.
"""
from __future__ import annotations

import argparse
import sys

from ..common.errors import InputError, RenderError
from ..common.fileio import atomic_write_text, read_text, refuse_overwrite
from ..common.status import EXIT_OK, EXIT_PROBLEMS
from .options import add_locale, add_plugins, add_stats, add_templates, add_unknown, renderer_options, split_list


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "render", help="render shortcodes to HTML (a fragment, or a whole page with --page)",
        description="Render the shortcodes of a post to HTML: templates (<tag>.html) and the bundled "
                    "[covid19-ultimate-card]. Text between shortcodes is copied as it is.",
        epilog="Exit status: 0 clean, 1 problems in the input (nothing is written when a tag is refused), "
               "2 unusable input or arguments.")
    p.add_argument("file", metavar="FILE", help="a UTF-8 text file, or - for standard input")
    p.add_argument("-o", "--output", metavar="OUT", help="write here, atomically (default: standard output)")
    p.add_argument("--page", action="store_true",
                   help="write a whole HTML5 document (doctype, lang/dir, title, styles once in <head>)")
    p.add_argument("--title", help="the page title with --page (default: the first line of text)")
    p.add_argument("--as-of", metavar="DATE", help="date of the figures, YYYY-MM-DD (default: the latest)")
    add_locale(p)
    add_templates(p)
    add_plugins(p)
    add_unknown(p, "tags with neither template nor handler: keep them as written (default), strip the "
                   "tags (keeping their content), turn them into HTML comments, or fail")
    p.add_argument("--autop", action="store_true",
                   help="run WordPress's wpautop + shortcode_unautop first, as the_content does")
    add_stats(p)
    p.add_argument("--strict", action="store_true",
                   help="fail (exit 1, write nothing) when a template raises, instead of keeping the tag's source")
    p.add_argument("--tags", help="comma-separated names to treat as shortcodes (default: every valid name)")
    p.add_argument("-v", "--verbose", action="store_true", help="also print informational diagnostics")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    label = "<stdin>" if args.file == "-" else args.file
    if args.output:
        refuse_overwrite(args.output, [args.file])
    from ..renderer.engine import Renderer  # here: the parser of every sub-command is built at start-up

    provider = None
    if args.stats:
        from ..cards.figures import provider_from_spec  # only with --stats

        try:
            provider = provider_from_spec(args.stats)
        except (ValueError, OSError) as exc:
            raise InputError(f"--stats {args.stats}: {exc}") from None
    tags = None if args.tags is None else split_list(args.tags)
    try:
        renderer = Renderer(**renderer_options(args), as_of=args.as_of, provider=provider,
                            unknown=args.unknown, autop=args.autop, strict=args.strict, tags=tags)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc)) from None
    text = read_text(args.file)
    try:
        if args.page:
            result = renderer.render_page_result(text, title=args.title)
        else:
            result = renderer.render_result(text)
    except RenderError as exc:
        where = f"{label}:{exc.line}:{exc.column}" if exc.line is not None else label
        print(f"{where}: error: {exc.reason}", file=sys.stderr)
        return EXIT_PROBLEMS
    for d in result.diagnostics:
        if args.verbose or d.severity != "info":
            print(f"{label}:{d}", file=sys.stderr)
    if args.output:
        atomic_write_text(args.output, result.html)
    else:
        sys.stdout.write(result.html)
        sys.stdout.flush()
    return EXIT_PROBLEMS if result.problems else EXIT_OK
