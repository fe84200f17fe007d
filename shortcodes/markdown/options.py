"""What a caller can choose: :class:`MarkdownOptions`.

>>> MarkdownOptions(keep_shortcodes=["gallery"]).keep_shortcodes["gallery"].style
'verbatim'
>>> MarkdownOptions(old_urls="move")
Traceback (most recent call last):
...
ValueError: old_urls='move': expected alias, keep or none
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from .convert import DEFAULT_KEEP_CLASSES
from .kept import ShortcodeRule, rules_from

__all__ = ["MarkdownOptions"]


@dataclass(frozen=True)
class MarkdownOptions:
    """Options for :func:`shortcodes.markdown.write_markdown`.

    * ``keep_shortcodes``: tag names (written ``verbatim``), or ``{tag: style}``
      / ``{tag: ShortcodeRule}`` (see :mod:`.kept`; :func:`.kept.load_rules`
      reads a TOML/JSON file).  A placeholder whose tag has no rule is written verbatim.
    * ``images``: ``"markdown"`` (``![alt](src)``; ``width``/``height``/``class``/``srcset``
      dropped) or ``"html"`` (every ``<img />`` kept).
    * ``keep_classes``: regular expressions; elements with a matching class stay raw HTML
      (default: WordPress's media markup, galleries, this project's ``sc-`` cards).
    * ``keep_tags``: more element names to keep as raw HTML.
    * ``old_urls``: ``"alias"`` (Hugo ``aliases``, Jekyll ``redirect_from``: redirects from the old
      path), ``"keep"`` (Hugo ``url``, Jekyll ``permalink``: the page stays at its old path) or ``"none"``.
    * ``front_matter``: ``None`` = the flavour's default (CommonMark: none).
    * ``wordpress_id``: write ``wordpress_id`` (traceability back to the export).
    """

    keep_shortcodes: Mapping[str, ShortcodeRule] | Iterable[str] = field(default_factory=dict)
    images: Literal["markdown", "html"] = "markdown"
    keep_classes: tuple[str, ...] = DEFAULT_KEEP_CLASSES
    keep_tags: tuple[str, ...] = ()
    old_urls: Literal["alias", "keep", "none"] = "alias"
    front_matter: bool | None = None
    wordpress_id: bool = True

    def __post_init__(self) -> None:
        spec: Any = self.keep_shortcodes
        if not (isinstance(spec, Mapping) and all(isinstance(v, ShortcodeRule) for v in spec.values())):
            spec = rules_from(spec)
        object.__setattr__(self, "keep_shortcodes", MappingProxyType({k.lower(): v for k, v in spec.items()}))
        object.__setattr__(self, "keep_classes", tuple(self.keep_classes))
        object.__setattr__(self, "keep_tags", tuple(self.keep_tags))
        if self.images not in ("markdown", "html"):
            raise ValueError(f"images={self.images!r}: expected markdown or html")
        if self.old_urls not in ("alias", "keep", "none"):
            raise ValueError(f"old_urls={self.old_urls!r}: expected alias, keep or none")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # the rules are a read-only view, which does not pickle: options go to worker processes by value
        rules: Mapping[str, ShortcodeRule] = self.keep_shortcodes  # type: ignore[assignment]
        return (type(self), (dict(rules), self.images, self.keep_classes, self.keep_tags, self.old_urls,
                             self.front_matter, self.wordpress_id))

    def rule(self, tag: str) -> ShortcodeRule:
        """The rule for ``tag`` (``verbatim`` when none was given)."""
        rules: Mapping[str, ShortcodeRule] = self.keep_shortcodes  # type: ignore[assignment]
        return rules.get(tag.lower()) or ShortcodeRule()
