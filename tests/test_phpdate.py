"""php_date() against php-cli's own date(), plus properties that need no PHP.

The comparison batches every case into ONE ``php`` process per test: the
cases go to PHP as JSON on standard input, PHP answers with a JSON list.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.php.date import FORMAT_CHARACTERS, php_date

# Zones chosen for their oddities: negative DST (Dublin), 30-minute DST (Lord
# Howe), 45-minute offsets (Kathmandu, Chatham), numeric abbreviations (+04),
# a Ramadan DST switch (Casablanca), a 14-hour offset (Kiritimati), the
# seed article's region (Gaza, Cairo, Dubai), and fixed offsets.
ZONES = [
    "UTC", "Etc/UTC", "Europe/Dublin", "Europe/London", "America/New_York", "America/St_Johns",
    "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham",
    "Africa/Cairo", "Asia/Gaza", "Asia/Dubai", "Asia/Riyadh", "Africa/Casablanca",
    "Pacific/Kiritimati", "Etc/GMT+3", "Europe/Moscow",
    "+05:30", "-03:00", "+14:00", "-00:30",
]
# The whole range a datetime can hold in any of these zones.
TS_MIN = -62135596800 + 2 * 86400  # 0001-01-03
TS_MAX = 253402300799 - 2 * 86400  # 9999-12-29
TIMESTAMPS = st.one_of(
    st.integers(TS_MIN, TS_MAX),
    st.integers(-2208988800, 4102444800),  # 1900 ... 2100, where the zones' rules live
    st.integers(1577836800, 1650153600),  # 2020-01-01 ... 2022-04-17: the data's dates
)
FORMATS = st.text(
    alphabet=st.sampled_from(sorted(FORMAT_CHARACTERS) + list(" -:/,.\\Té")), max_size=14
)
PHP_SCRIPT = r"""
$cases = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$out = [];
foreach ($cases as [$format, $ts, $tz]) {
    if ($tz[0] === '+' || $tz[0] === '-') {
        $d = new DateTime('@' . $ts);
        $d->setTimezone(new DateTimeZone($tz));
        $out[] = $d->format($format);
    } else {
        date_default_timezone_set($tz);
        $out[] = date($format, $ts);
    }
}
echo json_encode($out, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE);
"""


@pytest.fixture(scope="module")
def php() -> str:
    path = shutil.which("php")
    if path is None:
        pytest.skip("php-cli is not installed: the comparison with PHP's date() needs it")
    return path


def zone(tz: str) -> dt.tzinfo:
    if tz[0] in "+-":
        sign = -1 if tz[0] == "-" else 1
        hours, minutes = int(tz[1:3]), int(tz[4:6])
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return ZoneInfo(tz)


def moment(ts: int, tz: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, zone(tz))


def php_dates(php: str, cases: list[tuple[str, int, str]]) -> list[str]:
    """PHP's answers for all the cases, from one php process."""
    done = subprocess.run(
        [php, "-d", "display_errors=stderr", "-r", PHP_SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert len(answers) == len(cases)
    return answers


def compare(php: str, cases: list[tuple[str, int, str]]) -> None:
    expected = php_dates(php, cases)
    wrong = [
        f"php_date({fmt!r}, {moment(ts, tz).isoformat()} [{tz}, ts={ts}]) = {got!r}, PHP says {want!r}"
        for (fmt, ts, tz), want in zip(cases, expected)
        if (got := php_date(fmt, moment(ts, tz))) != want
    ]
    assert not wrong, f"{len(wrong)} of {len(cases)} differ:\n" + "\n".join(wrong[:15])


def test_every_format_character_in_every_zone(php: str) -> None:
    """Each character alone, in each zone, at moments around the year and around DST changes."""
    stamps = [
        TS_MIN, -30610224000, -2208988800, -1, 0, 951782400, 1104537599, 1609459199,
        1616893200, 1616893199, 1635638400, 1633824000, 1628035200, 1650153599,
        2147483647, 2147483648, 4102444800 + 86400 * 180, 32503680000, TS_MAX,
    ]
    cases = [(ch, ts, tz) for ch in sorted(FORMAT_CHARACTERS) for ts in stamps for tz in ZONES]
    compare(php, cases)


def test_seed_format_y_m_d_h_i(php: str) -> None:
    """The seed article's ``last-update="Y-m-d H:i"``, in every zone, minute by minute
    around midnight and around the data's last days."""
    stamps = [1633824000 + k * 60 for k in range(-3, 4)]  # 2021-10-10 00:00 UTC
    stamps += [1650067200 + k * 3600 for k in range(0, 48, 5)]  # 2022-04-16
    stamps += [1628035200, 1628121600]  # 2021-08-04 and 2021-08-05
    cases = [("Y-m-d H:i", ts, tz) for ts in stamps for tz in ZONES]
    compare(php, cases)
    # and the value itself, independently of PHP, for one known moment
    assert php_date("Y-m-d H:i", dt.datetime(2021, 10, 10, 9, 7, tzinfo=dt.timezone.utc)) == "2021-10-10 09:07"


def test_generated_formats_match_php(php: str) -> None:
    """Hypothesis-generated format strings, timestamps and zones, checked in one batch."""
    cases: list[tuple[str, int, str]] = []

    @settings(max_examples=600, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(fmt=FORMATS, ts=TIMESTAMPS, tz=st.sampled_from(ZONES))
    def collect(fmt: str, ts: int, tz: str) -> None:
        cases.append((fmt, ts, tz))

    collect()
    assert len(cases) >= 100
    compare(php, cases)


# ---------------------------------------------------------------------------
# Properties that need no PHP
# ---------------------------------------------------------------------------

AWARE = st.datetimes(
    min_value=dt.datetime(1000, 1, 2), max_value=dt.datetime(9999, 12, 30),
    timezones=st.sampled_from([ZoneInfo(z) for z in ZONES if z[0] not in "+-"] + [dt.timezone.utc]),
)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@given(AWARE)
def test_fields_agree_with_the_datetime(when: dt.datetime) -> None:
    assert php_date("Y-m-d H:i:s", when) == when.strftime("%Y-%m-%d %H:%M:%S")
    # whole seconds since the epoch, exactly: timestamp() is a float, which rounds 3059-01-01 00:00:00.999997
    # up to the next second (a random run found it)
    assert int(php_date("U", when)) == (when - _EPOCH) // dt.timedelta(seconds=1)
    assert int(php_date("Z", when)) == int(when.utcoffset().total_seconds())
    year, week, weekday = when.isocalendar()
    assert php_date("o W N", when) == f"{year} {week:02d} {weekday}"
    assert php_date("u", when) == f"{when.microsecond:06d}"


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)), FORMATS)
def test_naive_means_utc(when: dt.datetime, fmt: str) -> None:
    assert php_date(fmt, when) == php_date(fmt, when.replace(tzinfo=dt.timezone.utc))


@given(st.characters(), st.datetimes())
def test_backslash_makes_any_character_literal(ch: str, when: dt.datetime) -> None:
    assert php_date("\\" + ch, when) == ch


@given(st.text(st.characters(blacklist_characters=sorted(FORMAT_CHARACTERS) + ["\\"])), st.datetimes())
def test_other_characters_are_copied(text: str, when: dt.datetime) -> None:
    assert php_date(text, when) == text


def test_trailing_backslash_is_a_nul_as_in_php() -> None:
    assert php_date("Y\\", dt.datetime(2021, 1, 1)) == "2021\0"


def test_date_is_midnight_utc_and_bad_types_are_refused() -> None:
    assert php_date("c", dt.date(2021, 10, 10)) == "2021-10-10T00:00:00+00:00"
    with pytest.raises(TypeError, match="datetime"):
        php_date("Y", "2021-10-10")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="format"):
        php_date(None, dt.datetime(2021, 1, 1))  # type: ignore[arg-type]
