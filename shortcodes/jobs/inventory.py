"""What shortcodes a site uses: per tag, how often, where, with which attributes.

The first thing to run on an export before migrating it.  Counts come from
parsing each post (:func:`shortcodes.parse`, every valid tag name, content
and excerpt), not from searching the XML, so CDATA, entities and nesting are
handled and each occurrence is one parsed tag.

Bracketed text that is not a shortcode — footnote marks ``[1]``, editorial
notes ``[citation needed]``, prose such as ``[simple boat]``, JavaScript
arrays — parses as a tag too (WordPress would leave it alone because no
plugin registers it).  The rule that tells them apart lives in
:mod:`shortcodes.core.classify` (:func:`shortcode_reason`, re-exported here);
the inventory applies it by tag name over all occurrences in all posts (the
renderer and ``convert --all-tags`` apply it over one post).

>>> from shortcodes.exports import Post
>>> inv = Inventory()
>>> inv.add_post(Post(id="1", content='[gallery ids="1,2"] see [1] and [note]x[/note]'))
>>> inv.add_post(Post(id="2", content='[gallery] [citation needed] [x a=”b”]'))
>>> [(t.name, t.occurrences, t.posts, t.reason) for t in inv.shortcodes()]
[('gallery', 2, 2, 'WordPress core'), ('note', 1, 1, 'encloses content'), ('x', 1, 1, 'named attributes')]
>>> [(t.name, t.samples[0]) for t in inv.bracketed()]
[('1', '[1]'), ('citation', '[citation needed]')]
>>> inv.tag("x").recovered, dict(inv.tag("gallery").attributes)
(1, {'ids': 1})
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..core.classify import (
    PLUGIN_PREFIXES,
    PLUGIN_TAGS,
    WORDPRESS_TAGS,
    TagEvidence,
    shortcode_reason,
    stray_closing_name,
)
from ..core.nodes import Shortcode
from ..core.parser import parse
from ..exports.post import Post

__all__ = [
    "WORDPRESS_TAGS",
    "PLUGIN_TAGS",
    "PLUGIN_PREFIXES",
    "TagEvidence",
    "TagStats",
    "Inventory",
    "shortcode_reason",
    "inventory",
    "csv_safe",
]

@dataclass
class TagStats:
    """Everything counted for one tag name.

    ``occurrences`` counts every parsed tag (escaped ``[[tag]]`` included,
    and also counted in ``escaped``); ``posts`` the posts it appears in;
    ``attributes`` named attribute -> occurrences; ``positional``
    occurrences with positional values (``named``: with named ones);
    ``recovered`` occurrences with
    curly-quote damage (:attr:`Shortcode.recovered`); ``examples`` the first
    post ids; ``places`` where those first occurrences are
    (``file:line:column``); ``samples`` the first opening tags as written.
    ``supported``: a template or handler exists here; ``reason``: why it
    counts as a shortcode (``None``: bracketed text).
    """

    name: str
    occurrences: int = 0
    posts: int = 0
    attributes: Counter = field(default_factory=Counter)
    named: int = 0
    positional: int = 0
    enclosing: int = 0
    self_closing: int = 0
    escaped: int = 0
    recovered: int = 0
    stray_closing: int = 0
    examples: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    supported: bool = False
    reason: "str | None" = None
    _last_post: int = field(default=-1, repr=False)

    @property
    def evidence(self) -> TagEvidence:
        """What :func:`shortcode_reason` decides on."""
        return TagEvidence(self.named, self.enclosing, self.self_closing, self.enclosing + self.stray_closing)

    @property
    def is_shortcode(self) -> bool:
        return self.reason is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "name": self.name, "shortcode": self.is_shortcode, "reason": self.reason,
            "occurrences": self.occurrences, "posts": self.posts,
            "attributes": dict(self.attributes.most_common()), "named": self.named, "positional": self.positional,
            "enclosing": self.enclosing, "self_closing": self.self_closing, "escaped": self.escaped,
            "recovered": self.recovered, "stray_closing": self.stray_closing, "supported": self.supported,
            "wordpress": self.name in WORDPRESS_TAGS, "examples": list(self.examples),
            "places": list(self.places), "samples": list(self.samples),
        }


class Inventory:
    """Counts shortcodes over posts; ``known`` names the tags with a template or handler here.

    Feed it with :meth:`add_post` (or :meth:`add_text`); read it with
    :meth:`shortcodes`, :meth:`bracketed`, :meth:`to_dict`,
    :meth:`format_table`, :meth:`to_csv`.  ``examples`` is how many post
    ids (and places, and samples) to keep per tag.
    """

    def __init__(self, known: Iterable[str] = (), *, examples: int = 5) -> None:
        self.known = frozenset(known)
        self.examples = examples
        self.posts = 0
        self.posts_with_tags = 0
        self._tags: dict[str, TagStats] = {}

    def tag(self, name: str) -> TagStats:
        """The stats of ``name`` (classified), creating empty ones if unseen."""
        stats = self._tags.get(name)
        if stats is None:
            stats = self._tags[name] = TagStats(name, supported=name in self.known)
        stats.reason = shortcode_reason(name, stats.evidence, self.known)
        return stats

    def add_post(self, post: Post) -> None:
        """Count the shortcodes of ``post``'s content and excerpt."""
        self.posts += 1
        found = False
        for fld in ("content", "excerpt"):
            text = post.content if fld == "content" else post.excerpt
            if "[" in text:
                found |= self._add(text, post, fld)
        self.posts_with_tags += found

    def add_text(self, text: str, post_id: str = "", source_file: str = "") -> None:
        """Count the shortcodes of one text (a post of its own)."""
        self.add_post(Post(id=post_id, content=text, source_file=source_file, fmt="text",
                           content_anchors=((0, 1, 1),)))

    def _add(self, text: str, post: Post, fld: str) -> bool:
        doc = parse(text)
        seen = False
        index = self.posts
        for node in doc.walk():
            if not isinstance(node, Shortcode):
                continue
            seen = True
            stats = self._stats(node.name)
            stats.occurrences += 1
            if node.escaped:
                stats.escaped += 1
            if node.recovered:
                stats.recovered += 1
            if node.attrs:
                stats.named += 1
                stats.attributes.update(node.attrs.keys())
            if node.positional:
                stats.positional += 1
            if node.enclosing:
                stats.enclosing += 1
            if node.self_closing:
                stats.self_closing += 1
            self._example(stats, post, fld, node.span[0], ("[" + node.open_tag + "]") if node.escaped
                          else node.open_tag, index)
        for d in doc.diagnostics:
            if d.kind == "stray-closing-tag":
                name = stray_closing_name(text, d.span[0])
                if name is not None:
                    self._stats(name).stray_closing += 1
        return seen

    def _stats(self, name: str) -> TagStats:
        stats = self._tags.get(name)
        if stats is None:
            stats = self._tags[name] = TagStats(name, supported=name in self.known)
        return stats

    def _example(self, stats: TagStats, post: Post, fld: str, offset: int, sample: str, index: int) -> None:
        if stats._last_post != index:
            stats._last_post = index
            stats.posts += 1
            if len(stats.examples) < self.examples:
                stats.examples.append(post.id or post.label)
                stats.places.append(post.where(offset, field=fld))
        if len(stats.samples) < min(self.examples, 3) and sample not in stats.samples:
            stats.samples.append(sample if len(sample) <= 80 else sample[:79] + "…")

    # -- results ---------------------------------------------------------------

    def _classified(self) -> list[TagStats]:
        out = []
        for stats in self._tags.values():
            stats.reason = shortcode_reason(stats.name, stats.evidence, self.known)
            out.append(stats)
        return out

    def all(self) -> list[TagStats]:
        """Every name seen, most frequent first (then by name)."""
        return sorted(self._classified(), key=lambda s: (-s.occurrences, s.name))

    def shortcodes(self) -> list[TagStats]:
        """The names that count as shortcodes (see :func:`shortcode_reason`), most frequent first."""
        return [s for s in self.all() if s.is_shortcode]

    def bracketed(self) -> list[TagStats]:
        """The bracketed text that is not a shortcode, most frequent first."""
        return [s for s in self.all() if not s.is_shortcode]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: ``posts``, ``shortcodes`` and ``bracketed_text``."""
        return {
            "posts": self.posts, "posts_with_brackets": self.posts_with_tags,
            "shortcodes": [s.to_dict() for s in self.shortcodes()],
            "bracketed_text": [s.to_dict() for s in self.bracketed()],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """One row per name: shortcodes first, then bracketed text (``kind`` says which).

        Text cells pass through :func:`csv_safe`: a cell a spreadsheet would
        run as a formula gets a leading ``'``.
        """
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["kind", "name", "occurrences", "posts", "attributes", "positional", "enclosing",
                    "self_closing", "escaped", "recovered", "supported", "wordpress", "reason", "examples",
                    "places", "samples"])
        for s in self.shortcodes() + self.bracketed():
            w.writerow([csv_safe(c) if isinstance(c, str) else c for c in (
                "shortcode" if s.is_shortcode else "text", s.name, s.occurrences, s.posts,
                ";".join(f"{k}={n}" for k, n in s.attributes.most_common()), s.positional, s.enclosing,
                s.self_closing, s.escaped, s.recovered, int(s.supported), int(s.name in WORDPRESS_TAGS),
                s.reason or "", " ".join(s.examples), " ".join(s.places), " | ".join(s.samples))])
        return buf.getvalue()

    def format_table(self, *, width: int = 100) -> str:
        """A plain-text report for a terminal."""
        lines = [f"{self.posts} post{'s' if self.posts != 1 else ''} read, "
                 f"{self.posts_with_tags} with bracketed tags"]
        sc = self.shortcodes()
        if sc:
            rows: list[tuple[str, ...]] = [("TAG", "USES", "POSTS", "DAMAGED", "HERE", "ATTRIBUTES", "EXAMPLE POSTS")]
            for s in sc:
                attrs = ", ".join(f"{k}×{n}" for k, n in s.attributes.most_common(4))
                if len(s.attributes) > 4:
                    attrs += f", +{len(s.attributes) - 4}"
                rows.append((_cut(s.name, 32), str(s.occurrences), str(s.posts), str(s.recovered),
                             "yes" if s.supported else "no", _cut(attrs, 60) or "-", _examples(s)))
            lines.append("")
            lines.append("Shortcodes:")
            lines.extend(_table(rows, width))
        else:
            lines.append("")
            lines.append("Shortcodes: none")
        br = self.bracketed()
        if br:
            rows = [("TEXT", "USES", "POSTS", "EXAMPLE POSTS")]
            for s in br:
                rows.append((_cut(s.samples[0] if s.samples else f"[{s.name}]", 40), str(s.occurrences),
                             str(s.posts), _examples(s)))
            lines.append("")
            lines.append("Bracketed text (not shortcodes):")
            lines.extend(_table(rows, width))
        return "\n".join(lines) + "\n"


#: What starts a formula in a spreadsheet (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    r"""``cell`` as a CSV cell no spreadsheet runs: one starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading ``'`` (OWASP's advice; the ``csv`` module quotes the rest).

    >>> csv_safe('=HYPERLINK("http://x.test","y")'), csv_safe("-2+3"), csv_safe("gallery")
    ('\'=HYPERLINK("http://x.test","y")', "'-2+3", 'gallery')
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _examples(stats: TagStats) -> str:
    return " ".join(_cut(e, 40) for e in stats.examples[:3])


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _table(rows: "Sequence[tuple[str, ...]]", width: int) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        line = "  ".join(c.ljust(w) if i < len(r) - 1 else c for i, (c, w) in enumerate(zip(r, widths)))
        out.append("  " + line.rstrip())
    return out


def inventory(posts: Iterable[Post], known: Iterable[str] = (), *, examples: int = 5) -> Inventory:
    """Count the shortcodes of ``posts``.

    >>> from shortcodes.exports import Post
    >>> inv = inventory([Post(id="3", content="[caption]a[/caption] [top]")])
    >>> [s.name for s in inv.shortcodes()], [s.name for s in inv.bracketed()]
    (['caption'], ['top'])
    """
    inv = Inventory(known, examples=examples)
    for post in posts:
        inv.add_post(post)
    return inv
