"""What a conversion reports: per post (:class:`PostResult`, :class:`Problem`) and per run (:class:`ConvertReport`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..common.status import ExitStatus, outcome
from ..exports.post import Post
from ..exports.problems import ReadWarning

if TYPE_CHECKING:  # pragma: no cover
    from .inputs import InputFailure

__all__ = ["COUNT_KEYS", "Problem", "PostResult", "ConvertReport", "merge_counts"]

#: How many problems a :class:`ConvertReport` keeps (:attr:`ConvertReport.problems`); all are counted.
PROBLEMS_KEPT = 10_000

#: The keys of every entry of :attr:`PostResult.counts`: ``repaired`` is a
#: tag whose quotes ``normalize`` fixed; ``kept`` one left as written
#: (escaped ``[[tag]]`` included).  (The renderer's own keys,
#: :data:`shortcodes.renderer.COUNT_KEYS`, are a subset.)
COUNT_KEYS: tuple[str, ...] = ("rendered", "kept", "stripped", "repaired", "failed")


@dataclass(frozen=True, kw_only=True)
class Problem:
    """Something wrong with one post, placed in its file.

    >>> str(Problem(file="site.xml", line=12, column=5, post_id="7", title="Hello", severity="error",
    ...             kind="render-failed", message="[x] not rendered"))
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


@dataclass(frozen=True, kw_only=True)
class PostResult:
    """The outcome for one post.

    ``content``/``excerpt``: the new text (the old one when the post failed
    or was filtered out); ``page``: the whole HTML page (``page=True``
    only); ``counts``: tag -> :data:`COUNT_KEYS` -> n; ``problems``: warnings
    and errors (``error`` among them when the post failed); ``notes``:
    informational diagnostics; ``skipped``: filtered out by
    :meth:`ConvertOptions.accepts` (nothing was done); ``stylesheets``: the
    stylesheets the new text needs, when ``inline_styles`` is off (the
    output writes them once).
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
    stylesheets: tuple[str, ...] = ()

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


@dataclass
class ConvertReport:
    """What :func:`convert` did.

    ``posts_read`` every post read (filtered-out ones included),
    ``posts_converted`` those the filters let through, ``posts_written``
    those written (in ``wxr``: every item, changed or not), ``posts_changed``,
    ``posts_failed``; ``counts`` tag -> :data:`COUNT_KEYS` -> n;
    ``problems`` (the first :data:`PROBLEMS_KEPT`; ``problem_count`` counts all, of which
    ``error_count`` errors and ``warning_count`` warnings) and
    ``read_warnings``; ``input_failures``: the inputs that could not be
    read (the others were); ``outputs``: files written; ``backups``: the
    ``--in-place`` backups made; ``notes``: what the run wants said besides
    (a filter value no post has, pages of an earlier run left in the site).
    ``fail_on`` (``"error"`` or ``"warning"``) decides :attr:`exit_status`.
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
    error_count: int = 0
    warning_count: int = 0
    read_warnings: list[ReadWarning] = field(default_factory=list)
    input_failures: "list[InputFailure]" = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fail_on: str = "error"

    @property
    def exit_status(self) -> ExitStatus:
        """0 clean (warnings counted, not fatal unless ``fail_on="warning"``); 1 a post not converted, a tag
        that failed, an input not read (in full: the readers' warnings say what they skipped)."""
        errors = self.posts_failed + self.error_count + len(self.input_failures) + len(self.read_warnings)
        return outcome(errors=errors, warnings=self.warning_count, fail_on=self.fail_on)

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
            for p in result.problems:
                if p.severity == "error":
                    self.error_count += 1
                else:
                    self.warning_count += 1
            self._keep(result.problems)

    def merge(self, part: "ConvertReport") -> None:
        """Add ``part`` (the report of some posts, a unit's say) into this one, as if its posts had been
        added here one by one (:meth:`add`; the first :data:`PROBLEMS_KEPT` problems kept) and its ``posts_written``
        counted; its other lists (warnings, failures, outputs, notes) are not taken."""
        self.posts_read += part.posts_read
        self.posts_converted += part.posts_converted
        self.posts_written += part.posts_written
        self.posts_changed += part.posts_changed
        self.posts_failed += part.posts_failed
        self.posts_with_problems += part.posts_with_problems
        self.problem_count += part.problem_count
        self.error_count += part.error_count
        self.warning_count += part.warning_count
        merge_counts(self.counts, part.counts)
        self._keep(part.problems)

    def _keep(self, problems: "Sequence[Problem]") -> None:
        """Keep ``problems`` in :attr:`problems` up to :data:`PROBLEMS_KEPT` in all."""
        room = PROBLEMS_KEPT - len(self.problems)
        if room > 0:
            self.problems.extend(problems[:room])

    def summary(self) -> str:
        """A few lines for people: posts, shortcodes per tag, problems (errors and warnings apart), notes.

        >>> r = ConvertReport(posts_read=3, posts_converted=2, posts_written=2)
        >>> merge_counts(r.counts, {"gallery": {"rendered": 2}})
        >>> print(r.summary())
        posts: 3 read, 2 converted, 2 written, 0 changed, 0 failed
        shortcodes:
          gallery  rendered 2
        problems: none
        >>> print(ConvertReport(error_count=1, warning_count=1276, posts_with_problems=400).summary())
        posts: 0 read, 0 converted, 0 written, 0 changed, 0 failed
        shortcodes: none
        problems: 1 error, 1276 warnings (in 400 posts)
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
        found = [_plural(n, word) for n, word in ((self.error_count, "error"), (self.warning_count, "warning")) if n]
        if found:
            bits.append(", ".join(found) + f" (in {_plural(self.posts_with_problems, 'post')})")
        if self.posts_failed:
            bits.append(f"{_plural(self.posts_failed, 'post')} written through unchanged")
        if self.read_warnings:
            bits.append(f"{len(self.read_warnings)} while reading")
        if self.input_failures:
            bits.append(f"{_plural(len(self.input_failures), 'input')} not read")
        lines.append(f"problems: {'; '.join(bits) if bits else 'none'}")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
