"""``shortcodes convert``: every post of an export, rendered, repaired, stripped or kept.

    shortcodes convert site.WordPress.xml --to html -o site/ --as-of post-date
    shortcodes convert site.WordPress.xml --to wxr --mode normalize -o repaired.xml
    shortcodes convert posts.json --to jsonl --mode strip --tags gallery,caption -o posts.jsonl
    shortcodes convert site.xml --to wxr --mode render --in-place      # keeps site.xml.bak

Problems go to standard error as ``file:line:column: severity: post ID
('title'): message [kind]``, placed in the export; an input that cannot be
read as ``file:line:column: error: reason; this input is skipped`` (the
others are converted); a summary follows.  See :mod:`shortcodes.jobs.convert`
for the library behind it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from ..common.errors import ExportError, InputError
from ..exports.files import TEXT_SUFFIXES
from ..exports.readers import detect_format
from ..exports.streams import binary_stream
from .options import (
    RegistryChoices,
    add_fail_on,
    add_locale,
    add_plugins,
    add_stats,
    add_templates,
    add_unknown,
    add_wordpress,
    cli_text,
    fail_on_from,
    plugins_from,
    split_list,
    theme_from,
)

EPILOG = """\
modes: render (shortcodes to HTML), normalize (repair curly/entity quotes only),
strip (remove the counted tags and what they enclose, as WordPress's
strip_shortcodes() does; a content-dropped warning says how much went),
unwrap (remove the counted tags, keep what they enclose),
keep (content byte-identical).

A post that fails is written through unchanged and reported with its id,
title and file:line:column in the export.  An input that cannot be read is
reported and skipped; the others are converted.  Outputs are written so that
a run that fails or is interrupted leaves the previous output: a site is
built beside its folder and moved into place complete.  Pages of an earlier
run that this one did not write are kept and counted (--clean removes them;
files this tool did not write are never touched).  Inputs are never written
over (--in-place, with --to wxr only, replaces each export that changes after
keeping a copy FILE.bak, or FILE.bak.1, .2... when that exists).

warnings (a low-contrast card, a colour refused, no figures for a date) are
printed and counted in the summary; they do not fail the run unless
--fail-on warning or --strict.

exit status:
  0  every post converted (warnings counted, not fatal)
  1  some post could not be converted (written through unchanged), a tag
     failed to render, an input could not be read (in full: also what
     --recover had to skip), or a warning with --fail-on warning / --strict
  2  unusable input or arguments (no input could be read, a filter that
     matches no post, an unusable --stats source) or an output that cannot
     be written; nothing is written then
"""


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "convert", help="convert every post of exports (WXR, REST JSON, files) to HTML pages, a WXR or JSON Lines",
        description="Convert the posts of WordPress exports (WXR .xml, REST API .json/.jsonl, or folders of "
                    ".html/.txt/.md files): render their shortcodes, repair their quotes, strip them, or keep "
                    "them; write a static site, the rewritten export, or JSON Lines.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="exports, REST JSON files, post files or folders")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="html: a folder; wxr: a file (one input) or a folder; jsonl: a file, or - for stdout")
    p.add_argument("--to", choices=RegistryChoices("shortcodes.jobs.outputs:OUTPUTS"),
                   help="output format (default: wxr when every input is a WordPress export, else jsonl)")
    p.add_argument("--mode", choices=RegistryChoices("shortcodes.jobs.modes:MODES"), default="render",
                   help="what happens to the shortcodes (default: render)")
    p.add_argument("--tags", metavar="A,B", action="append",
                   help="names that count as shortcodes (default: the tags with a template or handler here, "
                        "as only registered tags are shortcodes on a WordPress site)")
    p.add_argument("--all-tags", action="store_true",
                   help="count every name that is a shortcode by the inventory's rule (not [1], [citation needed])")
    add_templates(p)
    add_plugins(p)
    add_locale(p)
    p.add_argument("--as-of", metavar="post-date|latest|DATE", default="latest",
                   help="date of the figures: each post's own publication date (post-date), the latest "
                        "(default), or YYYY-MM-DD")
    add_stats(p)
    add_unknown(p, "render mode, counted tags with no template or handler (default: keep)")
    autop = p.add_mutually_exclusive_group()
    autop.add_argument("--autop", dest="autop", action="store_true", default=None,
                       help="run WordPress's wpautop first, as the_content does (default with --to html)")
    autop.add_argument("--no-autop", dest="autop", action="store_false", help="do not run wpautop")
    p.add_argument("--strict", action="store_true",
                   help="a template that fails makes its post fail (written through unchanged), and warnings "
                        "make the run exit 1 (as --fail-on warning)")
    add_fail_on(p)
    add_wordpress(p)
    p.add_argument("--post-type", metavar="TYPE", action="append",
                   help="convert only these post types (repeatable or comma list; default: all, and for a site "
                        "--to html/markdown: post,page; any: every type but attachments, which are named to be "
                        "written, and menu items, reusable blocks, navigation menus, revisions, never written; "
                        "with attachment, each attachment gets its page and gallery links point at it, else at the "
                        "file)")
    p.add_argument("--status", metavar="STATUS", action="append",
                   help="convert only posts with these statuses (repeatable or comma list; default: all, and for "
                        "a site: publish; any: every status)")
    p.add_argument("--flavor", "--flavour", dest="flavor", default="hugo", metavar="NAME",
                   help="--to markdown: the static-site generator: hugo (default), jekyll, astro (MDX) or "
                        "commonmark")
    p.add_argument("--keep-shortcodes", metavar="TAGS|FILE", action="append",
                   help="--to markdown: tags written through, not rendered (comma list: verbatim), or a TOML/JSON "
                        "mapping file of tag = style (verbatim, hugo, mdx, liquid, component, a template)")
    p.add_argument("--media-url", metavar="OLD=NEW", action="append", default=[],
                   help="--to html/markdown: write NEW where a post's text or featured image has the URL prefix OLD "
                        "(the uploads' new place, e.g. https://old.example/wp-content/uploads/=/media/; repeatable)")
    p.add_argument("--uploads", metavar="DIR",
                   help="--to html/markdown: a local copy of the site's wp-content/uploads: the files the written "
                        "posts use (images, srcset sizes, audio, video, featured images) are copied from it into "
                        "the output (Hugo: into each page bundle; Jekyll: assets/uploads/; Astro: public/uploads/; "
                        "html, commonmark: uploads/) and their URLs point at the copies; files it lacks are named "
                        "(-v: per post) and keep their URL, which --media-url then rewrites; never fetched")
    p.add_argument("--protected", action="store_true",
                   help="--to html/markdown: also write password-protected posts, marked as such (default: "
                        "left out, as their text is not public)")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="convert on N processes (default: 1)")
    p.add_argument("--scheduler", metavar="ADDRESS|local:N",
                   help="convert on a Dask cluster: its scheduler's address (tcp://host:8786), or local:N for N "
                        "worker processes here; same output, summary and exit status (pip install "
                        "'wp-shortcodes[dask]'); inputs may then be fsspec URLs of exports (s3://bucket/site.xml), "
                        "each worker reading only its byte range; not with --in-place or --jobs")
    p.add_argument("--parts", metavar="DIR|URL",
                   help="--scheduler: where the workers write their parts, a folder or URL they share with this "
                        "machine (default: a hidden folder beside the output)")
    p.add_argument("--recover", action="store_true",
                   help="read malformed exports as far as possible, as WordPress's importer does")
    p.add_argument("--in-place", action="store_true",
                   help="--to wxr: replace each export that changes, keeping a backup (FILE.bak; FILE.bak.1, .2... "
                        "when that exists: a backup is never replaced); a .gz export stays gzip")
    p.add_argument("--backup-suffix", default=".bak", metavar="SUFFIX",
                   help="suffix of the --in-place backups (default: .bak)")
    p.add_argument("--title", default=None,
                   help="--to html/markdown: the site's title (default: the export's, else 'Converted posts')")
    p.add_argument("--clean", action="store_true",
                   help="--to html: remove the pages an earlier run wrote into the folder that this run does "
                        "not write again (only files listed in its manifest, never others)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary; problems still printed")
    p.add_argument("-v", "--verbose", action="store_true", help="also print informational diagnostics")
    p.set_defaults(run=run)


def _default_to(inputs: list[str]) -> str:
    try:
        return "wxr" if all(detect_format(i) == "wxr" for i in inputs) else "jsonl"
    except ExportError:
        return "jsonl"


def _count_items(inputs: list[str], recover: bool) -> "int | None":
    """A quick count of the posts, for the progress bar (None when unknown)."""
    total = 0
    for item in inputs:
        p = Path(item)
        try:
            kind = detect_format(p)
        except ExportError:
            return None
        if kind == "wxr":
            try:
                with binary_stream(p) as f:
                    tail = b""
                    while True:
                        chunk = f.read(1 << 20)
                        if not chunk:
                            break
                        data = tail + chunk
                        total += data.count(b"<item>") + data.count(b"<item ")
                        tail = data[-6:]
                        total -= tail.count(b"<item>") + tail.count(b"<item ")
            except OSError:
                return None
        elif kind == "folder":
            total += sum(1 for q in p.rglob("*") if q.suffix.lower() in TEXT_SUFFIXES)
        elif kind == "rest":
            return None
        else:
            total += 1
    return total


def _media_urls(values: list[str]) -> list[tuple[str, str]]:
    """``--media-url OLD=NEW`` values as pairs (a value without ``=`` or with an empty OLD is refused)."""
    pairs = []
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip():
            raise InputError(f"--media-url {value!r}: give OLD=NEW, e.g. https://old.example/wp-content/uploads/=/media/")
        pairs.append((old.strip(), new.strip()))
    return pairs


def _keep_shortcodes(values: list[str]) -> "tuple[dict[str, Any], tuple[str, ...]]":
    """``--keep-shortcodes``: (rules by tag, the tags), from comma lists and mapping files."""
    from ..markdown import load_rules, rules_from  # reason: the Markdown package only when asked for

    rules: dict[str, Any] = {}
    for value in values:
        if Path(value).suffix.lower() in (".toml", ".json"):
            try:
                rules.update(load_rules(value))
            except (OSError, ValueError) as exc:
                raise InputError(f"--keep-shortcodes {value}: {exc}") from None
        else:
            rules.update(rules_from(split_list([value])))
    return rules, tuple(rules)


def run(args: argparse.Namespace) -> int:
    from ..jobs.convert import ConvertOptions, convert  # here: the parser of every sub-command is built at start-up
    from ..markdown import MarkdownOptions  # reason: the Markdown package only when a command runs

    to: Any = args.to or _default_to(args.inputs)
    if args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: give a number of processes, 1 or more")
    as_of = args.as_of.strip()
    autop = (args.autop if args.autop is not None else to in ("html", "markdown")) and not args.the_content
    keep_rules, keep_tags = _keep_shortcodes(args.keep_shortcodes or [])
    if args.the_content and args.autop:
        raise InputError("--autop and --the-content exclude each other (the_content runs wpautop itself)")
    theme = theme_from(args)
    try:
        options = ConvertOptions(
            mode=args.mode, tags=split_list(args.tags) if args.tags else None, all_tags=args.all_tags,
            templates=tuple(args.templates), locale=args.locale, as_of=as_of, stats=args.stats, autop=autop,
            unknown=args.unknown, strict=args.strict, post_types=split_list(args.post_type),
            statuses=split_list(args.status), plugins=plugins_from(args), protected=args.protected,
            the_content=args.the_content, theme=theme, rtl=args.rtl, keep_shortcodes=keep_tags)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc).replace("as_of=", "--as-of ").replace("mode=", "--mode ")) from None

    if args.parts and not args.scheduler:
        raise InputError("--parts goes with --scheduler (where the workers write their parts)")
    bar = None
    if not args.quiet and sys.stderr.isatty() and not args.scheduler:
        from tqdm import tqdm

        bar = tqdm(total=_count_items(args.inputs, args.recover), unit="post", file=sys.stderr,
                   dynamic_ncols=True, leave=False)
    say: Callable[[str], None] = (bar.write if bar is not None
                                  else lambda line: print(line, file=sys.stderr))

    def on_post(post: Any, result: Any) -> None:  # the bar only: problems are said by on_problem
        assert bar is not None
        bar.update(1)

    def on_problem(problem: Any) -> None:
        if problem.severity != "info" or args.verbose:
            say(str(problem))

    def on_warning(w: Any) -> None:
        say(f"{w}")

    def on_failure(failure: Any) -> None:
        say(cli_text(str(failure)))

    try:
        report = convert(args.inputs, args.output, to=to, options=options, jobs=args.jobs, recover=args.recover,
                         in_place=args.in_place, backup_suffix=args.backup_suffix,
                         on_post=on_post if bar is not None else None,
                         on_warning=on_warning, on_failure=on_failure, site_title=args.title, clean=args.clean,
                         flavor=args.flavor, markdown=MarkdownOptions(keep_shortcodes=keep_rules),
                         media_urls=_media_urls(args.media_url), uploads=args.uploads,
                         fail_on=fail_on_from(args), scheduler=args.scheduler or None, parts=args.parts,
                         on_problem=on_problem,
                         progress=not args.quiet and sys.stderr.isatty() and args.output != "-")
    except InputError as exc:
        raise InputError(cli_text(str(exc))) from None
    except ValueError as exc:
        raise InputError(str(exc) or type(exc).__name__) from None
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(report.summary(), file=sys.stderr)
        if report.backups:
            print(f"backups: {', '.join(report.backups)}", file=sys.stderr)
    return report.exit_status


__all__ = ["register", "run", "EPILOG"]
