"""``shortcodes render``: a post with shortcodes to HTML (a fragment or a whole page).

    shortcodes render examples/hasakah-article.txt --page --autop --as-of 2021-10-10 -o hasakah.html

Diagnostics go to standard error as ``file:line:column: severity: message
[kind]`` (warnings and errors; ``--verbose`` adds the informational ones),
then, with ``-o``, what was written (``wrote hasakah.html: 4 shortcodes
rendered (covid19-ultimate-card 4)``; ``-q`` leaves that line out).
Exit status: 0 written (warnings are printed, not fatal), 1 an error (a tag
that failed to render; a tag refused by ``--unknown error`` or a template
that raised with ``--strict``: then nothing is written; or a warning with
``--fail-on warning`` or ``--strict``), 2 unusable input or arguments, an
unusable ``--stats`` source, or an output that cannot be written.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Mapping

from ..common.errors import InputError, RenderError
from ..common.fileio import read_text, refuse_overwrite
from ..common.locales import is_rtl
from ..common.status import ExitStatus, outcome
from ..jobs.writing import write_text
from .options import (
    add_fail_on,
    add_locale,
    add_plugins,
    add_stats,
    add_templates,
    add_unknown,
    add_wordpress,
    fail_on_from,
    open_stats,
    renderer_options,
    split_list,
    theme_from,
)


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "render", help="render shortcodes to HTML (a fragment, or a whole page with --page)",
        description="Render the shortcodes of a post to HTML: templates (<tag>.html) and the bundled "
                    "[covid19-ultimate-card]. Text between shortcodes is copied as it is.",
        epilog="Exit status: 0 written (warnings are printed, not fatal), 1 an error in the input (a tag "
               "that failed; nothing is written when a tag is refused) or a warning with --fail-on warning / "
               "--strict, 2 unusable input, arguments or --stats source, or an output that cannot be written.")
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
                   help="fail (exit 1, write nothing) when a template raises, instead of keeping the tag's source; "
                        "warnings make the run exit 1 too")
    add_fail_on(p)
    add_wordpress(p)
    p.add_argument("--tags", help="comma-separated names to treat as shortcodes (default: every valid name)")
    p.add_argument("-v", "--verbose", action="store_true", help="also print informational diagnostics")
    p.add_argument("-q", "--quiet", action="store_true", help="do not say what was written")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    label = "<stdin>" if args.file == "-" else args.file
    if args.output:
        refuse_overwrite(args.output, [args.file])
    from ..renderer.engine import Renderer  # here: the parser of every sub-command is built at start-up

    provider = open_stats(args.stats)
    tags = None if args.tags is None else split_list(args.tags)
    if args.the_content and args.autop:
        raise InputError("--autop and --the-content exclude each other (the_content runs wpautop itself)")
    theme = theme_from(args)
    if args.rtl is None and is_rtl(args.locale):  # a plain file has no <language>: --locale says it
        theme = theme.with_(rtl=True)
    try:
        renderer = Renderer(**renderer_options(args), as_of=args.as_of, provider=provider,
                            unknown=args.unknown, autop=args.autop, strict=args.strict, tags=tags)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc)) from None
    from .. import media  # (as the Renderer above)

    try:
        media.configure(renderer, theme=theme)
    except LookupError:  # --no-default-plugins without the media plugin
        pass
    text = read_text(args.file)
    try:
        if args.the_content:
            result = _the_content(renderer, text, theme, page=args.page, title=args.title)
        elif args.page:
            result = renderer.render_page_result(text, title=args.title)
        else:
            result = renderer.render_result(text)
    except RenderError as exc:
        where = f"{label}:{exc.line}:{exc.column}" if exc.line is not None else label
        print(f"{where}: error: {exc.reason}", file=sys.stderr)
        return ExitStatus.PROBLEMS
    for d in result.diagnostics:
        if args.verbose or d.severity != "info":
            print(f"{label}:{d}", file=sys.stderr)
    errors = sum(d.severity == "error" for d in result.diagnostics)
    warnings = sum(d.severity == "warning" for d in result.diagnostics)
    if args.output:
        write_text(args.output, result.html)
        if not args.quiet:
            print(f"wrote {args.output}: {written_summary(result.counts, errors, warnings)}", file=sys.stderr)
    else:
        sys.stdout.write(result.html)
        sys.stdout.flush()
    return outcome(errors=errors, warnings=warnings, fail_on=fail_on_from(args))


def _the_content(renderer: Any, text: str, theme: Any, *, page: bool, title: "str | None") -> Any:
    """``--the-content``: the text through WordPress's the_content filters, the renderer running the shortcodes."""
    from ..jobs.modes import render_the_content  # here: the parser of every sub-command is built at start-up
    from ..renderer.context import RenderResult  # (as above)
    from ..wordpress.content import ContentPage  # (as above)

    html, counts, diagnostics = render_the_content(renderer, text, ContentPage(content_width=theme.content_width),
                                                   visitor=theme.visitor)
    if page:  # the page around the filtered text: no shortcode runs twice
        html = type(renderer)(plugins=(), tags=()).render_page(html, title=title)
    return RenderResult(html=html, counts=counts, diagnostics=diagnostics)


def written_summary(counts: Mapping[str, Mapping[str, int]], errors: int = 0, warnings: int = 0) -> str:
    """What a rendering did, in a few words.

    >>> written_summary({"covid19-ultimate-card": {"rendered": 4, "kept": 0}})
    '4 shortcodes rendered (covid19-ultimate-card 4)'
    >>> written_summary({"a": {"rendered": 1}, "b": {"kept": 2, "failed": 1}}, errors=1, warnings=3)
    '1 shortcode rendered (a 1), 2 kept, 1 failed; 1 error, 3 warnings'
    >>> written_summary({})
    'no shortcodes'
    """
    def total(key: str) -> int:
        return sum(entry.get(key, 0) for entry in counts.values())

    rendered = total("rendered")
    parts = []
    if rendered:
        per_tag = ", ".join(f"{tag} {entry['rendered']}" for tag, entry in sorted(counts.items())
                            if entry.get("rendered"))
        parts.append(f"{rendered} shortcode{'s' if rendered != 1 else ''} rendered ({per_tag})")
    parts.extend(f"{total(key)} {key}" for key in ("kept", "stripped", "failed") if total(key))
    text = ", ".join(parts) or "no shortcodes"
    found = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return text + ("; " + ", ".join(found) if found else "")
