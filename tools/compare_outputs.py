#!/usr/bin/env python3
"""Record what the ``shortcodes`` command line does on the shared corpus, and compare two records.

A restructure of the package must not change its behaviour.  This script proves
it from the outside: it only runs ``PYTHON -m shortcodes ...`` and never imports
the package, so the same script works unchanged against any version of it.

    # the reference: an interpreter in which the *old* package is installed
    python3 tools/compare_outputs.py run --python /work/venvs/ref/bin/python --out /work/ref-outputs/bbe89ac
    # the candidate: the same with the new package
    python3 tools/compare_outputs.py run --python /work/venvs/new/bin/python --out /work/new-outputs
    python3 tools/compare_outputs.py compare /work/ref-outputs/bbe89ac /work/new-outputs

``run`` executes a fixed list of cases (1,992 on the corpus of 2026-11-24): ``convert`` on every
export of ``corpus/wxr`` in every ``--mode`` x ``--to``, plus ``--all-tags``,
``--as-of post-date``, ``--autop``/``--no-autop``, ``--recover``, ``--jobs 2``,
filters, ``--in-place`` on copies, several inputs at once; ``inventory`` in
every ``--format``; ``parse``, ``normalize``, ``render`` and ``convert`` on the
seed article and on every file of ``corpus/posts``; ``gallery``; every
``--help``; and the failures (malformed exports, ``--to wxr`` on a text file,
missing files, bad options), whose messages and exit status are behaviour too.
Each case gets a folder ``OUT/<case>/`` holding

``command``
    the command line as run (``shortcodes ARGS``; stdin, if any).
``exit_status``
    the exit status (``timeout`` when the case was stopped after ``--timeout``).
``stdout``, ``stderr``
    what it printed, normalised as below.
``files/``
    every file the case wrote or changed in its working folder, and every
    empty folder it made (a ``convert`` that fails leaves its output's folder
    behind: that is behaviour too); ``files/.removed`` lists staged inputs it
    deleted.

``OUT/manifest.json`` (run metadata and per-case timings, which differ from
run to run) is not compared.

How a case is run, so that two runs of the same package give the same bytes:

* Each case runs in a fresh, empty working folder (under ``--work``, default
  the system temporary folder) that holds the symbolic links ``corpus``,
  ``seed`` and ``data`` to the shared folder, plus a few small inputs this
  script writes itself (``inputs/``: a REST API JSON file, a gzipped export,
  staged copies of exports for ``--in-place``, a non-UTF-8 file; ``templates/``:
  a template folder).  Every path on the command line is relative to it
  (``corpus/wxr/X.xml``, ``-o out/site``), so messages that quote paths are the
  same whichever folder the run happens in.  The command never gets a path
  inside the shared folder as an output, and ``--in-place`` only ever runs on
  staged copies: the shared corpus is hashed before and after the run and the
  run fails if it changed.
* Environment: only ``PATH`` and ``HOME`` are passed through; ``LANG`` and
  ``LC_ALL`` are ``C.UTF-8``, ``TZ`` is ``UTC``, ``COLUMNS`` is 80 (argparse
  wraps ``--help`` to the terminal width).  Standard input is empty unless the
  case feeds a file, standard output and error are pipes (so no progress bar).
  ``PYTHONHASHSEED`` is deliberately *not* fixed: output that depends on
  hash order is a bug this comparison should show.
* Normalisation, applied to ``stdout`` and ``stderr`` only (never to output
  files, which are compared byte for byte): the absolute path of the case's
  working folder becomes ``<work>``, that of the shared folder ``<shared>``,
  and the interpreter's ``sys.prefix`` becomes ``<prefix>`` (so tracebacks
  from two virtual environments compare equal when the code is the same).
  The reference run of bbe89ac needed none of them (no case printed an
  absolute path), but a future version that prints one would otherwise differ
  only by the temporary folder's random name.

Nothing else is normalised: no case of the reference writes a time stamp, a
temporary name or anything ordered by chance (two runs were compared
byte for byte; see tools/README.md).

``compare REF NEW`` walks both trees and reports every case whose files,
stdout, stderr or exit status differ (a short unified diff for text, sizes and
the first differing offset for big or binary files) and the cases present in
only one tree; it ends with ``N cases, M files compared, K differ`` and exits 0
when the trees are identical, 1 otherwise.

A case that prints a Python traceback is listed at the end of ``run`` (such a
case is a bug even when both trees agree on it).  ``list`` prints the cases
without running them; ``run --only REGEX`` runs some of them.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import gzip
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

DEFAULT_SHARED = Path("/work/shared")

#: Exports at least this big are "big": they also get ``--jobs 2`` cases.
BIG_EXPORT = 500_000

#: The seed article, relative to the shared folder.
SEED = "seed/hasakah-article.txt"

#: The files of corpus/posts that ``convert`` reads (by suffix).  ``parse``,
#: ``normalize`` and ``render`` take any text file, so they get all of them.
CONVERT_SUFFIXES = (".html", ".txt", ".md", ".jsonl", ".json")

MODES = ("render", "normalize", "strip", "keep")
TARGETS = ("html", "wxr", "jsonl")
FORMATS = ("table", "json", "csv")
COMMANDS = ("parse", "normalize", "render", "convert", "inventory", "gallery")

#: Symbolic links made in every working folder, to folders of the shared one.
SHARED_LINKS = ("corpus", "seed", "data")

#: Text diffs are shown for files up to this size (bytes) ...
TEXT_DIFF_LIMIT = 2_000_000
#: ... and cut to this many lines, of at most this many characters.
DIFF_LINES = 40
LINE_LIMIT = 300

TRACEBACK = "Traceback (most recent call last)"

META_FILES = ("command", "exit_status", "stdout", "stderr")


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """One command line: ``PYTHON -m shortcodes *argv`` in a fresh working folder."""

    name: str
    argv: tuple[str, ...]
    #: a file (relative to the working folder) fed on standard input
    stdin: "str | None" = None
    #: (fixture name, path in the working folder): fixtures copied in before the run
    stage: tuple[tuple[str, str], ...] = ()

    def command_text(self) -> str:
        text = "shortcodes " + shlex.join(self.argv) + "\n"
        if self.stdin:
            text += f"stdin: {self.stdin}\n"
        return text


@dataclass
class Result:
    case: Case
    status: str
    seconds: float
    traceback: bool
    files: int = 0


@dataclass
class Corpus:
    """The shared inputs, as paths relative to a working folder."""

    exports: list[str]           # corpus/wxr/*.xml
    malformed: set[str]          # the exports expat refuses (or that declare a DTD)
    bracketed: set[str]          # the exports whose posts have [tag]-like text
    not_wxr: set[str]            # the .xml files that are not WordPress exports (no <rss> root)
    big: list[str]               # exports of BIG_EXPORT bytes or more, biggest first
    posts: list[str]             # corpus/posts/*
    sizes: dict[str, int] = field(default_factory=dict)


_BRACKET = re.compile(r"\[/?[A-Za-z][\w-]*(?=[\s\]/])")
#: the root element, after the XML declaration, comments and processing instructions
_ROOT_RSS = re.compile(r"(?:\ufeff|\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<rss[\s>]", re.S)


def _well_formed(data: bytes) -> bool:
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return False
    return b"<!DOCTYPE" not in data


def scan_corpus(shared: Path) -> Corpus:
    """List the inputs and sort the exports into groups (with the standard library only)."""
    exports, malformed, bracketed, not_wxr, sizes = [], set(), set(), set(), {}
    for path in sorted((shared / "corpus" / "wxr").glob("*.xml")):
        rel = f"corpus/wxr/{path.name}"
        data = path.read_bytes()
        exports.append(rel)
        sizes[rel] = len(data)
        if not _well_formed(data):
            malformed.add(rel)
        text = data.decode("latin-1").replace("<![CDATA[", "").replace("]]>", "")
        if _BRACKET.search(text):
            bracketed.add(rel)
        if not _ROOT_RSS.match(text):
            not_wxr.add(rel)
    big = sorted((e for e in exports if sizes[e] >= BIG_EXPORT), key=lambda e: (-sizes[e], e))
    posts = [f"corpus/posts/{p.name}" for p in sorted((shared / "corpus" / "posts").iterdir()) if p.is_file()]
    if not exports:
        raise SystemExit(f"no exports in {shared / 'corpus' / 'wxr'}")
    return Corpus(exports, malformed, bracketed, not_wxr, big, posts, sizes)


def _stem(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".xml") else name.replace(".", "_")


# Small inputs written by this script into each working folder that needs them
# (so nothing is copied into the shared folder, and nothing from it into a repository).

REST_JSON = json.dumps([
    {"id": 7, "date": "2020-05-01T10:00:00", "date_gmt": "2020-05-01T08:00:00", "slug": "cards", "status": "publish",
     "type": "post", "link": "https://example.org/cards/", "title": {"rendered": "Cards &#8220;today&#8221;"},
     "content": {"raw": "<p>Egypt:</p>\n[covid19-ultimate-card region=\u201dEG\u201d rtl=\u201dtrue\u201d]\n"
                        "[gallery ids=\"1,2\"]\n[caption id=\"a\"]<img src=\"x.png\"> A photo[/caption]",
                 "rendered": "<p>ignored</p>"},
     "excerpt": {"rendered": "<p>[covid19-ultimate-card region=&#8221;AE&#8221;]</p>"}},
    {"id": 8, "date": "2021-10-10T09:30:00", "slug": "world", "status": "draft", "type": "page",
     "title": {"rendered": "World"}, "content": {"rendered": "[covid19-ultimate-card confirmed-24h=\"true\"] [x]"}},
], indent=1, ensure_ascii=False) + "\n"

TEMPLATES = {
    "templates/caption.html": '<figure class="caption"{% if attrs.id %} id="{{ attrs.id }}"{% endif %}>'
                              '{{ content }}</figure>',
    "templates/gallery.html": '<div class="gallery" data-ids="{{ attrs.ids }}">{{ positional|join(" ") }}</div>',
    "templates/gallery.variants.json": json.dumps(
        [{"title": "Two ids", "attrs": {"ids": "1,2"}},
         {"title": "Pasted", "source": "[gallery ids=\u201d3,4\u201d]", "dir": "rtl"}]) + "\n",
}


def _fixture_bytes(name: str, shared: Path) -> bytes:
    """The bytes of a fixture that :class:`Case.stage` names."""
    if name == "rest.json":
        return REST_JSON.encode()
    if name in TEMPLATES:
        return TEMPLATES[name].encode()
    if name == "not-utf8.txt":
        return b"caf\xe9 [covid19-ultimate-card region=\x94EG\x94]\n"
    if name == "empty.txt":
        return b""
    if name.startswith("gz:"):  # gz:corpus/wxr/X.xml, gzipped without time stamp or name
        return gzip.compress((shared / name[3:]).read_bytes(), mtime=0)
    if name.startswith("copy:"):  # copy:corpus/wxr/X.xml
        return (shared / name[5:]).read_bytes()
    raise KeyError(name)


_TEMPLATE_STAGE = tuple((name, name) for name in TEMPLATES)


def build_cases(corpus: Corpus) -> list[Case]:
    """Every case, in a fixed order.  The names are folder names, unique."""
    cases: list[Case] = []

    def add(name: str, *argv: str, stdin: "str | None" = None, stage: Iterable[tuple[str, str]] = ()) -> None:
        cases.append(Case(name, tuple(argv), stdin, tuple(stage)))

    def out_for(to: str) -> str:
        return {"html": "out/site", "wxr": "out/export.xml", "jsonl": "out/posts.jsonl"}[to]

    # --- the command line itself
    add("help", "--help")
    add("version", "--version")
    add("no-command")
    for command in COMMANDS:
        add(f"help.{command}", command, "--help")

    # --- every export
    for export in corpus.exports:
        s = _stem(export)
        for mode in MODES:
            for to in TARGETS:
                add(f"convert.{s}.{mode}.{to}", "convert", export, "--mode", mode, "--to", to, "-o", out_for(to))
        for fmt in FORMATS:
            add(f"inventory.{s}.{fmt}", "inventory", export, "--format", fmt)
        add(f"convert.{s}.render.jsonl.as-of-post-date", "convert", export, "--as-of", "post-date",
            "--to", "jsonl", "-o", out_for("jsonl"))
        add(f"convert.{s}.render.wxr.autop", "convert", export, "--autop", "--to", "wxr", "-o", out_for("wxr"))
        if export in corpus.bracketed or export in corpus.malformed:
            add(f"convert.{s}.default", "convert", export, "-o", "out/default")
        if export in corpus.bracketed:
            add(f"convert.{s}.render.jsonl.recover", "convert", export, "--recover", "--to", "jsonl",
                "-o", out_for("jsonl"))
            add(f"inventory.{s}.json.recover", "inventory", export, "--recover", "--format", "json")
            for mode in ("render", "normalize", "strip"):
                for to in TARGETS:
                    add(f"convert.{s}.{mode}.{to}.all-tags", "convert", export, "--all-tags", "--mode", mode,
                        "--to", to, "-o", out_for(to))
            add(f"convert.{s}.render.html.all-tags.as-of-post-date", "convert", export, "--all-tags",
                "--as-of", "post-date", "--to", "html", "-o", out_for("html"))
            add(f"convert.{s}.render.html.all-tags.no-autop", "convert", export, "--all-tags", "--no-autop",
                "--to", "html", "-o", out_for("html"))
            add(f"convert.{s}.render.jsonl.all-tags.autop", "convert", export, "--all-tags", "--autop",
                "--to", "jsonl", "-o", out_for("jsonl"))
            add(f"convert.{s}.render.jsonl.all-tags.verbose", "convert", export, "--all-tags", "-v",
                "--to", "jsonl", "-o", out_for("jsonl"))
            # the package has templates for none of the corpus's tags: render them with templates/
            for to in ("html", "jsonl"):
                add(f"convert.{s}.render.{to}.all-tags.templates", "convert", export, "--all-tags",
                    "--templates", "templates", "--to", to, "-o", out_for(to), stage=_TEMPLATE_STAGE)
            add(f"convert.{s}.render.wxr.all-tags.unknown-strip", "convert", export, "--all-tags",
                "--unknown", "strip", "--to", "wxr", "-o", out_for("wxr"))
            add(f"convert.{s}.render.jsonl.all-tags.unknown-comment", "convert", export, "--all-tags",
                "--unknown", "comment", "--to", "jsonl", "-o", out_for("jsonl"))
        else:
            add(f"convert.{s}.render.wxr.all-tags", "convert", export, "--all-tags", "--to", "wxr",
                "-o", out_for("wxr"))
        if export in corpus.malformed:
            for mode in MODES:
                for to in TARGETS:
                    add(f"convert.{s}.{mode}.{to}.recover", "convert", export, "--recover", "--mode", mode,
                        "--to", to, "-o", out_for(to))
            add(f"convert.{s}.render.html.recover.all-tags", "convert", export, "--recover", "--all-tags",
                "--to", "html", "-o", out_for("html"))
            for fmt in FORMATS:
                add(f"inventory.{s}.{fmt}.recover", "inventory", export, "--recover", "--format", fmt)

    # --- big exports on two processes (same output as one)
    for export in corpus.big[:3]:
        s = _stem(export)
        for to in ("html", "wxr"):
            add(f"convert.{s}.render.{to}.all-tags.jobs2", "convert", export, "--all-tags", "--jobs", "2",
                "--to", to, "-o", out_for(to))
    if corpus.big:
        s = _stem(corpus.big[0])
        add(f"convert.{s}.strip.jsonl.all-tags.jobs2", "convert", corpus.big[0], "--all-tags", "--mode", "strip",
            "--jobs", "2", "--to", "jsonl", "-o", out_for("jsonl"))

    # --- several exports at once
    wellformed = [e for e in corpus.exports if e not in corpus.malformed]
    shortcoded = [e for e in corpus.exports if e in corpus.bracketed]
    exports = [e for e in corpus.exports if e not in corpus.not_wxr]  # (one non-WXR input fails the whole run)
    add("convert.all-xml.render.jsonl.recover", "convert", *corpus.exports, "--recover", "--to", "jsonl",
        "-o", "out/all.jsonl")
    add("convert.all-exports.render.jsonl.recover", "convert", *exports, "--recover", "--to", "jsonl",
        "-o", "out/all.jsonl")
    add("convert.all-exports.render.html.recover.all-tags", "convert", *exports, "--recover", "--all-tags",
        "--to", "html", "-o", "out/site")
    add("convert.all-exports.strip.jsonl.recover.all-tags", "convert", *exports, "--recover", "--all-tags",
        "--mode", "strip", "--to", "jsonl", "-o", "out/all.jsonl")
    add("convert.all-exports.wxr.no-recover", "convert", *exports, "--to", "wxr", "-o", "out/wxr")
    add("convert.wellformed-exports.render.wxr.all-tags", "convert", *wellformed, "--all-tags", "--to", "wxr",
        "-o", "out/wxr")
    add("convert.shortcoded-exports.normalize.wxr.all-tags", "convert", *shortcoded, "--all-tags",
        "--mode", "normalize", "--to", "wxr", "-o", "out/wxr")
    add("convert.shortcoded-exports.strip.jsonl.stdout", "convert", *shortcoded, "--all-tags", "--mode", "strip",
        "--to", "jsonl", "-o", "-")
    add("convert.wxr-folder.jsonl", "convert", "corpus/wxr", "--to", "jsonl", "-o", "out/posts.jsonl")
    add("inventory.all-xml.json.recover", "inventory", *corpus.exports, "--recover", "--format", "json")
    for fmt in FORMATS:
        add(f"inventory.all-exports.{fmt}.recover", "inventory", *exports, "--recover", "--format", fmt)
    add("inventory.all-exports.json.no-recover", "inventory", *exports, "--format", "json")
    add("inventory.all-exports.csv.output", "inventory", *exports, "--recover", "--format", "csv",
        "-o", "out/tags.csv")
    add("inventory.all-exports.json.examples1.quiet", "inventory", *exports, "--recover", "--format", "json",
        "--examples", "1", "-q")

    # --- options of convert on one export rich in shortcodes
    rich = max(shortcoded, key=lambda e: (corpus.sizes[e], e)) if shortcoded else corpus.exports[0]
    r = _stem(rich)
    for unknown in ("strip", "comment", "error"):
        add(f"convert.{r}.render.html.all-tags.unknown-{unknown}", "convert", rich, "--all-tags",
            "--unknown", unknown, "--to", "html", "-o", "out/site")
    add(f"convert.{r}.render.jsonl.tags-caption-gallery", "convert", rich, "--tags", "caption,gallery",
        "--to", "jsonl", "-o", "out/posts.jsonl")
    add(f"convert.{r}.strip.wxr.tags-repeated", "convert", rich, "--tags", "caption", "--tags", "audio",
        "--mode", "strip", "--to", "wxr", "-o", "out/export.xml")
    add(f"convert.{r}.render.html.templates", "convert", rich, "--templates", "templates", "--to", "html",
        "-o", "out/site", stage=_TEMPLATE_STAGE)
    add(f"convert.{r}.render.html.templates.strict", "convert", rich, "--templates", "templates", "--strict",
        "--all-tags", "--to", "html", "-o", "out/site", stage=_TEMPLATE_STAGE)
    add(f"convert.{r}.render.html.locale-ar-EG.title", "convert", rich, "--locale", "ar-EG", "--title",
        "Converted — محوَّل", "--to", "html", "-o", "out/site")
    add(f"convert.{r}.render.html.post-type-page", "convert", rich, "--post-type", "page", "--to", "html",
        "-o", "out/site")
    add(f"convert.{r}.render.jsonl.post-type-list", "convert", rich, "--post-type", "post,attachment",
        "--post-type", "nav_menu_item", "--to", "jsonl", "-o", "out/posts.jsonl")
    add(f"convert.{r}.render.jsonl.status", "convert", rich, "--status", "publish", "--status", "draft,private",
        "--all-tags", "--to", "jsonl", "-o", "out/posts.jsonl")
    add(f"convert.{r}.render.jsonl.quiet", "convert", rich, "-q", "--all-tags", "--to", "jsonl",
        "-o", "out/posts.jsonl")
    add(f"convert.{r}.render.jsonl.as-of-date", "convert", rich, "--as-of", "2020-06-01", "--to", "jsonl",
        "-o", "out/posts.jsonl")
    add(f"convert.{r}.render.jsonl.as-of-latest", "convert", rich, "--as-of", "latest", "--to", "jsonl",
        "-o", "out/posts.jsonl")

    # --- --in-place and writing over an input, on copies in the working folder
    # (the two smallest exports with shortcodes; rendered with templates/, so that they change)
    for i, export in enumerate(sorted(shortcoded, key=lambda e: (corpus.sizes[e], e))[:2]):
        s = _stem(export)
        staged = f"inputs/{export.rsplit('/', 1)[-1]}"
        copy = (f"copy:{export}", staged)
        add(f"convert.{s}.normalize.wxr.all-tags.in-place", "convert", staged, "--all-tags", "--mode", "normalize",
            "--to", "wxr", "--in-place", stage=[copy])
        add(f"convert.{s}.render.wxr.all-tags.templates.in-place", "convert", staged, "--all-tags",
            "--templates", "templates", "--to", "wxr", "--in-place", stage=[copy, *_TEMPLATE_STAGE])
        add(f"convert.{s}.render.wxr.all-tags.unknown-comment.in-place.suffix", "convert", staged, "--all-tags",
            "--templates", "templates", "--unknown", "comment", "--to", "wxr", "--in-place",
            "--backup-suffix", ".orig", stage=[copy, *_TEMPLATE_STAGE])
        if i == 0:
            add(f"convert.{s}.keep.wxr.in-place", "convert", staged, "--mode", "keep", "--to", "wxr",
                "--in-place", stage=[copy])
            add(f"convert.{s}.wxr.over-input", "convert", staged, "--all-tags", "--to", "wxr", "-o", staged,
                stage=[copy])
            add(f"convert.{s}.html.in-place-refused", "convert", staged, "--to", "html", "--in-place",
                "-o", "out/site", stage=[copy])
            add(f"inventory.{s}.csv.over-input", "inventory", staged, "--format", "csv", "-o", staged, stage=[copy])
            gz = f"inputs/{export.rsplit('/', 1)[-1]}.gz"
            add(f"convert.{s}.gz.render.wxr.all-tags", "convert", gz, "--all-tags", "--to", "wxr",
                "-o", "out/export.xml", stage=[(f"gz:{export}", gz)])
            add(f"convert.{s}.gz.render.jsonl.all-tags", "convert", gz, "--all-tags", "--to", "jsonl",
                "-o", "out/posts.jsonl", stage=[(f"gz:{export}", gz)])
            add(f"inventory.{s}.gz.json", "inventory", gz, "--format", "json", stage=[(f"gz:{export}", gz)])

    # --- a REST API JSON file (written by this script)
    rest = ("rest.json", "inputs/posts.json")
    for mode in MODES:
        for to in ("html", "jsonl"):
            add(f"convert.rest-json.{mode}.{to}", "convert", "inputs/posts.json", "--mode", mode, "--to", to,
                "-o", out_for(to), stage=[rest])
    add("convert.rest-json.render.html.as-of-post-date", "convert", "inputs/posts.json", "--as-of", "post-date",
        "--to", "html", "-o", "out/site", stage=[rest])
    add("convert.rest-json.default", "convert", "inputs/posts.json", "-o", "out/default", stage=[rest])
    add("convert.rest-json.wxr", "convert", "inputs/posts.json", "--to", "wxr", "-o", "out/export.xml", stage=[rest])
    add("inventory.rest-json.table", "inventory", "inputs/posts.json", stage=[rest])

    # --- the seed article and every file of corpus/posts
    texts = [SEED] + corpus.posts
    wxr_refusals: set[str] = set()
    for text in texts:
        s = _stem(text)
        add(f"parse.{s}", "parse", text)
        add(f"normalize.{s}", "normalize", text)
        add(f"normalize.{s}.check", "normalize", "--check", text)
        add(f"render.{s}", "render", text)
        add(f"render.{s}.page.autop.as-of", "render", text, "--page", "--autop", "--as-of", "2021-10-10",
            "-o", "out/page.html")
        if text == SEED or text.endswith(CONVERT_SUFFIXES):
            # every mode to JSON Lines, two to HTML (the posts folder below gets every mode to HTML)
            for mode in MODES:
                add(f"convert.{s}.{mode}.jsonl", "convert", text, "--mode", mode, "--to", "jsonl",
                    "-o", out_for("jsonl"))
            for mode in ("render", "keep"):
                add(f"convert.{s}.{mode}.html", "convert", text, "--mode", mode, "--to", "html", "-o", out_for("html"))
            add(f"convert.{s}.render.jsonl.all-tags", "convert", text, "--all-tags", "--to", "jsonl",
                "-o", out_for("jsonl"))
            suffix = Path(text).suffix
            if suffix not in wxr_refusals:  # --to wxr on a text input fails: once per kind of file
                wxr_refusals.add(suffix)
                add(f"convert.{s}.wxr", "convert", text, "--to", "wxr", "-o", out_for("wxr"))
            add(f"inventory.{s}.json", "inventory", text, "--format", "json")

    # the posts folder as one input
    for mode in MODES:
        for to in ("html", "jsonl"):
            add(f"convert.posts-folder.{mode}.{to}", "convert", "corpus/posts", "--mode", mode, "--to", to,
                "-o", out_for(to))
    add("convert.posts-folder.render.html.all-tags.as-of-post-date", "convert", "corpus/posts", "--all-tags",
        "--as-of", "post-date", "--to", "html", "-o", "out/site")
    add("convert.posts-folder.default", "convert", "corpus/posts", "-o", "out/default")
    for fmt in FORMATS:
        add(f"inventory.posts-folder.{fmt}", "inventory", "corpus/posts", "--format", fmt)
    add("convert.posts-and-exports.jsonl", "convert", "corpus/posts", *corpus.exports[:3], SEED, "--to", "jsonl",
        "-o", "out/posts.jsonl")

    # --- more of parse / normalize / render, on the seed
    add("parse.seed.strict", "parse", "--strict", SEED)
    add("parse.seed.compact", "parse", "--compact", SEED)
    add("parse.seed.tags", "parse", "--tags", "covid19-ultimate-card", "--compact", SEED)
    add("parse.stdin", "parse", "--compact", "-", stdin=SEED)
    add("normalize.seed.output", "normalize", SEED, "-o", "out/seed.txt")
    add("normalize.seed.tags", "normalize", "--tags", "x", SEED)
    add("normalize.many.check", "normalize", "--check", SEED, *corpus.posts[:6])
    add("normalize.many.output-refused", "normalize", SEED, corpus.posts[0], "-o", "out/x.txt")
    add("normalize.stdin", "normalize", "-", stdin=SEED)
    add("render.stdin.page", "render", "-", "--page", "--as-of", "2021-10-10", stdin=SEED)
    add("render.seed.page.locale-ar-EG", "render", SEED, "--page", "--autop", "--locale", "ar-EG",
        "--as-of", "2021-10-10", "-o", "out/page.html")
    add("render.seed.page.title.verbose", "render", SEED, "--page", "--title", "Title <&>", "-v",
        "--as-of", "2020-04-01")
    add("render.seed.as-of-before-data", "render", SEED, "--as-of", "2019-01-01")
    add("render.seed.as-of-bad", "render", SEED, "--as-of", "10/10/2021")
    add("render.seed.strict", "render", SEED, "--strict", "--as-of", "2021-10-10")
    add("render.seed.tags", "render", SEED, "--tags", "covid19-ultimate-card", "--as-of", "2021-10-10")
    add("render.seed.stats-csv", "render", SEED, "--stats", "data/covid19/worldwide-aggregate.csv",
        "--as-of", "2021-10-10")
    add("render.seed.stats-missing", "render", SEED, "--stats", "data/nope.json")
    add("render.seed.templates", "render", SEED, "--templates", "templates", "--as-of", "2021-10-10",
        stage=_TEMPLATE_STAGE)
    for unknown in ("keep", "strip", "comment", "error"):
        add(f"render.posts.unknown-{unknown}", "render", corpus.posts[0] if corpus.posts else SEED,
            "--unknown", unknown)
    add("convert.seed.render.html.locale-ar-EG.as-of-date", "convert", SEED, "--locale", "ar-EG",
        "--as-of", "2021-10-10", "--to", "html", "-o", "out/site")
    add("convert.seed.render.html.stats-csv", "convert", SEED, "--stats", "data/covid19/worldwide-aggregate.csv",
        "--to", "html", "-o", "out/site")

    # --- gallery
    add("gallery.out", "gallery", "-o", "out/gallery")
    add("gallery.default-folder", "gallery")
    add("gallery.as-of.quiet", "gallery", "-o", "out/gallery", "--as-of", "2021-10-10", "-q")
    add("gallery.tag", "gallery", "-o", "out/gallery", "--tag", "covid19-ultimate-card")
    add("gallery.templates", "gallery", "-o", "out/gallery", "--templates", "templates", stage=_TEMPLATE_STAGE)
    add("gallery.templates.tag", "gallery", "-o", "out/gallery", "--templates", "templates", "--tag", "gallery",
        stage=_TEMPLATE_STAGE)
    add("gallery.unknown-tag", "gallery", "-o", "out/gallery", "--tag", "no-such-template")
    add("gallery.as-of-bad", "gallery", "-o", "out/gallery", "--as-of", "yesterday")

    # --- unusable input or arguments
    first = corpus.exports[0]
    for command in ("parse", "normalize", "render", "convert", "inventory"):
        argv = [command, "corpus/no-such-file.xml"] + (["-o", "out/x"] if command == "convert" else [])
        add(f"error.{command}.missing-file", *argv)
    add("error.convert.no-output", "convert", first, "--to", "html")
    add("error.convert.jobs0", "convert", first, "--jobs", "0", "-o", "out/x.xml")
    add("error.convert.as-of-bad", "convert", first, "--as-of", "soon", "-o", "out/x.xml")
    add("error.convert.mode-bad", "convert", first, "--mode", "bogus", "-o", "out/x.xml")
    add("error.convert.autop-both", "convert", first, "--autop", "--no-autop", "-o", "out/x.xml")
    add("error.convert.stats-missing", "convert", SEED, "--stats", "data/nope.csv", "-o", "out/x.jsonl")
    add("error.convert.wxr-two-inputs-one-file", "convert", *corpus.exports[:2], "--to", "wxr", "-o", "out/x.xml")
    add("error.inventory.format-bad", "inventory", first, "--format", "yaml")
    add("error.inventory.examples-bad", "inventory", first, "--examples", "many")
    add("error.parse.two-files", "parse", SEED, SEED)
    add("error.render.not-utf8", "render", "inputs/not-utf8.txt", stage=[("not-utf8.txt", "inputs/not-utf8.txt")])
    add("error.parse.not-utf8", "parse", "inputs/not-utf8.txt", stage=[("not-utf8.txt", "inputs/not-utf8.txt")])
    add("error.convert.not-utf8", "convert", "inputs/not-utf8.txt", "--to", "jsonl", "-o", "out/x.jsonl",
        stage=[("not-utf8.txt", "inputs/not-utf8.txt")])
    add("convert.empty-file", "convert", "inputs/empty.txt", "--to", "html", "-o", "out/site",
        stage=[("empty.txt", "inputs/empty.txt")])
    add("parse.empty-file", "parse", "inputs/empty.txt", stage=[("empty.txt", "inputs/empty.txt")])
    add("error.unknown-command", "frobnicate")

    names = [c.name for c in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AssertionError(f"duplicate case names: {dupes}")
    return cases


# --------------------------------------------------------------------------- run


def _sha256_tree(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _interpreter_prefix(python: str) -> str:
    out = subprocess.run([python, "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True,
                         check=True, env=_environment())
    return out.stdout.strip()


def _environment() -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC", COLUMNS="80", LINES="24")
    return env


def _normalise(data: bytes, replacements: Sequence[tuple[bytes, bytes]]) -> bytes:
    for old, new in replacements:
        if old:
            data = data.replace(old, new)
    return data


def _snapshot(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root (``rel/`` -> ``dir`` for an empty folder).

    The shared links are not followed; any other symbolic link is recorded as such.
    """
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        links = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = sorted(d for d in dirnames if d not in links)
        if here != root and not filenames and not dirnames and not links:
            found[here.relative_to(root).as_posix() + "/"] = "dir"
        for name in filenames + [d for d in links if not (here == root and d in SHARED_LINKS)]:
            path = here / name
            rel = path.relative_to(root).as_posix()
            found[rel] = "link" if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run_case(case: Case, python: str, shared: Path, out_dir: Path, work_root: Path, prefix: str,
             timeout: float) -> Result:
    """Run one case in a fresh working folder and store what it did under out_dir/<case>/."""
    work = Path(tempfile.mkdtemp(prefix="case-", dir=work_root))
    try:
        for link in SHARED_LINKS:
            if (shared / link).exists():
                (work / link).symlink_to(shared / link, target_is_directory=True)
        for fixture, where in case.stage:
            target = work / where
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_fixture_bytes(fixture, shared))
        before = _snapshot(work)
        stdin = open(work / case.stdin, "rb") if case.stdin else subprocess.DEVNULL
        started = time.monotonic()
        try:
            proc = subprocess.run([python, "-m", "shortcodes", *case.argv], cwd=work, env=_environment(),
                                  stdin=stdin, capture_output=True, timeout=timeout)
            status, stdout, stderr = str(proc.returncode), proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:
            status, stdout, stderr = "timeout", exc.stdout or b"", exc.stderr or b""
        finally:
            if case.stdin:
                stdin.close()  # type: ignore[union-attr]
        seconds = time.monotonic() - started
        replacements = [(str(p).encode(), tag) for p, tag in sorted(
            {(str(work), b"<work>"), (str(work.resolve()), b"<work>"), (str(shared), b"<shared>"),
             (str(shared.resolve()), b"<shared>"), (prefix, b"<prefix>")}, key=lambda x: (-len(x[0]), x))]
        dest = out_dir / case.name
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        (dest / "command").write_text(case.command_text(), encoding="utf-8")
        (dest / "exit_status").write_text(status + "\n", encoding="utf-8")
        (dest / "stdout").write_bytes(_normalise(stdout, replacements))
        (dest / "stderr").write_bytes(_normalise(stderr, replacements))
        after = _snapshot(work)
        written = sorted(rel for rel, digest in after.items() if before.get(rel) != digest)
        for rel in written:
            target = dest / "files" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            src = work / rel
            if rel.endswith("/"):  # an empty folder the case made
                target.mkdir(exist_ok=True)
            elif src.is_symlink():
                target.write_text(f"symlink -> {os.readlink(src)}\n", encoding="utf-8")
            else:
                shutil.copyfile(src, target)
        # a file of the staged fixtures that the case removed
        removed = sorted(set(before) - set(after))
        if removed:
            (dest / "files").mkdir(exist_ok=True)
            (dest / "files" / ".removed").write_text("".join(f"{r}\n" for r in removed), encoding="utf-8")
        return Result(case, status, seconds, TRACEBACK.encode() in stderr, len(written) + bool(removed))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cmd_run(args: argparse.Namespace) -> int:
    shared: Path = args.shared.resolve()
    out_dir: Path = args.out
    python: str = args.python
    if not (shared / "corpus" / "wxr").is_dir():
        print(f"error: {shared}/corpus/wxr is not a folder (give --shared)", file=sys.stderr)
        return 2
    if out_dir.exists() and any(out_dir.iterdir()):
        if not args.force:
            print(f"error: {out_dir} is not empty (use --force to replace it)", file=sys.stderr)
            return 2
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = scan_corpus(shared)
    cases = build_cases(corpus)
    if args.only:
        pattern = re.compile(args.only)
        cases = [c for c in cases if pattern.search(c.name)]
    prefix = _interpreter_prefix(python)
    version = subprocess.run([python, "-m", "shortcodes", "--version"], capture_output=True, text=True,
                             env=_environment()).stdout.strip()
    corpus_hash = _sha256_tree(shared / "corpus")
    print(f"{len(cases)} cases, {python} ({version or 'no version'}), {args.workers} at a time, "
          f"into {out_dir}", flush=True)
    work_root = Path(tempfile.mkdtemp(prefix="compare-outputs-", dir=args.work))
    results: list[Result] = []
    lock = threading.Lock()
    started = time.monotonic()
    last_print = [0.0]

    def progress(result: Result) -> None:
        with lock:
            results.append(result)
            done, now = len(results), time.monotonic()
            elapsed = now - started
            note = ""
            if result.traceback or result.status not in ("0", "1", "2"):
                note = f"  <-- {result.case.name}: exit {result.status}{', traceback' if result.traceback else ''}"
            if args.verbose or note or done == len(cases) or now - last_print[0] >= 5:
                last_print[0] = now
                eta = elapsed / done * (len(cases) - done)
                line = f"[{done:5d}/{len(cases)}] {elapsed:6.1f}s elapsed, ~{eta:5.0f}s to go"
                if args.verbose:
                    line += f"  {result.case.name} exit {result.status} {result.seconds:.2f}s"
                print(line + note, flush=True)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
            futures = [pool.submit(run_case, case, python, shared, out_dir, work_root, prefix, args.timeout)
                       for case in cases]
            for future in concurrent.futures.as_completed(futures):
                progress(future.result())
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    total = time.monotonic() - started
    order = {c.name: i for i, c in enumerate(cases)}
    results.sort(key=lambda r: order[r.case.name])
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    files = sum(r.files for r in results)
    manifest = {
        "python": python, "prefix": prefix, "version": version, "shared": str(shared),
        "corpus_sha256": corpus_hash, "workers": args.workers, "seconds": round(total, 1),
        "cases": len(results), "output_files": files, "exit_statuses": statuses,
        "tracebacks": [r.case.name for r in results if r.traceback],
        "timings": {r.case.name: round(r.seconds, 3) for r in results},
        "note": "not compared: timings differ from run to run",
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    corpus_after = _sha256_tree(shared / "corpus")
    print(f"done: {len(results)} cases, {files} output files (+{4 * len(results)} command/exit/stdout/stderr), "
          f"{total:.1f}s; exit statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    slow = sorted(results, key=lambda r: -r.seconds)[:5]
    print("slowest: " + ", ".join(f"{r.case.name} {r.seconds:.1f}s" for r in slow))
    failed = [r for r in results if r.traceback or r.status not in ("0", "1", "2")]
    for r in failed:
        print(f"TRACEBACK/CRASH: {r.case.name} (exit {r.status}): {r.case.command_text().strip()}")
    if corpus_after != corpus_hash:
        print(f"error: the shared corpus changed during the run ({shared / 'corpus'})", file=sys.stderr)
        return 2
    return 0


# --------------------------------------------------------------------------- compare


def _case_dirs(root: Path) -> dict[str, Path]:
    """Case name -> folder: every folder holding an ``exit_status`` file (one level down)."""
    found = {}
    for child in sorted(root.iterdir()):
        if child.is_dir() and (child / "exit_status").is_file():
            found[child.name] = child
    return found


def _files_of(case_dir: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(case_dir):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            out[path.relative_to(case_dir).as_posix()] = path
        for name in dirnames:  # an empty folder written by a case is part of its output
            path = Path(dirpath, name)
            if not any(path.iterdir()):
                out[path.relative_to(case_dir).as_posix() + "/"] = path
    return out


def _first_difference(a: bytes, b: bytes) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def _clip(line: str, limit: int = LINE_LIMIT) -> str:
    return line if len(line) <= limit else f"{line[:limit]}... ({len(line) - limit} more characters)"


def describe_difference(rel: str, a: bytes, b: bytes) -> list[str]:
    """A few lines saying how two versions of a file differ.

    Always: both sizes, the first differing byte offset and the bytes around it
    (so a difference deep inside one long line, a JSON Lines record say, is
    visible).  For UTF-8 files up to TEXT_DIFF_LIMIT bytes, also a unified diff
    cut to DIFF_LINES lines of at most LINE_LIMIT characters.
    """
    offset = _first_difference(a, b)
    lines = [f"sizes {len(a)} / {len(b)} bytes, first difference at byte {offset}",
             f"at byte {offset}: REF {a[max(0, offset - 30):offset + 50]!r}",
             f"{' ' * len(str(offset))}          NEW {b[max(0, offset - 30):offset + 50]!r}"]
    if max(len(a), len(b)) > TEXT_DIFF_LIMIT:
        lines[0] += " (too big for a text diff)"
        return lines
    try:
        ta, tb = a.decode("utf-8"), b.decode("utf-8")
    except UnicodeDecodeError:
        lines[0] += " (binary)"
        return lines
    diff = [_clip(d) for d in difflib.unified_diff(ta.splitlines(), tb.splitlines(), f"REF/{rel}", f"NEW/{rel}",
                                                   lineterm="", n=2)]
    if len(diff) > DIFF_LINES:
        diff = diff[:DIFF_LINES] + [f"... ({len(diff) - DIFF_LINES} more diff lines)"]
    if not diff:  # only line endings or a final newline differ
        diff = ["(the lines are equal: line endings or the final newline differ)"]
    return lines + diff


def cmd_compare(args: argparse.Namespace) -> int:
    ref, new = args.ref, args.new
    for root in (ref, new):
        if not root.is_dir():
            print(f"error: {root} is not a folder", file=sys.stderr)
            return 2
    ref_cases, new_cases = _case_dirs(ref), _case_dirs(new)
    names = sorted(set(ref_cases) | set(new_cases))
    compared = differing = differing_cases = 0
    out = sys.stdout
    for name in names:
        if name not in new_cases:
            print(f"ONLY IN REF: {name}", file=out)
            differing_cases += 1
            continue
        if name not in ref_cases:
            print(f"ONLY IN NEW: {name}", file=out)
            differing_cases += 1
            continue
        fa, fb = _files_of(ref_cases[name]), _files_of(new_cases[name])
        report: list[str] = []
        for rel in sorted(set(fa) | set(fb)):
            if rel not in fb:
                report.append(f"  only in REF: {rel}")
                differing += 1
                continue
            if rel not in fa:
                report.append(f"  only in NEW: {rel}")
                differing += 1
                continue
            compared += 1
            if rel.endswith("/"):
                continue
            a, b = fa[rel].read_bytes(), fb[rel].read_bytes()
            if a != b:
                differing += 1
                what = {"exit_status": "exit status", "stdout": "stdout", "stderr": "stderr",
                        "command": "command line (the two runs did not run the same case)"}.get(rel, rel)
                if rel == "exit_status":
                    report.append(f"  exit status: {a.decode().strip()} -> {b.decode().strip()}")
                else:
                    lines = describe_difference(rel, a, b)
                    report.append(f"  {what}: {lines[0]}")
                    report.extend("    " + line for line in lines[1:])
        if report:
            differing_cases += 1
            command = (ref_cases[name] / "command").read_text(encoding="utf-8", errors="replace").splitlines()
            print(f"DIFFERS: {name}  ({_clip(command[0] if command else '?', 200)})", file=out)
            for line in report:
                print(line, file=out)
    print(f"{len(names)} cases, {compared} files compared, {differing} differ"
          f" ({differing_cases} cases differ or are missing)", file=out)
    return 0 if differing == 0 and differing_cases == 0 else 1


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compare_outputs.py",
        description="Record the outputs of `shortcodes` on the shared corpus (run), "
                    "and compare two records (compare).",
        epilog="See the module docstring (and tools/README.md) for what a case is and what is normalised.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", help="run every case with PYTHON -m shortcodes and store the results in DIR",
                         description="Run every case with PYTHON -m shortcodes, each in a fresh working folder, "
                                     "and store its output files, stdout, stderr and exit status in "
                                     "DIR/<case>/.")
    run.add_argument("--python", required=True, metavar="PYTHON",
                     help="the interpreter in which the package to record is installed")
    run.add_argument("--out", required=True, type=Path, metavar="DIR", help="the folder to write (made if missing)")
    run.add_argument("--shared", type=Path, default=DEFAULT_SHARED, metavar="DIR",
                     help=f"the shared folder holding corpus/ and seed/ (default: {DEFAULT_SHARED})")
    run.add_argument("--workers", type=int, default=2, metavar="N",
                     help="cases run at the same time (default: 2, the machine's cores)")
    run.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                     help="stop a case after this long and record exit status 'timeout' (default: 300)")
    run.add_argument("--work", type=Path, default=None, metavar="DIR",
                     help="where the working folders are made (default: the system temporary folder)")
    run.add_argument("--only", metavar="REGEX", help="run only the cases whose name matches (for debugging)")
    run.add_argument("--force", action="store_true", help="replace DIR when it is not empty")
    run.add_argument("-v", "--verbose", action="store_true", help="print a line per case")
    run.set_defaults(func=cmd_run)

    cmp_ = sub.add_parser("compare", help="report the cases that differ between two result folders",
                          description="Compare two folders written by `run`: every case whose files, stdout, "
                                      "stderr or exit status differ, and the cases present in only one. "
                                      "Exit 0 when identical, 1 otherwise.")
    cmp_.add_argument("ref", type=Path, metavar="REF", help="the reference result folder")
    cmp_.add_argument("new", type=Path, metavar="NEW", help="the result folder to check against it")
    cmp_.set_defaults(func=cmd_compare)

    lst = sub.add_parser("list", help="print the cases (name and command line) without running them")
    lst.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    lst.set_defaults(func=cmd_list)
    return parser


def cmd_list(args: argparse.Namespace) -> int:
    for case in build_cases(scan_corpus(args.shared.resolve())):
        print(f"{case.name}\t{case.command_text().strip()}")
    return 0


def main(argv: "Sequence[str] | None" = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "workers", 1) < 1:
        print("error: --workers must be 1 or more", file=sys.stderr)
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
