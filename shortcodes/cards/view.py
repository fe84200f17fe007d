"""Everything about one ``[covid19-ultimate-card]``, decided: the :class:`CardView` its template writes out."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from ..common.errors import NoData
from ..common.locales import ARABIC_SCRIPT_LANGUAGES, is_rtl, script_language
from .attributes import ATTRIBUTES, BG_POSITIONS, DEFAULT_BG_POSITION, FALSE_VALUES, LABELS, TAG, TRUE_VALUES
from .colors import check_contrast, normalize_color
from .dates import updated_date
from .numbers import _locale, format_number, format_percent, localize_digits

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

    from ..core.nodes import Shortcode
    from ..renderer.context import RenderContext

__all__ = ["CardView", "Row", "Value", "card_view", "STALE_SEVERITY"]

#: The severity of ``figures-stale`` (figures older than the date asked for, e.g. a 2022 post's card
#: when the country data ends on 2021-10-10): ``info``.  The card is right (it shows the date of its
#: figures, as the plugin showed its latest data), so this is no warning: with ``--as-of post-date``
#: every card of a later post would raise one and drown the warnings that ask for action.
STALE_SEVERITY = "info"

@dataclass(frozen=True)
class Value:
    """One figure: ``text`` as shown, ``machine`` for ``<data value>``; ``None`` text = unknown."""

    text: str | None
    machine: str = ""

    @property
    def known(self) -> bool:
        return self.text is not None


@dataclass(frozen=True)
class Row:
    """One label → value line; ``key`` is a stable name (``confirmed``, ``deaths-24h``, …)."""

    key: str
    label: str
    value: Value


@dataclass(frozen=True)
class CardView:
    """Everything the card template writes, already decided and formatted.

    Strings are plain text (the template escapes them); ``style`` holds only
    validated colours.
    """

    lang: str
    dir: str
    title: str
    region: str          # the code as given (upper case), "" for the world
    classes: str
    style: str
    rows: tuple[Row, ...] = ()
    no_data: bool = False               # True: no figures; the sentence below is shown instead
    no_data_before: str = ""            # the sentence, split around the date
    no_data_date: str | None = None     # (the template isolates the date with <bdi>)
    no_data_after: str = ""
    updated_label: str = ""
    updated_text: str = ""
    updated_iso: str = ""
    source_label: str = ""
    source: str = ""
    unknown_text: str = "unknown"


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
                      + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
                      + "]")


def _clean_text(value: str) -> str:
    """``value`` without the characters HTML forbids in text (C0/C1 controls, noncharacters, surrogates)."""
    return _CONTROL.sub("", value)


def _bool_attr(attrs: Mapping[str, str], name: str, ctx: "RenderContext | None", default: bool) -> bool:
    raw = attrs.get(name)
    if raw is None:
        return default
    v = raw.strip().lower()
    if v in TRUE_VALUES:
        return True
    if v in FALSE_VALUES:
        return False
    if ctx is not None:
        ctx.diagnose("bad-attribute", f'[{TAG}] {name}="{raw}" is not true or false; '
                     f'using {str(default).lower()}')
    return default


def _color_attr(attrs: Mapping[str, str], name: str, ctx: "RenderContext | None") -> str | None:
    raw = attrs.get(name)
    if raw is None or raw.strip() == "":
        return None
    color = normalize_color(raw)
    if color is None and ctx is not None:
        shown = raw if len(raw) <= 60 else raw[:57] + "..."
        ctx.diagnose("bad-color", f"[{TAG}] {name}={shown!r} is not a CSS colour; the default is used")
    return color


def _card_locale(attrs: Mapping[str, str], ctx: "RenderContext | None", rtl: bool | None) -> tuple["Locale", str, str]:
    """(locale for numbers and names, language of the labels ``en``/``ar``, lang attribute)."""
    texts = " ".join(v for k, v in attrs.items() if k.endswith("-label") or k == "region-name")
    written = script_language(texts)
    if ctx is not None and ctx.locale is not None:
        loc = ctx.locale
    elif rtl or written == "ar":
        loc = _locale("ar")
    else:
        loc = _locale("en")
    label_lang = "ar" if loc.language == "ar" else "en"
    lang = "-".join(p for p in (loc.language, loc.script, loc.territory) if p)
    if written == "ar" and loc.language not in ARABIC_SCRIPT_LANGUAGES:
        lang = "ar"
    return loc, label_lang, lang


def _region_title(code: str | None, loc: "Locale", label_lang: str) -> str:
    if code is None:
        name = loc.territories.get("001") or ("العالم" if label_lang == "ar" else "World")
        return name[:1].upper() + name[1:]
    return loc.territories.get(code) or code


def card_view(node: "Shortcode", ctx: "RenderContext | None" = None) -> CardView:
    """Decide everything about one ``[covid19-ultimate-card]``: the template's ``card``.

    Problems (a bad colour, an unknown region, no figures for the date) are
    reported with ``ctx.diagnose`` and the card falls back to a default or to
    its "no data" state; this never raises for any attribute values.  Figures
    older than ``ctx.as_of`` (the date asked for is after the end of the
    data) are shown with their own date and noted as ``figures-stale``
    (severity :data:`STALE_SEVERITY`), naming the region and both dates.
    """
    attrs = {k: _clean_text(v) for k, v in node.attrs.items()}
    for name in attrs:
        if name not in ATTRIBUTES and ctx is not None:
            ctx.diagnose("unknown-attribute", f"[{TAG}] has no attribute {name!r}; it is ignored")
    if node.positional and ctx is not None:
        ctx.diagnose("unknown-attribute", f"[{TAG}] ignores values without a name: "
                     + ", ".join(repr(p) for p in node.positional[:5]))

    rtl_attr = attrs.get("rtl")
    rtl: bool | None = None if rtl_attr is None else _bool_attr(attrs, "rtl", ctx, False)
    loc, label_lang, lang = _card_locale(attrs, ctx, rtl)
    labels = LABELS[label_lang]
    if rtl is None:
        direction = "rtl" if is_rtl(lang) else "ltr"
    else:
        direction = "rtl" if rtl else "ltr"

    def label(key: str) -> str:
        given = attrs.get(f"{key}-label")
        return given.strip() if given is not None and given.strip() else localize_digits(labels[key], loc)

    fg = _color_attr(attrs, "font-color", ctx)
    bg = _color_attr(attrs, "bg-color", ctx)
    style = ";".join(f"{var}:{val}" for var, val in (("--sc-covid-fg", fg), ("--sc-covid-bg", bg)) if val)
    check_contrast(fg, bg, ctx)

    position = (attrs.get("bg-position") or "").strip().lower()
    if position not in BG_POSITIONS:
        if position and ctx is not None:
            ctx.diagnose("bad-attribute", f"[{TAG}] bg-position={attrs.get('bg-position')!r} is not one of "
                         f"{', '.join(BG_POSITIONS)}; using {DEFAULT_BG_POSITION}")
        position = DEFAULT_BG_POSITION

    raw_region = (attrs.get("region") or "").strip()
    code: str | None = raw_region.upper() or None
    given_title = (attrs.get("region-name") or "").strip()
    classes = ["sc-covid-card", f"sc-covid-card--bg-{position}", f"sc-covid-card--{direction}"]

    def no_data(reason: str, title_code: str | None) -> CardView:
        if ctx is not None:
            ctx.diagnose("no-data", f"[{TAG}] {reason}")
        title = given_title or _region_title(title_code, loc, label_lang)
        when = None if ctx is None or ctx.as_of is None else ctx.as_of
        key = "no-data" if when is None else "no-data-on"
        before, _sep, after = labels[key].replace("{region}", title).partition("{date}")
        return CardView(lang=lang, dir=direction, title=title, region=code or "",
                        classes=" ".join(classes + ["sc-covid-card--no-data"]), style=style, no_data=True,
                        no_data_before=before, no_data_after=after,
                        no_data_date=None if when is None else localize_digits(when.isoformat(), loc),
                        unknown_text=labels["unknown"])

    if ctx is None:
        raise ValueError("card_view needs a RenderContext for its figures")
    try:
        fig = ctx.provider.figures(code, ctx.as_of)
    except NoData as exc:
        return no_data(str(exc), code)
    if ctx.as_of is not None and fig.date < ctx.as_of:
        # The card shows its figures' own date; this says that it is not the one asked for.
        ctx.diagnose("figures-stale", f"[{TAG}] {code or 'the world'}: no figures for {ctx.as_of.isoformat()}; "
                     f"the card shows the latest before it, of {fig.date.isoformat()}",
                     severity=STALE_SEVERITY)

    def num(n: int | None, signed: bool = False) -> Value:
        if n is None:
            return Value(None)
        return Value(format_number(n, loc, signed=signed), str(n))

    rows = [Row("confirmed", label("confirmed"), num(fig.confirmed))]
    if _bool_attr(attrs, "confirmed-24h", ctx, False):
        rows.append(Row("confirmed-24h", label("confirmed-24h"), num(fig.new_confirmed, True)))
    rows.append(Row("deaths", label("deaths"), num(fig.deaths)))
    if _bool_attr(attrs, "deaths-24h", ctx, False):
        rows.append(Row("deaths-24h", label("deaths-24h"), num(fig.new_deaths, True)))
    if _bool_attr(attrs, "deaths-rate", ctx, False):
        rate = fig.death_rate
        rows.append(Row("deaths-rate", label("deaths-rate"),
                        Value(None) if rate is None else Value(format_percent(rate, loc), f"{rate:.4f}")))
    rows.append(Row("recovered", label("recovered"), num(fig.recovered)))
    rows.append(Row("active", label("active"), num(fig.active)))

    try:
        updated_text, updated_iso = updated_date(fig, attrs.get("last-update"))
    except Exception as exc:  # noqa: BLE001 - a bad format must not lose the card
        ctx.diagnose("bad-attribute", f"[{TAG}] last-update={attrs.get('last-update')!r} could not be used "
                     f"({exc}); the ISO date is shown")
        updated_text, updated_iso = fig.date.isoformat(), fig.date.isoformat()
    title = given_title or _region_title(fig.region, loc, label_lang)
    return CardView(
        lang=lang, dir=direction, title=title, region=code or "", classes=" ".join(classes), style=style,
        rows=tuple(rows), updated_label=label("last-update"), updated_text=localize_digits(updated_text, loc),
        updated_iso=updated_iso, source_label=labels["source"], source=fig.source, unknown_text=labels["unknown"],
    )
