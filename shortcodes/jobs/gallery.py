"""Galleries: every variant of every template on one static page, to check a theme by eye.

``shortcodes gallery -o gallery/ --templates my-theme/`` (or
:func:`write_gallery`) writes

* ``index.html``: one line per template, linking its page;
* one page per template (``<tag>.html``, see :func:`page_filename`) showing
  its variants side by side, grouped in sections, each with the shortcode
  it was rendered from and the diagnostics the rendering produced.

Which variants a template gets:

* a tag whose plugin offers variants (:meth:`Renderer.variants`), such as
  the bundled ``[covid19-ultimate-card]`` (or a theme's replacement
  template): :func:`shortcodes.cards.variants.card_variants`: right to left and
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

The pages are the overridable templates ``_gallery_page.html``,
``_gallery_sections.html`` and ``_gallery_index.html`` with the stylesheet
``_gallery.css`` (a theme folder replaces them like any template).  They
depend on nothing but the templates and the figures: two runs
write the same bytes, so a gallery can be committed and diffed.  Every file
is written atomically, and nothing is written when any variant file is
unusable.

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

from ..common.dates import coerce_date
from ..common.errors import GalleryError
from ..common.locales import coerce_locale
from ..common.version import __version__
from ..core.nodes import Diagnostic
from ..core.serialize import build_shortcode
from ..renderer.engine import Renderer
from ..renderer.templates import style_element
from ..renderer.variants import Variant, default_variants
from .writing import write_text

if TYPE_CHECKING:  # pragma: no cover
    from ..cards.figures import Provider
    from ..renderer.engine import Handler

__all__ = [
    "GalleryError",
    "Variant",
    "RenderedVariant",
    "GalleryPage",
    "Gallery",
    "default_variants",
    "load_variants_file",
    "variants_file",
    "page_filename",
    "build_gallery",
    "check_output",
    "write_gallery",
    "PAGE_TEMPLATE",
    "SECTIONS_TEMPLATE",
    "INDEX_TEMPLATE",
    "CHROME_STYLESHEET",
]

INDEX = "index.html"
VARIANTS_SUFFIX = ".variants.json"
#: The overridable templates of the gallery's pages, and its own stylesheet.
PAGE_TEMPLATE = "_gallery_page.html"
SECTIONS_TEMPLATE = "_gallery_sections.html"
INDEX_TEMPLATE = "_gallery_index.html"
CHROME_STYLESHEET = "_gallery.css"


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
        """Write every file into ``out_dir`` (made when missing), each atomically; return the paths.

        A file that cannot be written raises :class:`~shortcodes.common.errors.OutputError` naming it.
        """
        folder = Path(out_dir)
        written = []
        for name, html in self.files().items():
            path = folder / name
            write_text(path, html)
            written.append(path)
        return written

    @property
    def failures(self) -> int:
        """How many variants, on all pages, failed to render."""
        return sum(p.failures for p in self.pages)


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
    shortcodes.common.errors.GalleryError: .../badge.variants.json: variant 1: unknown key 'atrs' (known: as_of, attrs, content, dir, locale, name, note, section, source, title)
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
    except RecursionError:
        raise GalleryError(f"{where}: not usable JSON: nested too deeply") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise GalleryError(f"{where}: not usable JSON: {exc}") from None
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
        try:
            as_of = coerce_date(item.get("as_of"), f"{here}: as_of")
            locale = item.get("locale") or None
            coerce_locale(locale, f"{here}: locale")
        except ValueError as exc:
            raise GalleryError(str(exc)) from None
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
                  handlers: "Mapping[str, Handler] | None" = None,
                  plugins: "Sequence[str] | None" = None) -> Gallery:
    """Render every template's variants (see the module docs) into pages, in memory.

    ``templates``: folders searched before the bundled templates (as for
    :class:`~shortcodes.renderer.Renderer`); ``tags``: only these tags
    (default: every template found, plus ``handlers``); ``provider``: the
    figures (default: the bundled dataset); ``as_of``: the date for variants
    that do not fix one (default: the latest); ``handlers``: Python handlers
    (tag → ``fn(node, ctx)``) to show too; ``plugins``: the renderer's
    plugins (``None``: the default ones).  Raises :class:`GalleryError`
    for an unusable variants file or an unknown tag in ``tags``.

    >>> from shortcodes.cards.variants import card_variants
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
                r = Renderer(templates=templates, locale=locale, provider=provider, as_of=as_of, plugins=plugins)
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
        variants = base.variants(tag) or default_variants(
            tag, uses_content=tag in handlers or _uses_content(base, tag))
        extra = variants_file(tag, folders)
        if extra is not None:
            variants += load_variants_file(extra, tag)
        seen: set[str] = set()
        for v in variants:
            if v.name in seen:
                raise GalleryError(f"{extra or tag}: two variants are named {v.name!r}")
            seen.add(v.name)
        plan.append((tag, variants))

    env = base.env
    chrome = Markup(base.stylesheet_text(CHROME_STYLESHEET).rstrip("\n"))
    page_template = env.get_template(PAGE_TEMPLATE)

    pages = []
    for tag, variants in plan:
        rendered: list[RenderedVariant] = []
        styles: dict[str, Markup] = {}   # stylesheet name -> <style>, in <head> once
        for v in variants:
            r = renderer_for(v.locale)
            result = r.render_result(v.source, as_of=v.as_of, inline_styles=False)
            for name in result.stylesheets:
                if name not in styles:
                    styles[name] = style_element(r.stylesheet_text(name), name)
            # Markup: the renderer's output is HTML, written into the page as it is.
            rendered.append(RenderedVariant(v, Markup(result.html), result.diagnostics))
        sections: dict[str, list[RenderedVariant]] = {}
        for item in rendered:
            sections.setdefault(item.variant.section, []).append(item)
        body = env.get_template(SECTIONS_TEMPLATE).render(sections=list(sections.items()))
        failures = sum(r.failed for r in rendered)
        intro = (f"{len(rendered)} variants of [{tag}], rendered with the templates in use"
                 + (f"; {failures} failed to render (their source is shown)" if failures else "") + ".")
        html = page_template.render(
            title=f"[{tag}] gallery", heading=f"[{tag}]", intro=intro, tag=tag, chrome=chrome,
            styles=Markup("\n").join(styles.values()), body=Markup(body), version=__version__)
        pages.append(GalleryPage(tag, page_filename(tag), _origin(tag, folders, handlers), tuple(rendered), html))

    index_body = env.get_template(INDEX_TEMPLATE).render(pages=pages)
    index = page_template.render(
        title="Shortcode gallery", heading="Shortcode gallery",
        intro="Every template's variants, side by side, for checking a theme by eye.", tag=None,
        chrome=chrome, styles=Markup(""), body=Markup(index_body), version=__version__)
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
