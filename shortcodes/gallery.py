"""Galleries: every variant of every template on one static page, to check a theme by eye.

``shortcodes gallery -o gallery/ --templates my-theme/`` (or
:func:`write_gallery`) writes

* ``index.html``: one line per template, linking its page;
* one page per template (``<tag>.html``, see :func:`page_filename`) showing
  its variants side by side, grouped in sections, each with the shortcode
  it was rendered from and the diagnostics the rendering produced.

Which variants a template gets:

* the bundled ``[covid19-ultimate-card]`` (or a theme's replacement
  template): the built-in set of :func:`card_variants`: right to left and
  left to right, default and custom colours, the world and a country, each
  optional row on and off, missing figures (recovered unknown after
  2021-08-04, "no data" for an unknown region and before the first figures),
  long Arabic and English names, the background motif's positions and date
  formats;
* any other template: the tag with no attributes (and, when the template
  uses ``content``, the tag enclosing a sentence of example text);
* in both cases, the variants listed in an optional ``<tag>.variants.json``
  found beside the template (in the ``--templates`` folders, searched in
  order like the templates themselves), after the built-in ones.

``<tag>.variants.json`` holds a list of variants, or ``{"variants": [...]}``.
A variant is an object with ``title`` (required) and either ``attrs`` (an
object of strings) plus an optional ``content`` (the tag then encloses it),
or ``source`` (shortcode text written as it is, e.g. with curly quotes);
optional: ``name`` (the HTML id; default ``file-<n>``), ``section``,
``note``, ``as_of`` (``YYYY-MM-DD``), ``locale`` (``ar-EG``) and ``dir``
(``ltr``/``rtl``: the direction of the page around the variant)::

    [
      {"title": "With a caption", "attrs": {"cite": "Ned Price"}, "content": "A quote."},
      {"title": "As WordPress texturized it", "source": "[pullquote cite=”Ned Price”]Hi[/pullquote]",
       "dir": "rtl", "locale": "ar"}
    ]

The pages depend on nothing but the templates and the figures: two runs
write the same bytes, so a gallery can be committed and diffed.  Every file
is written atomically, and nothing is written when any variant file is
unusable.

>>> [v.name for v in card_variants()][:3]
['rtl-arabic', 'ltr-english', 'ltr-card-rtl-page']
>>> page_filename("covid19-ultimate-card"), page_filename("a.b"), page_filename("index")
('covid19-ultimate-card.html', 'a~2e~b.html', 'index~.html')
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import jinja2
from jinja2 import meta as _jinja_meta
from markupsafe import Markup

from .fileio import atomic_write_text
from .nodes import Diagnostic
from .renderer import Renderer
from .serialize import build_shortcode

if TYPE_CHECKING:  # pragma: no cover
    from .renderer import Handler
    from .sources import Provider

__all__ = [
    "GalleryError",
    "Variant",
    "RenderedVariant",
    "GalleryPage",
    "Gallery",
    "CARD_TAG",
    "card_variants",
    "default_variants",
    "load_variants_file",
    "variants_file",
    "page_filename",
    "build_gallery",
    "check_output",
    "write_gallery",
]

CARD_TAG = "covid19-ultimate-card"
INDEX = "index.html"
VARIANTS_SUFFIX = ".variants.json"

#: The last day with figures for every country in the bundled dataset.
LAST_COUNTRY_DAY = _dt.date(2021, 10, 10)
#: The last day on which JHU reported recoveries (later: recovered/active unknown).
LAST_RECOVERED_DAY = _dt.date(2021, 8, 4)


class GalleryError(ValueError):
    """A gallery cannot be built: an unusable variants file, or an output over the templates.

    The message names the file (and the variant: ``variant 2``).
    """


@dataclass(frozen=True)
class Variant:
    """One way of writing a tag, shown in the gallery.

    ``name`` becomes the HTML id (``v-<name>``) and must be unique within its
    page; ``source`` is the shortcode text rendered; ``as_of`` and
    ``locale`` are given to the renderer; ``dir`` is the direction of the
    page around the variant (``None``: the gallery's, left to right).

    >>> Variant("demo", "A demo", "[x]").section
    'Variants'
    """

    name: str
    title: str
    source: str
    section: str = "Variants"
    note: str = ""
    as_of: _dt.date | None = None
    locale: str | None = None
    dir: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", self.name):
            raise ValueError(f"variant name {self.name!r}: use letters, digits, '-', '_' and '.'")
        if self.dir not in (None, "ltr", "rtl"):
            raise ValueError(f"variant {self.name}: dir={self.dir!r} is not 'ltr' or 'rtl'")


@dataclass(frozen=True)
class RenderedVariant:
    """A variant and what rendering it gave: ``html`` and ``diagnostics``."""

    variant: Variant
    html: str
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def failed(self) -> bool:
        """``True`` when the template (or handler) raised: the page shows the tag's source."""
        return any(d.kind == "render-failed" for d in self.diagnostics)


@dataclass(frozen=True)
class GalleryPage:
    """One template's page: its tag, file name, where the template came from, the variants and the HTML."""

    tag: str
    filename: str
    origin: str
    variants: tuple[RenderedVariant, ...]
    html: str

    @property
    def failures(self) -> int:
        """How many variants failed to render."""
        return sum(v.failed for v in self.variants)


@dataclass(frozen=True)
class Gallery:
    """Every page, and the index linking them (see :func:`build_gallery`)."""

    pages: tuple[GalleryPage, ...]
    index_html: str

    def files(self) -> dict[str, str]:
        """File name → HTML, ``index.html`` first."""
        out = {INDEX: self.index_html}
        out.update((p.filename, p.html) for p in self.pages)
        return out

    def write(self, out_dir: "str | os.PathLike[str]") -> list[Path]:
        """Write every file into ``out_dir`` (made when missing), each atomically; return the paths."""
        folder = Path(out_dir)
        written = []
        for name, html in self.files().items():
            path = folder / name
            atomic_write_text(path, html)
            written.append(path)
        return written

    @property
    def failures(self) -> int:
        """How many variants, on all pages, failed to render."""
        return sum(p.failures for p in self.pages)


# ---------------------------------------------------------------------------
# Variant sets
# ---------------------------------------------------------------------------

# The seed article's Egypt card, exactly as wptexturize left it (curly quotes).
_SEED_EG = ("[covid19-ultimate-card region=”EG” region-name=”مصر” confirmed-label=”اجمالي الحالات” "
            "confirmed-24h=”true” confirmed-24h-label=”الحالات الجديدة” deaths-label=”اجمالي الوفيات” "
            "deaths-24h=”true” deaths-24h-label=”الوفيات الجديدة” deaths-rate=”true” "
            "deaths-rate-label=”نسبة الوفيات” recovered-label=”المتعافون” active-label=”حالات تحت العلاج” "
            "font-color=”#ffffff” bg-color=”#0c3278″ bg-position=”right” rtl=”true” last-update=”Y-m-d H:i” "
            "last-update-label=”تم تحديث البيانات في :”]")
_ALL_ROWS = {"confirmed-24h": "true", "deaths-24h": "true", "deaths-rate": "true"}


def card_variants() -> tuple[Variant, ...]:
    """The built-in variants of ``[covid19-ultimate-card]``, in display order.

    Dates are fixed (mostly :data:`LAST_COUNTRY_DAY`), so the gallery is the
    same on every run; they lie within the bundled dataset.

    >>> vs = card_variants()
    >>> len({v.name for v in vs}) == len(vs)
    True
    >>> sorted({v.section for v in vs})[:3]
    ['Background motif', 'Colours', 'Date formats']
    """
    day, known = LAST_COUNTRY_DAY, LAST_RECOVERED_DAY

    def card(name: str, title: str, section: str, attrs: Mapping[str, str], *, note: str = "",
             as_of: _dt.date | None = day, locale: str | None = None, dir: str | None = None) -> Variant:
        return Variant(name, title, build_shortcode(CARD_TAG, dict(attrs)), section, note, as_of, locale, dir)

    eg_ar = {"region": "EG", "rtl": "true"}
    eg_en = {"region": "EG", "rtl": "false"}
    return (
        # Direction and language
        card("rtl-arabic", "Right to left, Arabic labels", "Direction and language", eg_ar),
        card("ltr-english", "Left to right, English labels", "Direction and language", eg_en),
        card("ltr-card-rtl-page", "English card on a right-to-left page", "Direction and language",
             {"region": "EG"}, dir="rtl", note="the card keeps its own direction inside an Arabic page"),
        card("rtl-locale-ar-eg", "Locale ar-EG: Arabic-Indic digits", "Direction and language",
             {"region": "EG"}, locale="ar-EG"),
        Variant("seed-texturized", "The seed article's card, curly quotes and all", _SEED_EG,
                "Direction and language", "as wptexturize left it in the post", day),
        # Colours
        card("colours-default", "Default colours", "Colours", eg_ar),
        card("colours-custom", "Custom colours (the seed's #0c3278)", "Colours",
             {**eg_ar, "font-color": "#ffffff", "bg-color": "#0c3278"}),
        card("colours-light", "Dark text on a light background", "Colours",
             {**eg_ar, "font-color": "#1a1a1a", "bg-color": "rgb(253, 246, 227)"}),
        card("colours-low-contrast", "Low contrast (warned)", "Colours",
             {**eg_ar, "font-color": "#777777", "bg-color": "#888888"},
             note="rendered as asked, with a low-contrast warning"),
        card("colours-invalid", "A colour that is not CSS (refused)", "Colours",
             {**eg_ar, "bg-color": "red;background:url(x)"}, note="the default is used, with a warning"),
        # Region
        card("region-world", "The world", "Region", {"rtl": "true"}),
        card("region-country", "A country (Egypt)", "Region", eg_ar),
        card("region-world-english", "The world, in English", "Region", {"rtl": "false"}),
        # Optional rows: each off (the default) and on
        card("rows-none", "No optional rows (default)", "Optional rows", eg_ar),
        card("rows-confirmed-24h", "New cases (confirmed-24h)", "Optional rows", {**eg_ar, "confirmed-24h": "true"}),
        card("rows-deaths-24h", "New deaths (deaths-24h)", "Optional rows", {**eg_ar, "deaths-24h": "true"}),
        card("rows-deaths-rate", "Death rate (deaths-rate)", "Optional rows", {**eg_ar, "deaths-rate": "true"}),
        card("rows-all", "All optional rows", "Optional rows", {**eg_ar, **_ALL_ROWS}),
        card("rows-all-english", "All optional rows, in English", "Optional rows", {**eg_en, **_ALL_ROWS}),
        # Missing figures
        card("figures-known", f"Every figure known ({known.isoformat()})", "Missing figures",
             {**eg_ar, **_ALL_ROWS}, as_of=known),
        card("figures-recovered-unknown", f"Recovered and active unknown (after {known.isoformat()})",
             "Missing figures", {**eg_ar, **_ALL_ROWS}, note="JHU stopped reporting recoveries"),
        card("no-data-unknown-region", "No data: an unknown region", "Missing figures",
             {"region": "ZZ", "rtl": "true", "region-name": "منطقة مجهولة"}),
        card("no-data-before", "No data: before the first figures", "Missing figures", eg_ar,
             as_of=_dt.date(2020, 1, 1), note="the date in the sentence stays left to right"),
        card("no-data-before-ar-eg", "No data, locale ar-EG (Arabic-Indic digits)", "Missing figures",
             {"region": "EG"}, as_of=_dt.date(2020, 1, 1), locale="ar-EG"),
        card("no-data-english", "No data, in English", "Missing figures", {"region": "ZZ"}),
        # Long texts
        card("long-arabic-name", "A long Arabic region name", "Long texts",
             {"region": "GB", "rtl": "true",
              "region-name": "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية"}),
        card("long-arabic-labels", "Long Arabic labels", "Long texts",
             {"region": "AE", "rtl": "true", "region-name": "الإمارات العربية المتحدة", **_ALL_ROWS,
              "confirmed-label": "إجمالي الحالات المؤكدة منذ بداية الجائحة",
              "deaths-24h-label": "الوفيات الجديدة المسجلة خلال آخر أربع وعشرين ساعة"}),
        card("long-unbroken-name", "A long name without spaces", "Long texts",
             {"region": "GB", "rtl": "false",
              "region-name": "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"}),
        # Background motif
        card("motif-right", "Motif on the right (default)", "Background motif", {**eg_ar, "bg-position": "right"}),
        card("motif-left", "Motif on the left", "Background motif", {**eg_ar, "bg-position": "left"}),
        card("motif-center", "Motif in the centre", "Background motif", {**eg_ar, "bg-position": "center"}),
        # Date formats
        card("date-default", "Default date format (Y-m-d)", "Date formats", eg_ar),
        card("date-with-time", "Y-m-d H:i on figures without a time", "Date formats",
             {**eg_ar, "last-update": "Y-m-d H:i"}, note="the time is left out, not invented"),
        card("date-long", "A long date format (l, j F Y)", "Date formats", {**eg_en, "last-update": "l, j F Y"}),
        card("date-slashes-rtl", "d/m/Y in a right-to-left card", "Date formats", {**eg_ar, "last-update": "d/m/Y"}),
    )


def default_variants(tag: str, *, uses_content: bool = False) -> tuple[Variant, ...]:
    """What a template without a known variant set gets: the bare tag, and enclosing text if it uses it.

    >>> [v.source for v in default_variants("pullquote", uses_content=True)]
    ['[pullquote]', '[pullquote]An example sentence, with <em>markup</em>.[/pullquote]']
    """
    out = [Variant("bare", "No attributes", build_shortcode(tag), "Defaults")]
    if uses_content:
        out.append(Variant("bare-content", "No attributes, enclosing text",
                           build_shortcode(tag, None, "An example sentence, with <em>markup</em>."), "Defaults"))
    return tuple(out)


_VARIANT_KEYS = frozenset({"name", "title", "section", "note", "attrs", "content", "source", "as_of", "locale", "dir"})


def load_variants_file(path: "str | os.PathLike[str]", tag: str) -> tuple[Variant, ...]:
    """Read ``<tag>.variants.json`` (see the module docs); raise :class:`GalleryError` naming the problem.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "badge.variants.json"
    >>> _ = p.write_text('[{"title": "Red", "attrs": {"color": "red"}}]', encoding="utf-8")
    >>> [(v.name, v.source) for v in load_variants_file(p, "badge")]
    [('file-1', '[badge color="red"]')]
    >>> _ = p.write_text('[{"title": "Red", "atrs": {}}]', encoding="utf-8")
    >>> load_variants_file(p, "badge")
    Traceback (most recent call last):
    ...
    shortcodes.gallery.GalleryError: .../badge.variants.json: variant 1: unknown key 'atrs' (known: as_of, attrs, content, dir, locale, name, note, section, source, title)
    """
    where = os.fspath(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise GalleryError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise GalleryError(f"{where}: not UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise GalleryError(f"{where}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if isinstance(data, dict) and set(data) == {"variants"}:
        data = data["variants"]
    if not isinstance(data, list):
        raise GalleryError(f'{where}: expected a list of variants, or {{"variants": [...]}}')
    out: list[Variant] = []
    for number, item in enumerate(data, 1):
        here = f"{where}: variant {number}"
        if not isinstance(item, dict):
            raise GalleryError(f"{here}: expected an object, not {type(item).__name__}")
        unknown = sorted(set(item) - _VARIANT_KEYS)
        if unknown:
            raise GalleryError(f"{here}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_VARIANT_KEYS))})")
        for key in ("name", "title", "section", "note", "content", "source", "as_of", "locale", "dir"):
            if key in item and not isinstance(item[key], str):
                raise GalleryError(f"{here}: {key} must be a string")
        title = item.get("title", "").strip()
        if not title:
            raise GalleryError(f"{here}: a title is required")
        if "source" in item:
            if "attrs" in item or "content" in item:
                raise GalleryError(f"{here}: give either source, or attrs (and content), not both")
            source = item["source"]
        else:
            attrs = item.get("attrs", {})
            if not isinstance(attrs, dict) or not all(isinstance(v, str) for v in attrs.values()):
                raise GalleryError(f"{here}: attrs must be an object of strings")
            try:
                source = build_shortcode(tag, attrs, item.get("content"))
            except ValueError as exc:
                raise GalleryError(f"{here}: {exc}") from None
        as_of = None
        if item.get("as_of"):
            try:
                as_of = _dt.date.fromisoformat(item["as_of"].strip())
            except ValueError:
                raise GalleryError(f"{here}: as_of {item['as_of']!r} is not a date (use YYYY-MM-DD)") from None
        locale = item.get("locale") or None
        if locale is not None:
            from babel import Locale, UnknownLocaleError

            try:
                Locale.parse(locale.strip().replace("-", "_"))
            except (UnknownLocaleError, ValueError) as exc:
                raise GalleryError(f"{here}: locale {locale!r} is not a known locale ({exc})") from None
        try:
            variant = Variant(item.get("name") or f"file-{number}", title, source,
                              item.get("section") or f"From {Path(where).name}", item.get("note", ""),
                              as_of, locale, item.get("dir") or None)
        except ValueError as exc:
            raise GalleryError(f"{here}: {exc}") from None
        out.append(variant)
    return tuple(out)


def variants_file(tag: str, folders: Sequence["str | os.PathLike[str]"]) -> Path | None:
    """The first ``<tag>.variants.json`` in ``folders``, or ``None``."""
    for folder in folders:
        path = Path(folder) / (tag + VARIANTS_SUFFIX)
        if path.is_file():
            return path
    return None


def page_filename(tag: str) -> str:
    """The file name of ``tag``'s page: lower-case letters, digits, ``-`` and ``_`` kept, others as ``~hex~``.

    Different tags always get different names (also on file systems that
    ignore case), none of them ``index.html``.

    >>> page_filename("ü"), page_filename("Gallery")
    ('~fc~.html', '~47~allery.html')
    """
    slug = re.sub(r"[^a-z0-9_-]", lambda m: f"~{ord(m.group()):x}~", tag)
    if slug == "index":
        slug = "index~"
    return slug + ".html"


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------

_STYLE_RX = re.compile(r'<style data-sc-style="([^"]*)">.*?</style>\n?', re.S)

_PAGE = """\
<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style data-gallery-chrome>
{{ chrome }}
</style>
{{ styles }}
</head>
<body class="gallery">
<header class="gallery-header">
{% if tag %}<p class="gallery-nav"><a href="index.html">All templates</a></p>{% endif %}
<h1 class="gallery-title">{{ heading }}</h1>
{% if intro %}<p class="gallery-intro">{{ intro }}</p>{% endif %}
</header>
<main>
{{ body }}
</main>
<footer class="gallery-footer"><p>Made by <code>shortcodes gallery</code> (wp-shortcodes {{ version }}).</p></footer>
</body>
</html>
"""

_SECTIONS = """\
{% if sections|length > 1 %}
<nav class="gallery-toc" aria-label="Sections"><ul>
{% for section, items in sections %}<li><a href="#s-{{ loop.index }}">{{ section }}</a> ({{ items|length }})</li>
{% endfor %}
</ul></nav>
{% endif %}
{% for section, items in sections %}
<section class="gallery-section" id="s-{{ loop.index }}" aria-labelledby="s-{{ loop.index }}-h">
<h2 class="gallery-section-title" id="s-{{ loop.index }}-h">{{ section }}</h2>
<div class="gallery-grid">
{% for item in items %}{% set v = item.variant %}
<figure class="gallery-variant{% if item.failed %} gallery-variant--failed{% endif %}" id="v-{{ v.name }}" data-variant="{{ v.name }}">
<figcaption class="gallery-caption">
<span class="gallery-variant-title">{{ v.title }}</span>
{% if v.note %}<span class="gallery-note">{{ v.note }}</span>{% endif %}
<span class="gallery-meta">{% if v.as_of %}as of <time datetime="{{ v.as_of.isoformat() }}">{{ v.as_of.isoformat() }}</time>{% else %}latest figures{% endif %}
{%- if v.locale %} · locale <code>{{ v.locale }}</code>{% endif %}
{%- if v.dir %} · page <code>dir="{{ v.dir }}"</code>{% endif %}</span>
<code class="gallery-source" dir="ltr">{{ v.source }}</code>
{% if item.diagnostics %}
<ul class="gallery-diagnostics">
{% for d in item.diagnostics %}<li class="gallery-diagnostic gallery-diagnostic--{{ d.severity }}" data-kind="{{ d.kind }}">{{ d.severity }}: {{ d.message }} <code>[{{ d.kind }}]</code></li>
{% endfor %}
</ul>
{% endif %}
</figcaption>
<div class="gallery-render"{% if v.dir %} dir="{{ v.dir }}" lang="{{ 'ar' if v.dir == 'rtl' else 'en' }}"{% endif %}>
{{ item.html }}
</div>
</figure>
{% endfor %}
</div>
</section>
{% endfor %}
"""

_INDEX = """\
<table class="gallery-index">
<thead><tr><th scope="col">template</th><th scope="col">variants</th><th scope="col">failed</th><th scope="col">from</th></tr></thead>
<tbody>
{% for page in pages %}
<tr><td><a href="{{ page.filename }}"><code>[{{ page.tag }}]</code></a></td><td>{{ page.variants|length }}</td><td>{{ page.failures }}</td><td><code>{{ page.origin }}</code></td></tr>
{% endfor %}
</tbody>
</table>
{% if not pages %}<p>No templates found.</p>{% endif %}
"""

_CHROME = """\
.gallery { margin: 0; padding: 1rem; background: #f3f4f6; color: #1f2328; line-height: 1.5;
  font-family: "Noto Sans", "DejaVu Sans", system-ui, sans-serif; }
.gallery-header, .gallery-footer, .gallery-toc, .gallery-section { max-width: 100rem; margin: 0 auto 1rem; }
.gallery-title { margin: 0 0 0.25rem; font-size: 1.5rem; overflow-wrap: anywhere; }
.gallery-intro, .gallery-nav { margin: 0 0 0.5rem; }
.gallery-toc ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; }
.gallery-section-title { margin: 1.5rem 0 0.5rem; font-size: 1.2rem; }
.gallery-grid { display: grid; gap: 1rem; align-items: start;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
.gallery-variant { min-width: 0; margin: 0; padding: 0.75rem; background: #ffffff;
  border: 1px solid #d0d7de; border-radius: 0.5rem; }
.gallery-variant--failed { border-color: #cf222e; border-width: 2px; }
.gallery-caption { display: flex; flex-direction: column; gap: 0.25rem; font-size: 0.85rem; }
.gallery-variant-title { font-weight: 700; font-size: 0.95rem; }
.gallery-note, .gallery-meta { color: #57606a; }
.gallery-source { display: block; padding: 0.4rem 0.5rem; background: #f6f8fa; border-radius: 0.25rem;
  font-size: 0.75rem; white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext; text-align: left; }
.gallery-diagnostics { margin: 0; padding-left: 1.25rem; overflow-wrap: anywhere; }
.gallery-diagnostic--warning { color: #7d4e00; }
.gallery-diagnostic--error { color: #cf222e; }
.gallery-render { min-width: 0; }
.gallery-index { border-collapse: collapse; background: #ffffff; max-width: 100%; }
.gallery-index th, .gallery-index td { padding: 0.3rem 0.75rem; border: 1px solid #d0d7de; text-align: left;
  overflow-wrap: anywhere; }
.gallery-footer { color: #57606a; font-size: 0.8rem; }"""


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def _uses_content(renderer: Renderer, tag: str) -> bool:
    """Whether ``tag``'s template reads ``content`` or ``raw_content`` (so enclosing text shows)."""
    try:
        source = renderer.env.loader.get_source(renderer.env, tag + ".html")[0]  # type: ignore[union-attr]
        names = _jinja_meta.find_undeclared_variables(renderer.env.parse(source))
    except jinja2.TemplateError:
        return True
    return bool(names & {"content", "raw_content"})


def _origin(tag: str, folders: Sequence[str], handlers: Mapping[str, Any]) -> str:
    if tag in handlers:
        return "handler"
    for folder in folders:
        if (Path(folder) / (tag + ".html")).is_file():
            return os.path.join(folder, tag + ".html")
    return "bundled"


def build_gallery(templates: Sequence["str | os.PathLike[str]"] = (), *, tags: Iterable[str] | None = None,
                  provider: "Provider | None" = None, as_of: "_dt.date | str | None" = None,
                  handlers: "Mapping[str, Handler] | None" = None) -> Gallery:
    """Render every template's variants (see the module docs) into pages, in memory.

    ``templates``: folders searched before the bundled templates (as for
    :class:`~shortcodes.renderer.Renderer`); ``tags``: only these tags
    (default: every template found, plus ``handlers``); ``provider``: the
    figures (default: the bundled dataset); ``as_of``: the date for variants
    that do not fix one (default: the latest); ``handlers``: Python handlers
    (tag → ``fn(node, ctx)``) to show too.  Raises :class:`GalleryError`
    for an unusable variants file or an unknown tag in ``tags``.

    >>> g = build_gallery(tags=["covid19-ultimate-card"])
    >>> [p.filename for p in g.pages], len(g.pages[0].variants) == len(card_variants()), g.failures
    (['covid19-ultimate-card.html'], True, 0)
    """
    if isinstance(templates, (str, os.PathLike)):
        templates = [templates]
    handlers = dict(handlers or {})
    renderers: dict[str | None, Renderer] = {}

    def renderer_for(locale: str | None) -> Renderer:
        if locale not in renderers:
            try:
                r = Renderer(templates=templates, locale=locale, provider=provider, as_of=as_of)
            except ValueError as exc:
                raise GalleryError(str(exc)) from None
            for name, fn in handlers.items():
                r.register(name, fn)
            renderers[locale] = r
        return renderers[locale]

    base = renderer_for(None)
    folders = base.template_folders
    known = sorted(base.known_tags)
    if tags is None:
        chosen = known
    else:
        chosen = list(dict.fromkeys(tags))
        missing = [t for t in chosen if t not in known]
        if missing:
            raise GalleryError(f"no template or handler for {', '.join(missing)} "
                               f"(known: {', '.join(known) or 'none'})")

    plan: list[tuple[str, tuple[Variant, ...]]] = []
    for tag in chosen:
        if tag == CARD_TAG:
            variants = card_variants()
        else:
            variants = default_variants(tag, uses_content=tag in handlers or _uses_content(base, tag))
        extra = variants_file(tag, folders)
        if extra is not None:
            variants += load_variants_file(extra, tag)
        seen: set[str] = set()
        for v in variants:
            if v.name in seen:
                raise GalleryError(f"{extra or tag}: two variants are named {v.name!r}")
            seen.add(v.name)
        plan.append((tag, variants))

    env = _environment()
    from . import __version__

    pages = []
    for tag, variants in plan:
        rendered: list[RenderedVariant] = []
        styles: dict[str, str] = {}   # stylesheet name -> <style>, moved into <head> once

        def keep_style(m: "re.Match[str]") -> str:
            styles.setdefault(m.group(1), m.group(0).rstrip("\n"))
            return ""
        for v in variants:
            result = renderer_for(v.locale).render_result(v.source, as_of=v.as_of)
            html = _STYLE_RX.sub(keep_style, result.html)
            # Markup: the renderer's output is HTML, written into the page as it is.
            rendered.append(RenderedVariant(v, Markup(html), result.diagnostics))
        sections: dict[str, list[RenderedVariant]] = {}
        for item in rendered:
            sections.setdefault(item.variant.section, []).append(item)
        body = env.from_string(_SECTIONS).render(sections=list(sections.items()))
        failures = sum(r.failed for r in rendered)
        intro = (f"{len(rendered)} variants of [{tag}], rendered with the templates in use"
                 + (f"; {failures} failed to render (their source is shown)" if failures else "") + ".")
        html = env.from_string(_PAGE).render(
            title=f"[{tag}] gallery", heading=f"[{tag}]", intro=intro, tag=tag, chrome=Markup(_CHROME),
            styles=Markup("\n").join(Markup(s) for s in styles.values()), body=Markup(body), version=__version__)
        pages.append(GalleryPage(tag, page_filename(tag), _origin(tag, folders, handlers), tuple(rendered), html))

    index_body = env.from_string(_INDEX).render(pages=pages)
    index = env.from_string(_PAGE).render(
        title="Shortcode gallery", heading="Shortcode gallery",
        intro="Every template's variants, side by side, for checking a theme by eye.", tag=None,
        chrome=Markup(_CHROME), styles=Markup(""), body=Markup(index_body), version=__version__)
    return Gallery(tuple(pages), index)


def check_output(out_dir: "str | os.PathLike[str]", templates: Sequence["str | os.PathLike[str]"] = ()) -> None:
    """Refuse (:class:`GalleryError`) an output folder that is one of the template folders.

    A page ``<tag>.html`` written there would replace the template of the same name.
    """
    if isinstance(templates, (str, os.PathLike)):
        templates = [templates]
    out = Path(out_dir).resolve()
    for folder in templates:
        if Path(folder).resolve() == out:
            raise GalleryError(f"{os.fspath(out_dir)}: refusing to write the gallery into a template folder "
                               "(its pages could replace templates); choose another output folder")


def write_gallery(out_dir: "str | os.PathLike[str]", templates: Sequence["str | os.PathLike[str]"] = (),
                  **options: Any) -> list[Path]:
    """Build the gallery (:func:`build_gallery` ``options``) and write it into ``out_dir``.

    Checks the folder first (:func:`check_output`); builds every page before
    writing any, so an unusable variants file leaves nothing behind.
    Returns the paths written, ``index.html`` first.
    """
    check_output(out_dir, templates)
    return build_gallery(templates, **options).write(out_dir)
