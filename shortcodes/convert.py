"""Bulk conversion of exported posts: render, repair, strip or keep their shortcodes.

The pipeline behind ``shortcodes convert``, usable from Python:

* :class:`ConvertOptions` says what to do with each post (the ``mode``, which
  tags count, the date of the figures, filters);
* :class:`Converter` converts one post (:meth:`Converter.convert_post`) into a
  :class:`PostResult`: the new content and excerpt, per-tag counts, and the
  problems found, each placed at ``file:line:column`` inside the export;
* :func:`convert_posts` converts a stream of posts in order, on several
  processes if asked (``jobs``), with the same output as on one;
* :func:`convert` reads inputs and writes one of three outputs — a rewritten
  WordPress export (``wxr``), a static site (``html``: one page per post plus
  ``index.html``) or JSON Lines (``jsonl``) — and returns a
  :class:`ConvertReport`.

Modes:

``render``
    shortcodes become HTML (:class:`~shortcodes.renderer.Renderer`: templates,
    handlers, the bundled ``[covid19-ultimate-card]``);
``normalize``
    only the quotes of curly/entity-quoted attribute values are repaired
    (:func:`~shortcodes.serialize.normalize_document`);
``strip``
    the counted tags are removed as WordPress's ``strip_shortcodes()``
    removes registered ones (enclosed content too; ``[[tag]]`` becomes
    ``[tag]``; tags inside HTML attributes stay);
``keep``
    the content is untouched (byte-identical).

Which tags count: ``tags`` (default: the tags with a template or handler
here, :attr:`Renderer.known_tags`, as only registered tags are shortcodes on
a WordPress site), or every valid name with ``all_tags=True``.

A post whose conversion raises is passed through unchanged and reported
(:attr:`PostResult.error`); the run goes on.

>>> from shortcodes.exports import Post
>>> conv = Converter(ConvertOptions(mode="normalize", tags=("x",)))
>>> res = conv.convert_post(Post(id="7", content='a [x k=”v”] [y k=”v”]'))
>>> res.content, dict(res.counts["x"])["repaired"], res.changed
('a [x k="v"] [y k=”v”]', 1, True)
>>> Converter(ConvertOptions(mode="strip", tags=("x",))).convert_post(Post(content="a[x]b[/x]c")).content
'ac'
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import html as _html
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence
from urllib.parse import quote, unquote

from .exports import ExportError, Post, ReadWarning, detect_format, read_posts
from .fileio import InputError, atomic_write_text, atomic_writer
from .nodes import Diagnostic

if TYPE_CHECKING:  # pragma: no cover
    from .renderer import Renderer

__all__ = [
    "MODES",
    "OUTPUT_FORMATS",
    "COUNT_KEYS",
    "ConvertOptions",
    "Problem",
    "PostResult",
    "Converter",
    "ConvertReport",
    "convert_posts",
    "convert",
    "page_path",
    "post_as_of",
    "merge_counts",
]

Mode = Literal["render", "normalize", "strip", "keep"]
OutputFormat = Literal["html", "wxr", "jsonl"]

#: What each post's shortcodes can become.
MODES: tuple[str, ...] = ("render", "normalize", "strip", "keep")
#: What :func:`convert` can write.
OUTPUT_FORMATS: tuple[str, ...] = ("html", "wxr", "jsonl")
#: The keys of every entry of :attr:`PostResult.counts`: ``repaired`` is a
#: tag whose quotes ``normalize`` fixed; ``kept`` one left as written
#: (escaped ``[[tag]]`` included).
COUNT_KEYS: tuple[str, ...] = ("rendered", "kept", "stripped", "repaired", "failed")

# --------------------------------------------------------------------------
# Options and results


@dataclass(frozen=True)
class ConvertOptions:
    """What to do with each post.

    ``mode``: one of :data:`MODES`.  ``tags``: the names that count as
    shortcodes (``None``: those with a template or handler, or every valid
    name when ``all_tags``).  ``templates``, ``locale``, ``unknown``,
    ``strict``: passed to the :class:`~shortcodes.renderer.Renderer`
    (``render`` mode).  ``as_of``: ``"latest"``, ``"post-date"`` (each
    post's ``wp:post_date``) or a ``YYYY-MM-DD`` date.  ``stats``: a data
    source spec for :func:`shortcodes.sources.provider_from_spec` (default:
    the bundled data).  ``autop``: run WordPress's ``wpautop`` first (as
    ``the_content`` does); ``page``: produce a whole HTML5 page per post
    (:meth:`Renderer.render_page`) instead of a fragment.  ``post_types``,
    ``statuses``: convert only posts of these types / statuses (empty: all).

    >>> ConvertOptions(as_of="2021-10-10").as_of
    '2021-10-10'
    >>> ConvertOptions(mode="paint")
    Traceback (most recent call last):
    ...
    ValueError: mode='paint': expected one of render, normalize, strip, keep
    """

    mode: Mode = "render"
    tags: "tuple[str, ...] | None" = None
    all_tags: bool = False
    templates: tuple[str, ...] = ()
    locale: "str | None" = None
    as_of: str = "latest"
    stats: "str | None" = None
    autop: bool = False
    page: bool = False
    unknown: Literal["keep", "strip", "comment", "error"] = "keep"
    strict: bool = False
    post_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode={self.mode!r}: expected one of {', '.join(MODES)}")
        if self.tags is not None:
            object.__setattr__(self, "tags", tuple(dict.fromkeys(
                [self.tags] if isinstance(self.tags, str) else self.tags)))
        object.__setattr__(self, "templates", tuple(os.fspath(t) for t in (
            [self.templates] if isinstance(self.templates, (str, os.PathLike)) else self.templates)))
        object.__setattr__(self, "post_types", tuple(self.post_types))
        object.__setattr__(self, "statuses", tuple(self.statuses))
        if self.as_of not in ("latest", "post-date"):
            try:
                _dt.date.fromisoformat(self.as_of)
            except (TypeError, ValueError):
                raise ValueError(f"as_of={self.as_of!r}: expected 'latest', 'post-date' or a date "
                                 "YYYY-MM-DD") from None

    def accepts(self, post: Post) -> bool:
        """True when ``post`` passes the ``post_types`` and ``statuses`` filters."""
        if self.post_types and post.type not in self.post_types:
            return False
        if self.statuses and post.status not in self.statuses:
            return False
        return True


@dataclass(frozen=True)
class Problem:
    """Something wrong with one post, placed in its file.

    >>> str(Problem("site.xml", 12, 5, "7", "Hello", "error", "render-failed", "[x] not rendered"))
    "site.xml:12:5: error: post 7 ('Hello'): [x] not rendered [render-failed]"
    """

    file: str
    line: int
    column: int
    post_id: str
    title: str
    severity: str
    kind: str
    message: str
    label: str = ""

    def __str__(self) -> str:
        who = self.label or (f"post {self.post_id}" if self.post_id else "post")
        title = self.title if len(self.title) <= 60 else self.title[:59] + "…"
        named = f" ({title!r})" if title else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {who}{named}: {self.message} [{self.kind}]"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"file": self.file, "line": self.line, "column": self.column, "severity": self.severity,
                "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class PostResult:
    """The outcome for one post.

    ``content``/``excerpt``: the new text (the old one when the post failed
    or was filtered out); ``page``: the whole HTML page (``page=True``
    only); ``counts``: tag -> :data:`COUNT_KEYS` -> n; ``problems``: warnings
    and errors (``error`` among them when the post failed); ``notes``:
    informational diagnostics; ``skipped``: filtered out by
    :meth:`ConvertOptions.accepts` (nothing was done).
    """

    content: str
    excerpt: str
    page: "str | None" = None
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()
    error: "Problem | None" = None
    skipped: bool = False
    changed: bool = False

    @property
    def failed(self) -> bool:
        return self.error is not None


def merge_counts(into: dict[str, dict[str, int]], counts: Mapping[str, Mapping[str, int]]) -> None:
    """Add ``counts`` (tag -> key -> n) into ``into``.

    >>> total = {}
    >>> merge_counts(total, {"x": {"kept": 1}}); merge_counts(total, {"x": {"kept": 2, "rendered": 1}})
    >>> total["x"]["kept"], total["x"]["rendered"]
    (3, 1)
    """
    for tag, entry in counts.items():
        mine = into.get(tag)
        if mine is None:
            mine = into[tag] = dict.fromkeys(COUNT_KEYS, 0)
        for key, n in entry.items():
            mine[key] = mine.get(key, 0) + n


def post_as_of(post: Post, as_of: str) -> "tuple[_dt.date | None, str | None]":
    """The date of the figures for ``post`` and, when it cannot be had, why.

    >>> post_as_of(Post(date="2021-10-10 08:30:00"), "post-date")
    (datetime.date(2021, 10, 10), None)
    >>> post_as_of(Post(date="0000-00-00 00:00:00"), "post-date")[1]
    "the post has no usable date ('0000-00-00 00:00:00'); the latest figures were used"
    >>> post_as_of(Post(), "2020-05-01")
    (datetime.date(2020, 5, 1), None)
    """
    if as_of == "latest":
        return None, None
    if as_of != "post-date":
        return _dt.date.fromisoformat(as_of), None
    raw = (post.date or post.date_gmt).strip()
    try:
        return _dt.date.fromisoformat(raw[:10]), None
    except ValueError:
        return None, f"the post has no usable date ({raw!r}); the latest figures were used"


# --------------------------------------------------------------------------
# Converting one post


def _offset_of(text: str, line: "int | None", column: "int | None") -> int:
    """The offset in ``text`` of 1-based ``line``:``column`` (clamped)."""
    if not line:
        return 0
    pos = 0
    for _ in range(line - 1):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return min(len(text), pos + max((column or 1) - 1, 0))


def _problem(post: Post, offset: "int | None", fld: str, severity: str, kind: str, message: str) -> Problem:
    if offset is None:
        line, col = post.source_line, post.source_column
    else:
        line, col = post.position(offset, field=fld)
    return Problem(post.source_file, line, col, post.id, post.title, severity, kind, message, post.label)


class Converter:
    """Converts posts one at a time according to :class:`ConvertOptions`.

    ``renderer`` replaces the one built from the options (``render`` mode;
    its handlers are used; ``tags``/``autop``/``strict`` are the
    renderer's own).  A converter is reusable and keeps no state between
    posts.

    >>> conv = Converter(ConvertOptions(mode="keep"))
    >>> conv.convert_post(Post(content="[gallery]")).changed
    False
    """

    def __init__(self, options: "ConvertOptions | None" = None, *, renderer: "Renderer | None" = None) -> None:
        from .renderer import Renderer

        self.options = options = options or ConvertOptions()
        provider = None
        if options.stats:
            from .sources import provider_from_spec

            provider = provider_from_spec(options.stats)
        if renderer is None:
            renderer = Renderer(templates=options.templates, locale=options.locale, provider=provider,
                                unknown=options.unknown, autop=options.autop, strict=options.strict)
            if options.all_tags:
                tags: "tuple[str, ...] | None" = None
            elif options.tags is not None:
                tags = options.tags
            else:
                tags = tuple(sorted(renderer.known_tags))
            renderer.tags = tags
        self.renderer = renderer
        self.tags: "tuple[str, ...] | None" = renderer.tags
        # Pages for the modes that do not render: nothing counts as a shortcode.
        self._plain = Renderer(templates=options.templates, locale=options.locale, autop=options.autop, tags=())

    # -- one text -------------------------------------------------------------

    def convert_text(self, text: str, *, post: "Post | None" = None, as_of: "_dt.date | None" = None,
                     page: bool = False, fld: str = "content"
                     ) -> tuple[str, Mapping[str, Mapping[str, int]], tuple[Diagnostic, ...]]:
        """``(new text, counts, diagnostics)`` for one text; may raise.

        Diagnostics' spans are offsets in ``text``.
        """
        mode = self.options.mode
        meta = _post_meta(post) if post is not None else None
        if mode == "render":
            r = self.renderer
            res = (r.render_page_result(text, post=meta, as_of=as_of) if page
                   else r.render_result(text, post=meta, as_of=as_of))
            return res.html, res.counts, res.diagnostics
        from .parser import parse

        doc = parse(text, self.tags)
        counts: dict[str, dict[str, int]] = {}

        def count(name: str, key: str) -> None:
            entry = counts.get(name)
            if entry is None:
                entry = counts[name] = dict.fromkeys(COUNT_KEYS, 0)
            entry[key] += 1

        if mode == "keep":
            new = text
            for node in doc.shortcodes:
                count(node.name, "kept")
        elif mode == "normalize":
            from .serialize import normalize_document

            new = normalize_document(doc)
            for node in doc.shortcodes:
                count(node.name, "repaired" if node.recovered and not node.escaped else "kept")
        else:  # strip
            from .wordpress import strip_shortcodes

            tags = self.tags if self.tags is not None else sorted({n.name for n in doc.shortcodes})
            new = strip_shortcodes(text, tags) if tags else text
            inside_html = _html_element_spans(text) if "<" in text else []
            for node in doc.shortcodes:
                if node.escaped or _inside(node.span[0], inside_html):
                    count(node.name, "kept")
                else:
                    count(node.name, "stripped")
        if page:
            new = self._plain.render_page(new, post=meta)
        return new, counts, doc.diagnostics

    # -- one post -------------------------------------------------------------

    def convert_post(self, post: Post) -> PostResult:
        """Convert ``post``'s content (and excerpt); never raises for a bad post."""
        opts = self.options
        if not opts.accepts(post):
            return PostResult(post.content, post.excerpt, skipped=True)
        as_of, why_not = post_as_of(post, opts.as_of)
        problems: list[Problem] = []
        notes: list[Problem] = []
        counts: dict[str, dict[str, int]] = {}
        fld = "content"
        try:
            content, c_counts, c_diags = self.convert_text(post.content, post=post, as_of=as_of,
                                                           page=opts.page, fld="content")
            merge_counts(counts, c_counts)
            self._sort(post, "content", c_diags, problems, notes)
            excerpt = post.excerpt
            if "[" in post.excerpt:
                fld = "excerpt"
                excerpt, e_counts, e_diags = self.convert_text(post.excerpt, post=post, as_of=as_of, fld="excerpt")
                merge_counts(counts, e_counts)
                self._sort(post, "excerpt", e_diags, problems, notes)
        except Exception as exc:  # noqa: BLE001 - one bad post must not stop the run
            return self._failed(post, fld, exc)
        if why_not and any(e.get("rendered") for e in counts.values()):
            problems.append(_problem(post, None, "content", "warning", "no-post-date", why_not))
        changed = content != post.content or excerpt != post.excerpt
        return PostResult(content, excerpt, content if opts.page else None,
                          counts,
                          tuple(problems), tuple(notes), None, False, changed)

    def _sort(self, post: Post, fld: str, diags: Iterable[Diagnostic], problems: list[Problem],
              notes: list[Problem]) -> None:
        for d in diags:
            p = _problem(post, d.span[0], fld, d.severity, d.kind, d.message)
            (notes if d.severity == "info" else problems).append(p)

    def _failed(self, post: Post, fld: str, exc: Exception) -> PostResult:
        from .renderer import RenderError

        text = post.content if fld == "content" else post.excerpt
        if isinstance(exc, RenderError):
            offset: "int | None" = _offset_of(text, exc.line, exc.column) if exc.line else None
            message = exc.reason
        else:
            offset = None
            message = f"{type(exc).__name__}: {exc}"
        error = _problem(post, offset, fld, "error", "post-failed",
                         f"not converted ({message}); written through unchanged")
        page = None
        if self.options.page:
            page = self._plain.render_page(post.content, post=_post_meta(post))
        return PostResult(post.content, post.excerpt, page, problems=(error,), error=error)


def _post_meta(post: Post) -> dict[str, Any]:
    return {"id": post.id, "type": post.type, "status": post.status, "title": post.title, "slug": post.slug,
            "date": post.date, "date_gmt": post.date_gmt, "link": post.link, "author": post.author}


def _html_element_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the HTML elements of ``text`` (as ``wp_html_split`` finds them)."""
    from .wordpress import wp_html_split

    spans = []
    pos = 0
    for i, piece in enumerate(wp_html_split(text)):
        if i % 2:
            spans.append((pos, pos + len(piece)))
        pos += len(piece)
    return spans


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    import bisect

    i = bisect.bisect_right(spans, (offset, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] < offset < spans[i][1]


# --------------------------------------------------------------------------
# Many posts, in order, on one or several processes

_WORKER: "Converter | None" = None


def _init_worker(converter: Converter) -> None:
    global _WORKER
    _WORKER = converter


def _work(chunk: list["Post | None"]) -> list["PostResult | None"]:
    assert _WORKER is not None
    return [None if p is None else _WORKER.convert_post(p) for p in chunk]


def convert_posts(posts: Iterable[Post], converter: "Converter | ConvertOptions | None" = None, *,
                  jobs: int = 1, chunk_size: int = 8) -> Iterator[tuple[Post, PostResult]]:
    """Convert ``posts`` in order: yield ``(post, result)`` for each.

    With ``jobs > 1`` the posts go in chunks of ``chunk_size`` to a pool of
    ``jobs`` processes; results come back in input order and are the same
    as with ``jobs=1``.  At most ``4 * jobs`` chunks are in flight, so
    memory stays flat on a stream of any length.  (The converter reaches the
    workers by ``fork``; on platforms that spawn processes it must pickle.)

    >>> from shortcodes.exports import Post
    >>> [r.content for _, r in convert_posts([Post(content='[x a=”1”]')], ConvertOptions(mode="normalize", tags=("x",)))]
    ['[x a="1"]']
    """
    if not isinstance(converter, Converter):
        converter = Converter(converter)
    if jobs <= 1:
        for post in posts:
            yield post, converter.convert_post(post)
        return
    import multiprocessing

    try:
        context: Any = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        context = multiprocessing.get_context()
    pending: deque[tuple[list[Post], "Future[list[PostResult | None]]"]] = deque()
    opts = converter.options
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(converter,)) as pool:
        it = iter(posts)
        exhausted = False
        while True:
            while not exhausted and len(pending) < 4 * jobs:
                chunk: list[Post] = []
                for post in it:
                    chunk.append(post)
                    if len(chunk) >= chunk_size:
                        break
                if not chunk:
                    exhausted = True
                    break
                # Filtered-out posts are not sent to the workers.
                payload = [p if opts.accepts(p) else None for p in chunk]
                if any(p is not None for p in payload):
                    pending.append((chunk, pool.submit(_work, payload)))
                else:
                    done: "Future[list[PostResult | None]]" = Future()
                    done.set_result([None] * len(chunk))
                    pending.append((chunk, done))
            if not pending:
                break
            chunk, future = pending.popleft()
            for post, result in zip(chunk, future.result()):
                yield post, (result if result is not None
                             else PostResult(post.content, post.excerpt, skipped=True))


# --------------------------------------------------------------------------
# Whole runs: inputs to outputs


@dataclass
class ConvertReport:
    """What :func:`convert` did.

    ``posts_read`` every post read (filtered-out ones included),
    ``posts_converted`` those the filters let through, ``posts_written``
    those written (in ``wxr``: every item, changed or not), ``posts_changed``,
    ``posts_failed``; ``counts`` tag -> :data:`COUNT_KEYS` -> n;
    ``problems`` (the first 10,000; ``problem_count`` counts all) and
    ``read_warnings``; ``outputs``: files written; ``backups``: the
    ``--in-place`` backups made.
    """

    posts_read: int = 0
    posts_converted: int = 0
    posts_written: int = 0
    posts_changed: int = 0
    posts_failed: int = 0
    posts_with_problems: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    read_warnings: list[ReadWarning] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0 clean, 1 some posts had problems (or the input needed recovery)."""
        return 1 if (self.problem_count or self.read_warnings or self.posts_failed) else 0

    def add(self, post: Post, result: PostResult) -> None:
        self.posts_read += 1
        if result.skipped:
            return
        self.posts_converted += 1
        self.posts_changed += result.changed
        self.posts_failed += result.failed
        merge_counts(self.counts, result.counts)
        if result.problems:
            self.posts_with_problems += 1
            self.problem_count += len(result.problems)
            room = 10_000 - len(self.problems)
            if room > 0:
                self.problems.extend(result.problems[:room])

    def summary(self) -> str:
        """A few lines for people: posts, shortcodes per tag, problems.

        >>> r = ConvertReport(posts_read=3, posts_converted=2, posts_written=2)
        >>> merge_counts(r.counts, {"gallery": {"rendered": 2}})
        >>> print(r.summary())
        posts: 3 read, 2 converted, 2 written, 0 changed, 0 failed
        shortcodes:
          gallery  rendered 2
        problems: none
        """
        lines = [f"posts: {self.posts_read} read, {self.posts_converted} converted, {self.posts_written} written, "
                 f"{self.posts_changed} changed, {self.posts_failed} failed"]
        if self.counts:
            lines.append("shortcodes:")
            names = {tag: tag if len(tag) <= 40 else tag[:39] + "…" for tag in self.counts}
            width = max(len(n) for n in names.values())
            for tag in sorted(self.counts):
                entry = self.counts[tag]
                parts = [f"{k} {entry[k]}" for k in COUNT_KEYS if entry.get(k)]
                lines.append(f"  {names[tag].ljust(width)}  {', '.join(parts) or 'none'}")
        else:
            lines.append("shortcodes: none")
        bits = []
        if self.problem_count:
            bits.append(f"{self.problem_count} in {self.posts_with_problems} post"
                        f"{'s' if self.posts_with_problems != 1 else ''}")
        if self.posts_failed:
            bits.append(f"{self.posts_failed} post{'s' if self.posts_failed != 1 else ''} written through unchanged")
        if self.read_warnings:
            bits.append(f"{len(self.read_warnings)} while reading")
        lines.append(f"problems: {'; '.join(bits) if bits else 'none'}")
        return "\n".join(lines)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _guard(out: Path, inputs: Sequence[Path]) -> None:
    for item in inputs:
        if str(out) != "-" and _same_file(out, item):
            raise InputError(f"{out}: refusing to write over an input file (choose another -o, "
                             "or --in-place with --to wxr)")


def _input_files(inputs: Sequence[Path]) -> list[Path]:
    """Every file an input names (the plain files of a folder too)."""
    files: list[Path] = []
    for p in inputs:
        if p.is_dir():
            files.extend(q for q in p.rglob("*") if q.is_file())
        else:
            files.append(p)
    return files


_SLUG_UNSAFE = re.compile(r"[^\w.\-]+")


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFC", unquote(text))
    text = _SLUG_UNSAFE.sub("-", text).strip("-._")
    text = re.sub(r"-{2,}", "-", text)
    return text[:80].rstrip("-._")


def page_path(post: Post, used: "set[str] | None" = None) -> str:
    """Where ``post``'s page goes in a site: ``YYYY/MM/slug.html`` (relative, ``/``-separated).

    The slug is ``wp:post_name`` (percent-encoding decoded), else the
    title, else ``<type>-<id>``; a post without a date goes under
    ``undated/``; a plain file keeps its relative path.  Names already in
    ``used`` get ``-2``, ``-3``… (and the new name is added to ``used``).

    >>> page_path(Post(id="5", type="post", slug="hello-world", date="2021-10-10 12:00:00"))
    '2021/10/hello-world.html'
    >>> page_path(Post(id="9", type="page", slug="%d9%85%d8%b5%d8%b1", date="2020-01-02 00:00:00"))
    '2020/01/مصر.html'
    >>> used = {"2021/10/a.html"}
    >>> page_path(Post(slug="a", date="2021-10-01"), used), page_path(Post(id="3", title="../../etc"), used)
    ('2021/10/a-2.html', 'undated/etc.html')
    """
    if post.fmt in ("html", "text", "markdown"):
        parts = [_slugify(p) for p in post.id.split("/")]
        parts = [p for p in parts if p] or ["post"]
        stem = "/".join(parts[:-1] + [os.path.splitext(parts[-1])[0] or "post"])
    else:
        slug = _slugify(post.slug) or _slugify(post.title) or _slugify(
            f"{post.type or 'post'}-{post.id}" if post.id else f"item-{post.item_index + 1}")
        m = re.match(r"(\d{4})-(\d{2})", post.date or "")
        folder = f"{m.group(1)}/{m.group(2)}" if m and m.group(1) != "0000" else "undated"
        stem = f"{folder}/{slug}"
    path = stem + ".html"
    if used is not None:
        n = 1
        while path.lower() in used or path in used:
            n += 1
            path = f"{stem}-{n}.html"
        used.add(path.lower())
    return path


_INDEX_CSS = """body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
ol{padding-inline-start:1.5rem}li{margin:.25rem 0}time,.sc-index__meta{color:#555;font-size:.9em}
.sc-index__problem{color:#a00}"""


def _index_page(entries: Sequence[tuple[str, str, str, str, bool]], title: str) -> str:
    rows = []
    for path, label, date, kind, failed in entries:
        day = date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date or "") and not date.startswith("0000") else ""
        time = f' <time datetime="{day}">{day}</time>' if day else ""
        meta = f' <span class="sc-index__meta">{_html.escape(kind)}</span>' if kind else ""
        flag = ' <span class="sc-index__problem">(not converted)</span>' if failed else ""
        rows.append(f'<li><a href="{_html.escape(quote(path))}"><bdi>{_html.escape(label)}</bdi></a>'
                    f"{time}{meta}{flag}</li>")
    body = "\n".join(rows)
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_html.escape(title)}</title>\n<style>\n{_INDEX_CSS}\n</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{_html.escape(title)}</h1>\n<p>{len(entries)} page{'s' if len(entries) != 1 else ''}</p>\n"
            f"<ol>\n{body}\n</ol>\n</main>\n</body>\n</html>\n")


def _jsonl_record(post: Post, result: PostResult) -> dict[str, Any]:
    return {
        "id": post.id, "type": post.type, "status": post.status, "title": post.title, "slug": post.slug,
        "date": post.date, "date_gmt": post.date_gmt, "link": post.link, "author": post.author,
        "source": post.source_file, "line": post.source_line, "content_field": post.content_field,
        "content": result.content, "excerpt": result.excerpt, "changed": result.changed,
        "failed": result.failed,
        "counts": {t: {k: n for k, n in c.items() if n} for t, c in sorted(result.counts.items())},
        "diagnostics": [p.to_dict() for p in (*result.problems, *result.notes)],
    }


def convert(
    inputs: "Sequence[str | os.PathLike[str]]",
    output: "str | os.PathLike[str] | None" = None,
    *,
    to: OutputFormat = "jsonl",
    options: "ConvertOptions | None" = None,
    converter: "Converter | None" = None,
    jobs: int = 1,
    recover: bool = False,
    in_place: bool = False,
    backup_suffix: str = ".bak",
    on_post: "Callable[[Post, PostResult], None] | None" = None,
    on_warning: "Callable[[ReadWarning], None] | None" = None,
    site_title: str = "Converted posts",
) -> ConvertReport:
    """Convert every post of ``inputs`` and write the result to ``output``.

    ``to="wxr"``: every input must be a WordPress export; each is copied with
    only the changed ``content:encoded``/``excerpt:encoded`` replaced
    (:func:`shortcodes.wxr.rewrite_wxr`: every other byte kept).  ``output``
    is the file for one input, else a folder (one file per input, same name).
    With ``in_place=True`` (and no ``output``) each input that changes is
    replaced, after a copy of it is kept as ``FILE`` + ``backup_suffix``.

    ``to="html"``: ``output`` is a folder; each post becomes a whole page at
    :func:`page_path`, and ``index.html`` lists them (input order).

    ``to="jsonl"``: ``output`` is a file (``-``: standard output), one JSON
    object per converted post.

    Every file is written atomically; an input is never written over (except
    by ``in_place``).  ``on_post(post, result)`` is called for each post read
    (progress); ``on_warning`` gets the readers' warnings.  Raises
    :class:`~shortcodes.fileio.InputError` (an :class:`ExportError` for an
    unreadable export) for unusable input or arguments.
    """
    if to not in OUTPUT_FORMATS:
        raise InputError(f"--to {to}: expected one of {', '.join(OUTPUT_FORMATS)}")
    paths = [Path(p) for p in inputs]
    if not paths:
        raise InputError("no input given")
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: no such file or folder")
    if in_place:
        if to != "wxr":
            raise InputError("--in-place works only with --to wxr (an export rewritten in place)")
        if output is not None:
            raise InputError("--in-place and -o exclude each other")
        if not backup_suffix or "/" in backup_suffix or os.sep in backup_suffix:
            raise InputError(f"--backup-suffix {backup_suffix!r}: give a file-name suffix such as .bak")
    elif output is None:
        raise InputError("no output: give -o OUT" + (" (or --in-place)" if to == "wxr" else ""))
    if options is None:
        options = converter.options if converter is not None else ConvertOptions()
    if to == "html" and not options.page:
        options = dataclasses.replace(options, page=True)
    elif to != "html" and options.page:
        options = dataclasses.replace(options, page=False)
    if converter is None or converter.options != options:
        try:
            converter = Converter(options, renderer=None if converter is None else converter.renderer)
        except (ValueError, TypeError, OSError) as exc:
            raise InputError(str(exc)) from None
    report = ConvertReport()

    def warn(w: ReadWarning) -> None:
        report.read_warnings.append(w)
        if on_warning is not None:
            on_warning(w)

    def step(post: Post, result: PostResult) -> None:
        report.add(post, result)
        if on_post is not None:
            on_post(post, result)

    originals = _input_files(paths)
    if to == "wxr":
        _convert_wxr(paths, output, converter, jobs, recover, in_place, backup_suffix, originals, report,
                     step, warn)
    elif to == "jsonl":
        out = Path(os.fspath(output))  # type: ignore[arg-type]
        _guard(out, originals)
        with atomic_writer(out) as stream:
            posts = read_posts(paths, recover=recover, on_warning=warn)
            for post, result in convert_posts(posts, converter, jobs=jobs):
                step(post, result)
                if result.skipped:
                    continue
                line = json.dumps(_jsonl_record(post, result), ensure_ascii=False) + "\n"
                stream.write(line.encode("utf-8"))
                report.posts_written += 1
        report.outputs.append(str(out))
    else:
        folder = Path(os.fspath(output))  # type: ignore[arg-type]
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder}: --to html writes a folder, and this is a file")
        used: set[str] = {"index.html"}
        entries: list[tuple[str, str, str, str, bool]] = []
        posts = read_posts(paths, recover=recover, on_warning=warn)
        for post, result in convert_posts(posts, converter, jobs=jobs):
            step(post, result)
            if result.skipped:
                continue
            rel = page_path(post, used)
            target = folder / rel
            _guard(target, originals)
            atomic_write_text(target, result.page if result.page is not None else result.content)
            report.posts_written += 1
            report.outputs.append(str(target))
            label = post.title.strip() or f"({post.label}, no title)"
            entries.append((rel, label, post.date, post.type, result.failed))
        index = folder / "index.html"
        _guard(index, originals)
        atomic_write_text(index, _index_page(entries, site_title))
        report.outputs.append(str(index))
    return report


def _convert_wxr(paths: Sequence[Path], output: Any, converter: Converter, jobs: int, recover: bool,
                 in_place: bool, backup_suffix: str, originals: Sequence[Path], report: ConvertReport,
                 step: Callable[[Post, PostResult], None], warn: Callable[[ReadWarning], None]) -> None:
    from .wxr import read_wxr, rewrite_wxr

    for p in paths:
        kind = "folder" if p.is_dir() else detect_format(p)
        if kind != "wxr":
            raise InputError(f"{p}: --to wxr needs WordPress exports (.xml), and this is "
                             f"{'a folder' if kind == 'folder' else f'a {kind} input'}; use --to jsonl or --to html")
    targets: list[Path] = []
    if in_place:
        targets = list(paths)
    else:
        out = Path(os.fspath(output))
        as_folder = len(paths) > 1 or out.is_dir() or str(output).endswith(("/", os.sep))
        if as_folder:
            if out.exists() and not out.is_dir():
                raise InputError(f"{out}: several exports are written to a folder, and this is a file")
            names = [p.name for p in paths]
            if len(set(names)) != len(names):
                raise InputError("two inputs have the same file name: convert them separately")
            targets = [out / p.name for p in paths]
        else:
            targets = [out]
        for t in targets:
            _guard(t, originals)
    if recover:
        # A malformed export cannot be rewritten byte for byte: say so before writing anything.
        for p in paths:
            try:
                for _ in read_wxr(p, on_warning=lambda w: None):
                    pass
            except ExportError as exc:
                raise InputError(f"{str(exc).split(' (recover=True')[0]}; --to wxr "
                                 "rewrites well-formed exports only: use --recover with --to jsonl or "
                                 "--to html") from None
    for src, dest in zip(paths, targets):
        results = convert_posts(read_wxr(src, on_warning=warn), converter, jobs=jobs)
        try:
            _rewrite_one(src, dest, results, in_place, backup_suffix, originals, report, step, rewrite_wxr)
        finally:
            results.close()  # type: ignore[attr-defined]


def _rewrite_one(src: Path, dest: Path, results: Iterator[tuple[Post, PostResult]], in_place: bool,
                 backup_suffix: str, originals: Sequence[Path], report: ConvertReport,
                 step: Callable[[Post, PostResult], None], rewrite_wxr: Callable[..., Any]) -> None:
    def transform(post: Post, results: Iterator[tuple[Post, PostResult]] = results) -> "Post | None":
        mine, result = next(results)
        if mine.item_index != post.item_index or mine.id != post.id:  # pragma: no cover - defensive
            raise RuntimeError(f"{post.where()}: the reader and the writer disagree about the items")
        step(post, result)
        report.posts_written += 1
        if not result.changed:
            return None
        return dataclasses.replace(post, content=result.content, excerpt=result.excerpt)

    silent: Callable[[ReadWarning], None] = lambda w: None  # noqa: E731 - the reader reports them
    if in_place:
        fd, tmp = tempfile.mkstemp(prefix=f".{src.name}.", suffix=".new", dir=src.parent)
        os.close(fd)
        try:
            before = report.posts_changed
            rewrite_wxr(src, tmp, transform, on_warning=silent)
            if report.posts_changed > before:
                backup = src.with_name(src.name + backup_suffix)
                _guard(backup, [p for p in originals if p != src])
                _copy_atomic(src, backup)
                report.backups.append(str(backup))
                os.chmod(tmp, src.stat().st_mode & 0o7777)
                os.replace(tmp, src)
                report.outputs.append(str(src))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    else:
        rewrite_wxr(src, dest, transform, on_warning=silent)
        report.outputs.append(str(dest))
    for _ in results:  # pragma: no cover - the writer saw fewer items than the reader
        raise RuntimeError(f"{src}: the reader and the writer disagree about the items")


def _copy_atomic(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` atomically (temporary file + rename), keeping its mode and times."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        shutil.copy2(src, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

