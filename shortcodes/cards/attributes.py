"""What the ``[covid19-ultimate-card]`` attributes mean, their defaults, and the built-in labels."""
from __future__ import annotations

from typing import Mapping

__all__ = ["TAG", "ATTRIBUTES", "LABELS", "DEFAULT_FONT_COLOR", "DEFAULT_BG_COLOR", "DEFAULT_BG_POSITION",
           "DEFAULT_DATE_FORMAT", "BG_POSITIONS", "MIN_CONTRAST", "TRUE_VALUES", "FALSE_VALUES"]

TAG = "covid19-ultimate-card"

#: Default colours: white on dark blue (contrast 12.8:1, WCAG AAA).
DEFAULT_FONT_COLOR = "#ffffff"
DEFAULT_BG_COLOR = "#16325c"
DEFAULT_BG_POSITION = "right"
DEFAULT_DATE_FORMAT = "Y-m-d"
BG_POSITIONS = ("right", "left", "center")
MIN_CONTRAST = 4.5

#: Built-in labels, by language.
LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "confirmed": "Confirmed",
        "confirmed-24h": "New cases (24 h)",
        "deaths": "Deaths",
        "deaths-24h": "New deaths (24 h)",
        "deaths-rate": "Death rate",
        "recovered": "Recovered",
        "active": "Active",
        "last-update": "Last updated:",
        "source": "Source:",
        "unknown": "unknown",
        "no-data": "No figures are available for {region}.",
        "no-data-on": "No figures are available for {region} on {date}.",
    },
    "ar": {
        "confirmed": "إجمالي الحالات",
        "confirmed-24h": "الحالات الجديدة (آخر 24 ساعة)",
        "deaths": "إجمالي الوفيات",
        "deaths-24h": "الوفيات الجديدة (آخر 24 ساعة)",
        "deaths-rate": "نسبة الوفيات",
        "recovered": "المتعافون",
        "active": "الحالات النشطة",
        "last-update": "آخر تحديث:",
        "source": "المصدر:",
        "unknown": "غير معروف",
        "no-data": "لا تتوفر بيانات عن {region}.",
        "no-data-on": "لا تتوفر بيانات عن {region} بتاريخ {date}.",
    },
}

#: Every attribute the card reads, with what it means.
ATTRIBUTES: Mapping[str, str] = {
    "region": "ISO 3166 alpha-2 code; absent: the world",
    "region-name": "heading; absent: the region's name in the card's language",
    "confirmed-label": "label of the confirmed-cases row",
    "deaths-label": "label of the deaths row",
    "recovered-label": "label of the recovered row",
    "active-label": "label of the active-cases row",
    "confirmed-24h": "true/false: show new cases in the last 24 hours",
    "confirmed-24h-label": "label of the new-cases row",
    "deaths-24h": "true/false: show new deaths in the last 24 hours",
    "deaths-24h-label": "label of the new-deaths row",
    "deaths-rate": "true/false: show deaths per 100 confirmed cases",
    "deaths-rate-label": "label of the death-rate row",
    "font-color": "CSS colour of the text",
    "bg-color": "CSS colour of the background",
    "bg-position": "right/left/center: where the background motif sits",
    "rtl": "true/false: right-to-left card",
    "last-update": "PHP date() format of the figures' date",
    "last-update-label": "text before the date",
}

TRUE_VALUES = frozenset({"true", "1", "yes", "on"})
FALSE_VALUES = frozenset({"false", "0", "no", "off", ""})
