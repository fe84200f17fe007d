"""Hypothesis strategies for ``[covid19-ultimate-card]``: valid attribute sets and whole cards.

Re-exported by ``shortcodes.strategies`` with the general ones
(:mod:`shortcodes.testing.strategies`).
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Collection, Mapping, Sequence

from hypothesis import strategies as st

from ..testing.strategies import PHP_DATE_FORMATS, ShortcodeCase, Texturized, _forms, _Spec, _texturize_case
from .attributes import TAG

__all__ = ["COVID_CARD_TAG", "COVID_CARD_ATTRIBUTES", "COVID_REGIONS", "covid_card_attributes", "covid_cards"]

#: The card's tag name.
COVID_CARD_TAG = TAG

#: ISO 3166 codes of regions the card is used for, with English and Arabic names
#: (the seed article shows EG, AE, PS and the world, i.e. no ``region``).
COVID_REGIONS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "EG": ("Egypt", "مصر"), "AE": ("United Arab Emirates", "الإمارات العربية المتحدة"),
    "PS": ("Palestine", "فلسطين"), "SA": ("Saudi Arabia", "السعودية"), "SY": ("Syria", "سوريا"),
    "IQ": ("Iraq", "العراق"), "JO": ("Jordan", "الأردن"), "LB": ("Lebanon", "لبنان"),
    "KW": ("Kuwait", "الكويت"), "QA": ("Qatar", "قطر"), "BH": ("Bahrain", "البحرين"),
    "OM": ("Oman", "عمان"), "YE": ("Yemen", "اليمن"), "MA": ("Morocco", "المغرب"),
    "DZ": ("Algeria", "الجزائر"), "TN": ("Tunisia", "تونس"), "LY": ("Libya", "ليبيا"),
    "SD": ("Sudan", "السودان"), "TR": ("Turkey", "تركيا"), "IR": ("Iran", "إيران"),
    "US": ("United States", "الولايات المتحدة"), "GB": ("United Kingdom", "المملكة المتحدة"),
    "FR": ("France", "فرنسا"), "DE": ("Germany", "ألمانيا"), "IT": ("Italy", "إيطاليا"),
    "IN": ("India", "الهند"), "BR": ("Brazil", "البرازيل"), "CN": ("China", "الصين"),
})

_LABELS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "confirmed-label": ("Total cases", "اجمالي الحالات"),
    "confirmed-24h-label": ("New cases", "الحالات الجديدة"),
    "deaths-label": ("Total deaths", "اجمالي الوفيات"),
    "deaths-24h-label": ("New deaths", "الوفيات الجديدة"),
    "deaths-rate-label": ("Death rate", "نسبة الوفيات"),
    "recovered-label": ("Recovered", "المتعافون"),
    "active-label": ("Active cases", "حالات تحت العلاج"),
    "last-update-label": ("Last update:", "تم تحديث البيانات في :"),
})
_TOGGLES = ("confirmed-24h", "deaths-24h", "deaths-rate", "rtl")

#: The card's attributes, in the order the plugin documents (and the seed article uses) them.
COVID_CARD_ATTRIBUTES: tuple[str, ...] = (
    "region", "region-name", "confirmed-label", "confirmed-24h", "confirmed-24h-label",
    "deaths-label", "deaths-24h", "deaths-24h-label", "deaths-rate", "deaths-rate-label",
    "recovered-label", "active-label", "font-color", "bg-color", "bg-position", "rtl",
    "last-update", "last-update-label",
)


@st.composite
def covid_card_attributes(draw, regions: "Collection[str | None] | None" = None) -> dict[str, str]:
    """Valid attribute sets for ``[covid19-ultimate-card]``, in documented order.

    ``region`` is a code from :data:`COVID_REGIONS` or absent (the whole
    world; ``regions`` restricts the choice, ``None`` in it meaning the
    world); ``region-name`` and the labels are all Arabic or all English;
    ``confirmed-24h``, ``deaths-24h``, ``deaths-rate``, ``rtl`` are
    ``true``/``false``; colours are CSS colours; ``bg-position`` is
    ``right``, ``left`` or ``center``; ``last-update`` a PHP ``date()``
    format.  Any attribute but ``region`` may be left out.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=30, database=None)
    ... @given(covid_card_attributes(regions=["EG", None]))
    ... def check(attrs):
    ...     assert attrs.get("region", "EG") == "EG" and set(attrs) <= set(COVID_CARD_ATTRIBUTES)
    >>> check()
    """
    choices: Sequence[str | None] = sorted(COVID_REGIONS) + [None] if regions is None else list(regions)
    for r in choices:
        if r is not None and r not in COVID_REGIONS:
            raise ValueError(f"unknown region {r!r}; known: {', '.join(sorted(COVID_REGIONS))} (or None = world)")
    region = draw(st.sampled_from(choices))
    arabic = draw(st.booleans())
    lang = 1 if arabic else 0
    values: dict[str, str] = {}
    if region is not None:
        values["region"] = region
    values["region-name"] = COVID_REGIONS[region][lang] if region else ("العالم" if arabic else "World")
    for key, pair in _LABELS.items():
        values[key] = pair[lang]
    for key in _TOGGLES:
        values[key] = draw(st.sampled_from(("true", "false")))
    if arabic and draw(st.integers(0, 3)):
        values["rtl"] = "true"
    values["font-color"] = draw(st.sampled_from(("#ffffff", "#fff", "#000000", "#333", "white")))
    values["bg-color"] = draw(st.sampled_from(("#0c3278", "#b71c1c", "#1b5e20", "#222222", "navy", "rgb(12, 50, 120)")))
    values["bg-position"] = draw(st.sampled_from(("right", "left", "center")))
    values["last-update"] = draw(st.sampled_from(PHP_DATE_FORMATS))
    keep = draw(st.sets(st.sampled_from([k for k in COVID_CARD_ATTRIBUTES if k != "region"])))
    return {k: values[k] for k in COVID_CARD_ATTRIBUTES if k in values and (k == "region" or k not in keep)}


def covid_cards(regions: "Collection[str | None] | None" = None,
                texturized: Texturized = False) -> st.SearchStrategy[ShortcodeCase]:
    """``[covid19-ultimate-card …]`` shortcodes (:class:`ShortcodeCase`) with valid attributes.

    Attributes from :func:`covid_card_attributes`, double-quoted, as in the
    plugin's documentation.  ``texturized`` as for :func:`shortcode_cases`:
    ``"characters"`` gives the form of the seed article
    (``region=”EG” … bg-color=”#0c3278″``).

    >>> from hypothesis import given, settings
    >>> from shortcodes import parse
    >>> @settings(max_examples=20, database=None)
    ... @given(covid_cards(texturized="characters"))
    ... def check(case):
    ...     assert dict(parse(case.text).children[0].attrs) == dict(case.attrs)
    >>> check()
    """
    attrs = covid_card_attributes(regions).map(lambda d: [(k, v) for k, v in d.items()])

    def build(form: str) -> st.SearchStrategy[ShortcodeCase]:
        return attrs.map(lambda pairs: _texturize_case(
            _Spec(COVID_CARD_TAG, tuple((k, v, '"') for k, v in pairs), tuple(" " for _ in pairs), None, "]"),
            form))

    return _forms(texturized).flatmap(build)
