"""The built-in variants of ``[covid19-ultimate-card]`` shown by ``shortcodes gallery``.

>>> [v.name for v in card_variants()][:3]
['rtl-arabic', 'ltr-english', 'ltr-card-rtl-page']
"""
from __future__ import annotations

import datetime as _dt
from typing import Mapping

from ..core.serialize import build_shortcode
from ..renderer.variants import Variant
from .attributes import TAG

__all__ = ["card_variants", "LAST_COUNTRY_DAY", "LAST_RECOVERED_DAY"]

#: The last day with figures for every country in the bundled dataset.
LAST_COUNTRY_DAY = _dt.date(2021, 10, 10)
#: The last day on which JHU reported recoveries (later: recovered/active unknown).
LAST_RECOVERED_DAY = _dt.date(2021, 8, 4)

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
        return Variant(name, title, build_shortcode(TAG, dict(attrs)), section, note, as_of, locale, dir)

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
