"""What counts as a shortcode: the one rule, for the inventory, the renderer and the converter.

``parse()`` with ``tags=None`` reads every bracketed name WordPress would
accept as a tag name, so footnote marks ``[1]``, editorial notes
``[citation needed]``, prose such as ``[simple boat]`` and the JSON arrays of
block comments (``"duotone":["#8c00b7","#fcff41"]``) parse as tags too.
WordPress leaves them alone because no plugin registers them.  The AST keeps
them (it is lossless); :func:`shortcode_reason` tells them apart, by tag name
over all its occurrences (:class:`TagEvidence`):

1. the name is a WordPress core shortcode (:data:`WORDPRESS_TAGS`), or
2. it has a template or handler here (``known``), or
3. it is a well-known plugin's tag (:data:`PLUGIN_TAGS`, or a page-builder
   prefix in :data:`PLUGIN_PREFIXES` such as ``vc_`` or ``et_pb_``), or
4. it looks like a tag name (a letter, then letters, digits, ``_``, ``-``)
   and at least one occurrence has *named* attributes (``a="1"``), encloses
   content (``[x]…[/x]``), is self-closing (``[x /]``), or a closing tag
   ``[/x]`` appears;

otherwise it is bracketed text.

:func:`document_evidence` sums the evidence of one document;
:func:`probable_names` applies the rule to it (what
:meth:`Document.probable_shortcodes` returns, and what
``Renderer(tags=None)`` and ``convert --all-tags`` treat as shortcodes).
:class:`shortcodes.jobs.inventory.Inventory` sums the evidence over a whole
site instead.

>>> from shortcodes import parse
>>> doc = parse('<!-- wp:image {"duotone":["#8c00b7","#fcff41"]} --> [1] [note]x[/note] [gallery]')
>>> sorted(probable_names(doc))
['gallery', 'note']
>>> [sc.name for sc in doc.probable_shortcodes()]
['note', 'gallery']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from .nodes import Document, Shortcode

__all__ = [
    "WORDPRESS_TAGS",
    "PLUGIN_TAGS",
    "PLUGIN_PREFIXES",
    "TagEvidence",
    "shortcode_reason",
    "document_evidence",
    "probable_names",
    "classify_names",
    "shortcodes_only",
    "longest_first",
    "stray_closing_name",
]

#: The shortcodes WordPress core registers (6.x): media and embeds.
WORDPRESS_TAGS = frozenset({"audio", "caption", "wp_caption", "embed", "gallery", "playlist", "video"})

#: Tags of widely used plugins (forms, shops, page builders, COVID-19 widgets seen in real posts).
PLUGIN_TAGS = frozenset({
    "contact-form-7", "contact-form", "gravityform", "gravityforms", "ninja_form", "ninja_forms", "wpforms",
    "formidable", "mc4wp_form", "woocommerce_cart", "woocommerce_checkout", "woocommerce_my_account",
    "products", "product", "product_page", "product_category", "add_to_cart", "recent_products",
    "featured_products", "sale_products", "best_selling_products", "top_rated_products", "shop_messages",
    "rev_slider", "layerslider", "smartslider3", "metaslider", "soliloquy", "envira-gallery", "foogallery",
    "ngg", "nggallery", "ngg_images", "tablepress", "table", "wpdatatable", "toc", "ez-toc", "fbme",
    "instagram-feed", "custom-facebook-feed", "display-posts", "su_button", "box", "code", "sourcecode",
    "googlemaps", "leaflet-map", "pdf-embedder", "wpseo_breadcrumb", "yoast-breadcrumb", "bbp-forum-index",
    "covid19", "covid19-ultimate-card", "covid19-table", "covid-widget", "covid-confirmed", "coronavirus",
    "corona", "corona-map", "corona-table", "corona-line", "corona-chart", "cvct", "cvct-tbl", "cvct-maps",
})

#: Name prefixes of page builders and shortcode packs (Visual Composer/WPBakery, Divi, Avada, Shortcodes
#: Ultimate, Enfold, Elementor's shortcode add-ons, Themify…).
PLUGIN_PREFIXES = ("vc_", "et_pb_", "fusion_", "su_", "av_", "mk_", "cs_", "ux_", "themify_", "tie_",
                   "cmsmasters_", "elementor-", "wpb_", "bt_bb_", "tm_", "kc_")

_TAG_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
#: A closing tag at the start of a ``stray-closing-tag`` diagnostic's span.
_STRAY = re.compile(r"\[/([^\s\]/\[<>&=]+)\]")


@dataclass
class TagEvidence:
    """What the occurrences of one name show (summed over a document, or over all posts)."""

    named_attributes: int = 0
    enclosing: int = 0
    self_closing: int = 0
    closing_tags: int = 0  # [/name], with or without an opening tag


def shortcode_reason(name: str, evidence: TagEvidence, known: Iterable[str] = ()) -> "str | None":
    """Why ``name`` is a shortcode, or ``None`` when it is bracketed text (see the module docs).

    >>> shortcode_reason("gallery", TagEvidence())
    'WordPress core'
    >>> shortcode_reason("covid19-ultimate-card", TagEvidence(), known={"covid19-ultimate-card"})
    'template or handler here'
    >>> shortcode_reason("vc_row", TagEvidence())
    'known plugin'
    >>> shortcode_reason("simple", TagEvidence()) is None     # [simple boat]
    True
    >>> shortcode_reason("note", TagEvidence(enclosing=1)), shortcode_reason("pull", TagEvidence(self_closing=1))
    ('encloses content', 'self-closing')
    >>> shortcode_reason("1", TagEvidence(named_attributes=3)) is None   # not a tag-like name
    True
    """
    if name in WORDPRESS_TAGS:
        return "WordPress core"
    if name in known:
        return "template or handler here"
    lower = name.lower()
    if lower in PLUGIN_TAGS or lower.startswith(PLUGIN_PREFIXES):
        return "known plugin"
    if not _TAG_LIKE.match(name):
        return None
    if evidence.named_attributes:
        return "named attributes"
    if evidence.enclosing:
        return "encloses content"
    if evidence.self_closing:
        return "self-closing"
    if evidence.closing_tags:
        return "has a closing tag"
    return None


def stray_closing_name(source: str, offset: int) -> "str | None":
    """The name of the closing tag ``[/name]`` at ``offset`` (a ``stray-closing-tag`` diagnostic), if any."""
    m = _STRAY.match(source, offset)
    return m.group(1) if m else None


def document_evidence(doc: "Document") -> dict[str, TagEvidence]:
    """The evidence of every name in ``doc``: its shortcodes at any depth and its stray closing tags.

    >>> from shortcodes import parse
    >>> ev = document_evidence(parse('[a k=1] [b]x[/b] [c/] [/d] [e]'))
    >>> {n: (e.named_attributes, e.enclosing, e.self_closing, e.closing_tags) for n, e in ev.items()}
    {'a': (1, 0, 0, 0), 'b': (0, 1, 0, 1), 'c': (0, 0, 1, 0), 'e': (0, 0, 0, 0), 'd': (0, 0, 0, 1)}
    """
    return _evidence(doc, doc.shortcodes)


def _evidence(doc: "Document", shortcodes: "Iterable[Shortcode]") -> dict[str, TagEvidence]:
    out: dict[str, TagEvidence] = {}
    for node in shortcodes:
        ev = out.get(node.name)
        if ev is None:
            ev = out[node.name] = TagEvidence()
        if node.attrs:
            ev.named_attributes += 1
        if node.enclosing:
            ev.enclosing += 1
            ev.closing_tags += 1
        if node.self_closing:
            ev.self_closing += 1
    for d in doc.diagnostics:
        if d.kind == "stray-closing-tag":
            name = stray_closing_name(doc.source, d.span[0])
            if name is not None:
                ev = out.get(name)
                if ev is None:
                    ev = out[name] = TagEvidence()
                ev.closing_tags += 1
    return out


def probable_names(doc: "Document", known: Iterable[str] = ()) -> frozenset[str]:
    """The names of ``doc``'s shortcodes that count as shortcodes by :func:`shortcode_reason`.

    ``known``: the names with a template or handler (they always count).
    """
    return classify_names(doc, known)[0]


def classify_names(doc: "Document", known: Iterable[str] = ()) -> tuple[frozenset[str], frozenset[str]]:
    """``(the names that count as shortcodes, every name)`` of ``doc``'s shortcodes, in one walk."""
    known = frozenset(known)
    shortcodes = doc.shortcodes
    ev = _evidence(doc, shortcodes)
    names = frozenset(n.name for n in shortcodes)
    return frozenset(name for name in names if shortcode_reason(name, ev[name], known) is not None), names


def longest_first(names: Iterable[str]) -> list[str]:
    """``names`` as ``parse(text, tags)`` must get them to read ``[a.b]`` as ``a.b``, as ``tags=None`` does.

    >>> longest_first(["a", "a.b", "c"])
    ['a.b', 'a', 'c']
    """
    return sorted(names, key=lambda n: (-len(n), n))


def shortcodes_only(text: str, known: Iterable[str] = ()) -> "Document":
    """``parse(text)`` with only the names that count as shortcodes in ``text`` recognised.

    The rest is text, as on a WordPress site where no plugin registers them.

    >>> [n.name for n in shortcodes_only("[1] [note]x[/note] [citation needed]").shortcodes]
    ['note']
    """
    from .parser import parse  # here: the parser imports the nodes, which import this module

    doc = parse(text)
    names, every = classify_names(doc, known)
    if names == every:
        return doc
    return parse(text, longest_first(names))
