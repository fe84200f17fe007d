"""Figures providers: the bundled dataset, disease.sh JSON and CSV downloads.

Expected numbers are read from ../shared/data/covid19 in the tests (never
typed in): the bundled dataset must reproduce those files exactly.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import http.server
import importlib.util
import json
import socket
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortcodes import sources
from shortcodes.cards.figures import (
    JHU_RECOVERED_STOP,
    BundledProvider,
    CsvProvider,
    DiseaseShProvider,
    Figures,
    NoData,
    Provider,
    SourceUnavailable,
    default_provider,
    mark_unreported_recoveries,
    normalize_region,
    provider_from_spec,
)

ROOT = Path(__file__).resolve().parent.parent
FIRST = dt.date(2020, 1, 22)
LAST_COUNTRY = dt.date(2021, 10, 10)
LAST_WORLD = dt.date(2022, 4, 16)
SEED_REGIONS = ["EG", "AE", "PS", None]
# A day in 2020, the last day with recoveries, the first without, one after, the last.
CHECK_DATES = [dt.date(2020, 6, 30), dt.date(2021, 8, 4), JHU_RECOVERED_STOP, dt.date(2021, 8, 20), LAST_COUNTRY]


# ---------------------------------------------------------------------------
# The raw files, read the plain way
# ---------------------------------------------------------------------------


class Raw:
    """../shared/data/covid19 as plain dicts: region -> date -> (confirmed, recovered, deaths)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with open(folder / "countries.csv", encoding="utf-8", newline="") as f:
            self.iso = {r["country"]: r["iso2"] for r in csv.DictReader(f) if r["iso2"]}
        self.rows: dict[str | None, dict[dt.date, tuple[int, int, int]]] = defaultdict(dict)
        self.names: dict[str, str] = {}
        self.uncoded: set[str] = set()
        self.day_totals: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])  # every row, ships too
        with open(folder / "countries-aggregated.csv", encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                totals = self.day_totals[dt.date.fromisoformat(r["Date"])]
                for i, field in enumerate(("Confirmed", "Recovered", "Deaths")):
                    totals[i] += int(r[field])
                if r["Country"] not in self.iso:
                    self.uncoded.add(r["Country"])
                    continue
                code = self.iso[r["Country"]]
                self.names[code] = r["Country"]
                self.rows[code][dt.date.fromisoformat(r["Date"])] = (
                    int(r["Confirmed"]), int(r["Recovered"]), int(r["Deaths"]))
        with open(folder / "worldwide-aggregate.csv", encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                self.rows[None][dt.date.fromisoformat(r["Date"])] = (
                    int(r["Confirmed"]), int(r["Recovered"]), int(r["Deaths"]))

    def recovered_expected(self, region: str | None) -> dict[dt.date, int | None]:
        """What the bundled data must say for recovered, derived from the raw column."""
        days = sorted(self.rows[region])
        ever = any(self.rows[region][d][1] > 0 for d in days if d < JHU_RECOVERED_STOP)
        seen, out = False, {}
        for d in days:
            confirmed, recovered, _ = self.rows[region][d]
            if d >= JHU_RECOVERED_STOP:
                out[d] = None
            elif recovered > 0:
                seen = True
                out[d] = recovered
            elif confirmed > 0 and (seen or not ever):
                out[d] = None
            else:
                out[d] = 0
        return out


@pytest.fixture(scope="module")
def raw(covid_data_dir: Path) -> Raw:
    return Raw(covid_data_dir)


@pytest.fixture(scope="module")
def bundled() -> BundledProvider:
    return BundledProvider()


def row(raw: Raw, region: str | None, day: dt.date) -> tuple[int, int, int]:
    return raw.rows[region][day]


# ---------------------------------------------------------------------------
# The bundled dataset
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("region", SEED_REGIONS, ids=lambda r: r or "world")
@pytest.mark.parametrize("day", CHECK_DATES, ids=str)
def test_seed_regions_match_the_csv(raw: Raw, bundled: BundledProvider, region: str | None, day: dt.date) -> None:
    f = bundled.figures(region, day)
    confirmed, recovered, deaths = row(raw, region, day)
    before = row(raw, region, day - dt.timedelta(days=1))
    assert (f.region, f.date, f.updated) == (region, day, None)
    assert f.name == ("World" if region is None else raw.names[region])
    assert (f.confirmed, f.deaths) == (confirmed, deaths)
    assert (f.new_confirmed, f.new_deaths) == (confirmed - before[0], deaths - before[2])
    if day >= JHU_RECOVERED_STOP:
        assert recovered == 0  # what the file says ...
        assert f.recovered is None and f.active is None  # ... is not passed on as a fact
    else:
        assert recovered > 0 and f.recovered == recovered
        assert f.active == confirmed - deaths - recovered
    assert f.death_rate == pytest.approx(deaths / confirmed * 100)
    assert f.source == sources.BUNDLED_SOURCE and "Johns Hopkins" in f.source


def test_every_row_of_every_region_matches_the_csv(raw: Raw, bundled: BundledProvider) -> None:
    assert set(bundled.regions()) == set(raw.rows)
    assert raw.uncoded == {"Diamond Princess", "MS Zaandam", "Summer Olympics 2020"}
    wrong: list[str] = []
    for region, by_day in raw.rows.items():
        recovered_expected = raw.recovered_expected(region)
        previous = None
        for day in sorted(by_day):
            c, r, d = by_day[day]
            f = bundled.figures(region, day)
            new_c = None if previous is None else c - previous[0]
            new_d = None if previous is None else d - previous[2]
            rec = recovered_expected[day]
            act = None if rec is None or c - d - rec < 0 else c - d - rec
            got = (f.date, f.confirmed, f.deaths, f.new_confirmed, f.new_deaths, f.recovered, f.active)
            want = (day, c, d, new_c, new_d, rec, act)
            if got != want:
                wrong.append(f"{region} {day}: got {got}, want {want}")
            previous = (c, r, d)
    assert not wrong, f"{len(wrong)} rows differ, e.g.\n" + "\n".join(wrong[:10])


def test_recovered_cut_off_is_2021_08_05(raw: Raw) -> None:
    """The data itself: the last day with any recovered count is 2021-08-04."""
    by_day: dict[dt.date, int] = defaultdict(int)
    for rows in raw.rows.values():
        for day, (_, recovered, _) in rows.items():
            by_day[day] += recovered > 0
    assert by_day[JHU_RECOVERED_STOP - dt.timedelta(days=1)] > 150
    assert max(day for day, n in by_day.items() if n) == JHU_RECOVERED_STOP - dt.timedelta(days=1)


def test_known_gaps_in_recoveries_are_unknown(raw: Raw, bundled: BundledProvider) -> None:
    # The US stopped counting recoveries in December 2020; Sweden never counted them.
    us_zero = min(d for d, v in raw.rows["US"].items() if v[1] == 0 and v[0] > 0 and d > dt.date(2020, 6, 1))
    assert bundled.figures("US", us_zero).recovered is None
    assert bundled.figures("US", us_zero - dt.timedelta(days=1)).recovered == row(raw, "US", us_zero - dt.timedelta(days=1))[1]
    assert all(v[1] == 0 for v in raw.rows["SE"].values())
    assert bundled.figures("SE", dt.date(2021, 1, 1)).recovered is None
    # before its first case a country's 0 recovered is a fact
    assert row(raw, "EG", FIRST) == (0, 0, 0)
    assert bundled.figures("EG", FIRST).recovered == 0 and bundled.figures("EG", FIRST).active == 0


def test_negative_daily_figures_are_kept(raw: Raw, bundled: BundledProvider) -> None:
    region, day = next(
        (region, day)
        for region, rows in raw.rows.items()
        for day in sorted(rows)
        if day - dt.timedelta(days=1) in rows and rows[day][0] < rows[day - dt.timedelta(days=1)][0]
    )
    f = bundled.figures(region, day)
    assert f.new_confirmed is not None and f.new_confirmed < 0
    assert f.new_confirmed == row(raw, region, day)[0] - row(raw, region, day - dt.timedelta(days=1))[0]


@settings(max_examples=60, deadline=None)
@given(
    region=st.sampled_from(SEED_REGIONS + ["US", "SE", "BE", "TW", "KR", "XK"]),
    offset=st.integers(0, (LAST_WORLD - FIRST).days + 400),
)
def test_latest_row_on_or_before_as_of(region: str | None, offset: int) -> None:
    as_of = FIRST + dt.timedelta(days=offset)
    p = default_provider()
    first, last = p.date_range(region)  # type: ignore[attr-defined]
    f = p.figures(region, as_of)
    assert f.date == min(as_of, last) and f.date >= first
    assert f == p.figures(region, f.date)
    # a datetime or an ISO string for the same day gives the same figures
    assert p.figures(region, dt.datetime.combine(as_of, dt.time(23, 59))) == f
    assert p.figures(region, as_of.isoformat()) == f  # type: ignore[arg-type]


def test_latest_by_default(bundled: BundledProvider) -> None:
    assert bundled.figures("PS").date == LAST_COUNTRY
    assert bundled.figures(None).date == LAST_WORLD
    assert bundled.figures("ps") == bundled.figures("PS") == bundled.figures("PSE") == bundled.figures("west bank and gaza")
    assert bundled.figures(None) == bundled.figures("world") == bundled.figures("WORLD") == bundled.figures("")


def test_no_data_before_the_start_or_for_unknown_regions(bundled: BundledProvider) -> None:
    with pytest.raises(NoData) as info:
        bundled.figures("EG", dt.date(2020, 1, 21))
    assert info.value.region == "EG" and info.value.as_of == dt.date(2020, 1, 21)
    assert "2020-01-22" in str(info.value) and "Egypt" in str(info.value)
    with pytest.raises(NoData, match="unknown region") as info:
        bundled.figures("XX", dt.date(2021, 1, 1))
    assert info.value.region == "XX" and info.value.as_of == dt.date(2021, 1, 1)
    with pytest.raises(NoData, match="no figures for Antarctica"):
        bundled.figures("AQ")  # a code the table knows, with no rows in the data
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        bundled.figures("EG", "10/10/2021")  # type: ignore[arg-type]


def test_region_names(raw: Raw) -> None:
    for name, code in raw.iso.items():
        assert normalize_region(name) == code
        assert normalize_region(code.lower()) == code
    assert normalize_region("Palestine") == "PS" and normalize_region("USA") == "US"
    with pytest.raises(TypeError):
        normalize_region(818)  # type: ignore[arg-type]


def test_bundled_provider_is_a_provider_and_shared() -> None:
    assert isinstance(default_provider(), Provider)
    assert default_provider() is default_provider()
    assert BundledProvider()._data() is BundledProvider()._data()  # read once per process


def test_bundled_file_is_small_and_rebuilds_byte_identically(covid_data_dir: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_dataset", ROOT / "tools" / "build_dataset.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    first = build.build(covid_data_dir)  # the shipped files came from an earlier run
    data_dir = ROOT / "shortcodes" / "cards" / "data"
    for name, data in first.items():
        assert (data_dir / name).read_bytes() == data, f"{name} is stale: run tools/build_dataset.py"
    assert sum(len(d) for d in first.values()) < 2 * 1024 * 1024


def test_a_broken_bundled_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "broken.csv.gz"
    bad.write_bytes(gzip.compress(b"region,name\nEG,Egypt\n"))
    with pytest.raises(SourceUnavailable, match="broken.csv.gz"):
        BundledProvider(bad).figures("EG")
    with pytest.raises(SourceUnavailable, match="missing.csv.gz"):
        BundledProvider(tmp_path / "missing.csv.gz").figures("EG")


# ---------------------------------------------------------------------------
# The recovered rule on its own
# ---------------------------------------------------------------------------


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(-1, 10**6)), max_size=40), st.integers(0, 45))
def test_mark_unreported_recoveries_properties(pairs: list[tuple[int, int]], stop_at: int) -> None:
    dates = [FIRST + dt.timedelta(days=i) for i in range(len(pairs))]
    confirmed = [c for c, _ in pairs]
    recovered = [r for _, r in pairs]
    stop = FIRST + dt.timedelta(days=stop_at)
    out = mark_unreported_recoveries(dates, confirmed, recovered, stop=stop)
    assert len(out) == len(pairs)
    for i, (day, c, r, o) in enumerate(zip(dates, confirmed, recovered, out)):
        assert o is None or o == r  # never invents a number
        if day >= stop or r < 0:
            assert o is None
        if r > 0 and day < stop:
            assert o == r  # reported recoveries are kept
        if r == 0 and c > 0 and any(x > 0 for x in recovered[:i]):
            assert o is None  # a 0 after reported recoveries means "stopped counting"
        if r == 0 and c == 0 and day < stop:
            assert o == 0  # nobody ill, nobody recovered


# ---------------------------------------------------------------------------
# disease.sh, served from 127.0.0.1
# ---------------------------------------------------------------------------

UPDATED = dt.datetime(2021, 10, 10, 15, 30, tzinfo=dt.timezone.utc)


def disease_sh_object(raw: Raw, region: str | None, iso2: bool = True) -> dict[str, Any]:
    """A disease.sh v3 object holding the real figures of 2021-10-10 (as the API does,
    with 0 recovered for a country that no longer counts them)."""
    c, r, d = row(raw, region, LAST_COUNTRY)
    before = row(raw, region, LAST_COUNTRY - dt.timedelta(days=1))
    obj: dict[str, Any] = {
        "updated": int(UPDATED.timestamp() * 1000), "cases": c, "todayCases": c - before[0],
        "deaths": d, "todayDeaths": d - before[2], "recovered": r, "active": c - d - r,
        "critical": 0, "population": 1,
    }
    if region is not None:
        obj["country"] = {"PS": "Palestine"}.get(region, raw.names[region])
        obj["countryInfo"] = {"iso2": region if iso2 else None, "iso3": None, "flag": ""}
    return obj


class Server:
    def __init__(self, raw: Raw) -> None:
        self.requests: list[str] = []
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                owner.requests.append(self.path)
                status, body, delay = owner.routes.get(self.path.split("?")[0], (404, b'{"message": "not found"}', 0))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        countries = [disease_sh_object(raw, code) for code in ("EG", "AE", "PS", "SE")]
        countries.append({**disease_sh_object(raw, "AE", iso2=False), "country": "Diamond Princess"})
        self.json("/v3/covid-19/all", disease_sh_object(raw, None))
        self.json("/v3/covid-19/countries", countries)
        self.json("/static/eg.json", disease_sh_object(raw, "EG"))
        self.routes["/slow/v3/covid-19/all"] = (200, b"{}", 3.0)
        self.routes["/bad/v3/covid-19/all"] = (200, b'{"cases": 1, "deaths": ', 0)
        self.json("/odd/v3/covid-19/all", {"updated": 1, "cases": "many", "deaths": 2})
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def json(self, path: str, value: Any) -> None:
        self.routes[path] = (200, json.dumps(value).encode(), 0)


@pytest.fixture
def server(raw: Raw) -> Iterator[Server]:
    s = Server(raw)
    s.thread.start()
    try:
        yield s
    finally:
        s.httpd.shutdown()
        s.httpd.server_close()


@pytest.mark.parametrize("region", SEED_REGIONS, ids=lambda r: r or "world")
def test_disease_sh_api(server: Server, raw: Raw, region: str | None) -> None:
    p = DiseaseShProvider(server.url, timeout=2)
    f = p.figures(region)
    c, r, d = row(raw, region, LAST_COUNTRY)
    before = row(raw, region, LAST_COUNTRY - dt.timedelta(days=1))
    assert (f.region, f.date, f.updated) == (region, UPDATED.date(), UPDATED)
    assert (f.confirmed, f.deaths) == (c, d)
    assert (f.new_confirmed, f.new_deaths) == (c - before[0], d - before[2])
    assert r == 0 and f.recovered is None and f.active is None  # 0 with cases = not reported
    assert f.name == ("World" if region is None else {"PS": "Palestine"}.get(region, raw.names[region]))
    assert server.url in f.source
    assert server.requests[-1] == ("/v3/covid-19/all" if region is None else "/v3/covid-19/countries")


def test_disease_sh_one_request_for_all_countries(server: Server) -> None:
    p = DiseaseShProvider(server.url + "/v3/covid-19/countries")
    for code in ("EG", "ae", "PSE", "Sweden"):
        p.figures(code)
    assert server.requests == ["/v3/covid-19/countries"]
    with pytest.raises(NoData, match="no figures for Tonga"):
        p.figures("TO")


def test_disease_sh_keeps_known_recoveries(server: Server, raw: Raw) -> None:
    obj = {**disease_sh_object(raw, "EG"), "recovered": 264_000, "active": 30_718}
    server.json("/static/eg.json", obj)
    f = DiseaseShProvider(server.url + "/static/eg.json").figures("EG")
    assert (f.recovered, f.active) == (264_000, 30_718)
    with pytest.raises(NoData, match="no world totals"):
        DiseaseShProvider(server.url + "/static/eg.json").figures(None)


def test_disease_sh_as_of_before_the_data(server: Server) -> None:
    p = DiseaseShProvider(server.url)
    assert p.figures("EG", UPDATED.date()).date == UPDATED.date()
    with pytest.raises(NoData, match="only has figures for 2021-10-10"):
        p.figures("EG", dt.date(2021, 10, 9))


def test_disease_sh_timeout(server: Server) -> None:
    p = DiseaseShProvider(server.url + "/slow/v3/covid-19", timeout=0.3)
    with pytest.raises(SourceUnavailable, match="timed out after 0.3 s") as info:
        p.figures(None)
    assert info.value.source == server.url + "/slow/v3/covid-19/all"
    assert isinstance(info.value, NoData)
    # the next card on the page does not wait again
    with pytest.raises(SourceUnavailable, match="timed out"):
        p.figures("world")
    assert server.requests == ["/slow/v3/covid-19/all"]


@pytest.mark.parametrize(
    ("path", "message"),
    [("/bad", "not valid JSON"), ("/odd", "'cases' is 'many', not a whole number"), ("/missing", "HTTP 404")],
)
def test_disease_sh_bad_answers(server: Server, path: str, message: str) -> None:
    with pytest.raises(SourceUnavailable, match=message) as info:
        DiseaseShProvider(server.url + path + "/v3/covid-19").figures(None)
    assert server.url + path + "/v3/covid-19/all" in str(info.value)


def test_disease_sh_unreachable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(SourceUnavailable, match=f"127.0.0.1:{port}/v3/covid-19/all"):
        DiseaseShProvider(url, timeout=2).figures(None)


def test_disease_sh_disk_cache(server: Server, tmp_path: Path) -> None:
    first = DiseaseShProvider(server.url, cache_dir=tmp_path).figures("AE")
    assert len(server.requests) == 1 and len(list(tmp_path.iterdir())) == 1
    # a new provider (a new process, say) answers from the cache without asking
    assert DiseaseShProvider(server.url, cache_dir=tmp_path).figures("AE") == first
    assert len(server.requests) == 1
    # an expired copy is fetched again; when the source is down the stale copy serves
    assert DiseaseShProvider(server.url, cache_dir=tmp_path, cache_ttl=0).figures("AE") == first
    assert len(server.requests) == 2
    server.routes["/v3/covid-19/countries"] = (503, b"down", 0)
    assert DiseaseShProvider(server.url, cache_dir=tmp_path, cache_ttl=0).figures("AE") == first
    with pytest.raises(SourceUnavailable, match="HTTP 503"):
        DiseaseShProvider(server.url, cache_ttl=0).figures("AE")


def test_disease_sh_files(tmp_path: Path, raw: Raw) -> None:
    listing = tmp_path / "countries.json"
    listing.write_text(json.dumps([disease_sh_object(raw, c) for c in ("EG", "AE")]))
    world = tmp_path / "all.json.gz"
    world.write_bytes(gzip.compress(json.dumps(disease_sh_object(raw, None)).encode()))
    assert provider_from_spec(str(listing)).figures("eg").confirmed == row(raw, "EG", LAST_COUNTRY)[0]
    assert provider_from_spec(str(world)).figures(None).deaths == row(raw, None, LAST_COUNTRY)[2]
    bad = tmp_path / "bad.json"
    bad.write_text('{"cases": 1}')
    with pytest.raises(SourceUnavailable, match="'deaths' is missing") as info:
        DiseaseShProvider(bad).figures(None)
    assert str(bad) in str(info.value)
    with pytest.raises(FileNotFoundError, match="nothing.json"):
        DiseaseShProvider(tmp_path / "nothing.json")


# ---------------------------------------------------------------------------
# CSV downloads
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def aggregated(covid_data_dir: Path) -> CsvProvider:
    return CsvProvider(covid_data_dir / "countries-aggregated.csv")


@pytest.mark.parametrize("region", SEED_REGIONS, ids=lambda r: r or "world")
@pytest.mark.parametrize("day", CHECK_DATES, ids=str)
def test_datahub_csv_matches_the_bundled_data(
    aggregated: CsvProvider, bundled: BundledProvider, raw: Raw, region: str | None, day: dt.date,
) -> None:
    f = aggregated.figures(region, day)
    if region is None:  # the world of a countries file is the sum of its rows
        c, r, d = raw.day_totals[day]
        assert (f.name, f.confirmed, f.deaths) == ("World", c, d)
        assert f.recovered == (r if day < JHU_RECOVERED_STOP else None)
        return
    b = bundled.figures(region, day)
    assert (f.region, f.name, f.date, f.confirmed, f.deaths, f.recovered, f.active, f.new_confirmed, f.new_deaths) == (
        b.region, b.name, b.date, b.confirmed, b.deaths, b.recovered, b.active, b.new_confirmed, b.new_deaths)
    assert "countries-aggregated.csv" in f.source and "Johns Hopkins" in f.source


def test_datahub_csv_lists_what_it_skipped(aggregated: CsvProvider, raw: Raw) -> None:
    assert aggregated.skipped == tuple(sorted(raw.uncoded))
    assert set(aggregated.regions()) == set(raw.rows)


def test_worldwide_csv(covid_data_dir: Path, bundled: BundledProvider) -> None:
    p = provider_from_spec(str(covid_data_dir / "worldwide-aggregate.csv"))
    assert isinstance(p, CsvProvider)
    for day in CHECK_DATES + [LAST_WORLD]:
        a, b = p.figures(None, day), bundled.figures(None, day)
        assert (a.date, a.confirmed, a.deaths, a.recovered, a.new_confirmed) == (
            b.date, b.confirmed, b.deaths, b.recovered, b.new_confirmed)
    with pytest.raises(NoData, match="no figures for Egypt"):
        p.figures("EG")


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


OWID_HEADER = ["iso_code", "continent", "location", "date", "total_cases", "new_cases",
               "new_cases_smoothed", "total_deaths", "new_deaths"]


def owid_rows(raw: Raw, days: list[dt.date]) -> list[list[Any]]:
    """Real figures in OWID's shape (floats, as OWID writes them)."""
    out = []
    for code, iso3, name in [("EG", "EGY", "Egypt"), ("AE", "ARE", "United Arab Emirates"),
                             ("PS", "PSE", "Palestine"), (None, "OWID_WRL", "World"),
                             ("XK", "OWID_KOS", "Kosovo"), ("FR", "OWID_EUR", "Europe")]:
        for day in days:
            c, _, d = row(raw, code, day)
            pc, _, pd = row(raw, code, day - dt.timedelta(days=1))
            out.append([iso3, "", name, day.isoformat(), f"{c}.0", f"{c - pc}.0", "", f"{d}.0", str(d - pd)])
    return out


def test_owid_csv(tmp_path: Path, raw: Raw) -> None:
    days = [dt.date(2021, 10, 8), dt.date(2021, 10, 9), dt.date(2021, 10, 10)]
    path = write_csv(tmp_path / "owid-covid-data.csv", OWID_HEADER, owid_rows(raw, days))
    p = CsvProvider(path)
    for region, name in [("EG", "Egypt"), ("AE", "United Arab Emirates"), ("PS", "Palestine"),
                         (None, "World"), ("XK", "Kosovo")]:
        f = p.figures(region, LAST_COUNTRY)
        c, _, d = row(raw, region, LAST_COUNTRY)
        pc, _, pd = row(raw, region, LAST_COUNTRY - dt.timedelta(days=1))
        assert (f.region, f.name, f.date) == (region, name, LAST_COUNTRY)
        assert (f.confirmed, f.deaths, f.new_confirmed, f.new_deaths) == (c, d, c - pc, d - pd)
        assert f.recovered is None and f.active is None  # OWID has no recoveries
        assert "Our World in Data" in f.source
    assert p.skipped == ("OWID_EUR",)
    with pytest.raises(NoData, match="begin on 2021-10-08"):
        p.figures("EG", dt.date(2021, 10, 7))


def test_owid_csv_errors_name_the_line(tmp_path: Path, raw: Raw) -> None:
    rows = owid_rows(raw, [LAST_COUNTRY])
    rows[2][4] = "lots"
    path = write_csv(tmp_path / "owid.csv", OWID_HEADER, rows)
    with pytest.raises(SourceUnavailable, match=r"owid.csv:4: total_cases is 'lots'"):
        CsvProvider(path).figures("EG")


def jhu_wide(raw: Raw, days: list[dt.date], metric: int) -> tuple[list[str], list[list[Any]]]:
    """Real figures in the JHU CSSE time-series shape; Egypt split over two made-up provinces."""
    header = ["Province/State", "Country/Region", "Lat", "Long"] + [f"{d.month}/{d.day}/{d.year % 100}" for d in days]
    rows: list[list[Any]] = []
    for code in ("AE", "PS", "SE"):
        rows.append(["", raw.names[code], "0", "0"] + [row(raw, code, d)[metric] for d in days])
    eg = [row(raw, "EG", d)[metric] for d in days]
    rows.append(["North", "Egypt", "0", "0"] + [v // 3 for v in eg])
    rows.append(["South", "Egypt", "0", "0"] + [v - v // 3 for v in eg])
    rows.append(["", "MS Zaandam", "0", "0"] + [1 for _ in days])
    return header, rows


def test_jhu_time_series(tmp_path: Path, raw: Raw) -> None:
    days = [dt.date(2020, 6, 29), dt.date(2020, 6, 30), dt.date(2021, 8, 19), dt.date(2021, 8, 20)]
    for metric, name in [(0, "confirmed"), (2, "deaths"), (1, "recovered")]:
        write_csv(tmp_path / f"time_series_covid19_{name}_global.csv", *jhu_wide(raw, days, metric))
    p = provider_from_spec(str(tmp_path / "time_series_covid19_deaths_global.csv"))
    for region in ("EG", "AE", "PS"):
        for day in (days[1], days[3]):
            f = p.figures(region, day)
            c, r, d = row(raw, region, day)
            pc, _, pd = row(raw, region, day - dt.timedelta(days=1))
            assert (f.date, f.confirmed, f.deaths, f.new_confirmed, f.new_deaths) == (day, c, d, c - pc, d - pd)
            assert f.recovered == (r if day < JHU_RECOVERED_STOP else None)
    # the world is the sum of every row, ships included
    world = p.figures(None, days[1])
    assert world.confirmed == sum(row(raw, c, days[1])[0] for c in ("EG", "AE", "PS", "SE")) + 1
    assert p.figures("SE", days[1]).recovered is None  # Sweden never reported recoveries
    assert p.skipped == ("MS Zaandam",)  # type: ignore[attr-defined]
    # without the other files a figure is unknown, not 0
    only = tmp_path / "only"
    only.mkdir()
    write_csv(only / "time_series_covid19_confirmed_global.csv", *jhu_wide(raw, days, 0))
    f = CsvProvider(only / "time_series_covid19_confirmed_global.csv").figures("EG", days[1])
    assert f.confirmed == row(raw, "EG", days[1])[0] and f.deaths is None and f.death_rate is None


def test_csv_shapes_that_are_not_understood(tmp_path: Path) -> None:
    odd = write_csv(tmp_path / "odd.csv", ["when", "where", "how many"], [["2021-10-10", "EG", "1"]])
    with pytest.raises(SourceUnavailable, match="cannot tell the CSV's shape"):
        CsvProvider(odd).figures("EG")
    with pytest.raises(FileNotFoundError, match="absent.csv"):
        provider_from_spec(str(tmp_path / "absent.csv"))
    with pytest.raises(ValueError, match="format must be one of"):
        CsvProvider(odd, format="excel")
    nameless = write_csv(tmp_path / "series.csv", ["Province/State", "Country/Region", "Lat", "Long", "1/22/20"], [])
    with pytest.raises(SourceUnavailable, match="told by its name"):
        CsvProvider(nameless).figures("EG")


def test_provider_from_spec(tmp_path: Path) -> None:
    assert provider_from_spec("bundled") is default_provider()
    assert isinstance(provider_from_spec("https://disease.sh/v3/covid-19/countries/EG"), DiseaseShProvider)
    csv_file = write_csv(tmp_path / "x.csv", ["Date", "Confirmed", "Recovered", "Deaths"], [])
    assert isinstance(provider_from_spec(str(csv_file)), CsvProvider)
    with pytest.raises(ValueError, match="cannot tell what kind of source"):
        provider_from_spec(str(tmp_path / "figures.xlsx"))


def test_figures_is_frozen_and_death_rate_guards() -> None:
    f = Figures(region=None, name="World", date=FIRST, updated=None, confirmed=None, deaths=3,
                recovered=None, active=None, new_confirmed=None, new_deaths=None, source="s")
    assert f.death_rate is None
    with pytest.raises(AttributeError):
        f.confirmed = 1  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Hostile sources (--stats URL and files)
# ---------------------------------------------------------------------------


class DrippingServer:
    """An HTTP server that sends its headers, then one byte of body every ``every`` seconds for ``total``
    seconds (or until the client goes away): a per-read timeout never fires."""

    def __init__(self, every: float, total: float = 40.0) -> None:
        self.stop = threading.Event()
        self.requests = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                owner.requests += 1
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "1000000")
                    self.end_headers()
                    self.wfile.flush()
                    end = time.monotonic() + total
                    while not owner.stop.wait(every) and time.monotonic() < end:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                except OSError:
                    pass  # the client gave up: what the test wants

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/drip.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def test_stats_url_timeout_is_a_total_deadline_per_request() -> None:
    # A byte every 0.2 s: each socket read succeeds well within the 1 s timeout, so a per-read
    # timeout would wait for the whole (never ending) body.  The deadline ends the request.
    drip = DrippingServer(every=0.2)
    try:
        p = DiseaseShProvider(drip.url, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(SourceUnavailable, match=r"timed out after 1 s \(the whole request\)"):
            p.figures("EG")
        waited = time.monotonic() - started
        # Generous for a loaded machine; a per-read timeout would wait for as long as the server drips (40 s).
        assert waited < 20, waited
        # The failure is remembered: the next card does not ask (or wait) again.
        with pytest.raises(SourceUnavailable, match="timed out"):
            p.figures("AE")
        assert drip.requests == 1
    finally:
        drip.close()


def test_stats_url_is_read_once_for_every_card(server: Server) -> None:
    from shortcodes import Renderer

    p = provider_from_spec(server.url, check=True)  # what the command line does before the first card
    assert sorted(server.requests) == ["/v3/covid-19/all", "/v3/covid-19/countries"]
    r = Renderer(provider=p)
    res = r.render_result("".join(f'[covid19-ultimate-card region="{c}"]' for c in ("EG", "AE", "PS", "", "EG") * 20))
    assert dict(res.counts["covid19-ultimate-card"])["rendered"] == 100
    assert not [d for d in res.diagnostics if d.kind == "no-data"]
    assert sorted(server.requests) == ["/v3/covid-19/all", "/v3/covid-19/countries"]  # no request per card


def test_stats_remote_error_text_is_sanitised(server: Server) -> None:
    server.json("/evil/v3/covid-19/all", {"message": "\x1b[2J\x1b]0;pwned\x07 \u202egnp.exe"})
    with pytest.raises(SourceUnavailable) as info:
        DiseaseShProvider(server.url + "/evil/v3/covid-19").figures(None)
    text = str(info.value)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b[2J" in text and "\\u202e" in text


@pytest.mark.parametrize(("name", "body", "why"), [
    ("inf", '{"cases": 1e400, "deaths": 1, "updated": 1633824000000}', "not a whole number"),
    ("digits", '{"cases": ' + "9" * 5000 + ', "deaths": 1, "updated": 1633824000000}', "4300 digits"),
    ("deep", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("negative", '{"cases": -5, "deaths": 3, "updated": 1633824000000}', "negative total"),
    ("huge", '{"cases": ' + "9" * 40 + ', "deaths": 3, "updated": 1633824000000}', "not a plausible total"),
])
def test_hostile_stats_values_give_no_data_with_a_diagnostic(tmp_path: Path, name: str, body: str, why: str) -> None:
    from shortcodes import Renderer

    path = tmp_path / f"{name}.json"
    path.write_text(body, encoding="utf-8")
    res = Renderer(provider=DiseaseShProvider(path)).render_result("[covid19-ultimate-card]")
    assert [d.kind for d in res.diagnostics] == ["no-data"], res.diagnostics
    assert why in res.diagnostics[0].message and str(path) in res.diagnostics[0].message
    assert dict(res.counts["covid19-ultimate-card"])["rendered"] == 1 and "sc-covid-card--no-data" in res.html
    if name in ("digits", "deep"):  # the document itself is unusable: --stats says so at start (exit 2)
        with pytest.raises(SourceUnavailable, match=why):
            provider_from_spec(str(path), check=True)


def test_hostile_csv_cells_give_a_located_error(tmp_path: Path) -> None:
    header = ["Province/State", "Country/Region", "Lat", "Long", "1/22/20", "1/23/20"]
    for cell in ("1e400", "9" * 5000, "inf"):
        bad = write_csv(tmp_path / "time_series_covid19_confirmed_global.csv", header,
                        [["", "Egypt", "0", "0", "1", cell]])
        with pytest.raises(SourceUnavailable, match=r"time_series_covid19_confirmed_global\.csv:2.*not a number"):
            CsvProvider(bad).check()
    negative = write_csv(tmp_path / "worldwide-aggregate.csv", ["Date", "Confirmed", "Recovered", "Deaths"],
                         [["2021-10-10", "-7", "", "1"]])
    from shortcodes import Renderer

    res = Renderer(provider=CsvProvider(negative)).render_result("[covid19-ultimate-card]")
    assert [d.kind for d in res.diagnostics] == ["no-data"] and "negative total" in res.diagnostics[0].message
