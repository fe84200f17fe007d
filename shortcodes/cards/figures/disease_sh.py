"""disease.sh v3 JSON (what the WordPress COVID plugins read), from a file or an ``http(s)`` URL."""
from __future__ import annotations

import datetime as _dt
import errno
import gzip
import hashlib
import http.client
import json
import math
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Mapping

from ...common.dates import coerce_date
from ...common.errors import NoData, SourceUnavailable
from ...common.fileio import atomic_write_bytes
from .model import Figures, check_totals, printable
from .regions import _countries, _normalize, region_name
from .series import _active

_USER_AGENT = "wp-shortcodes (+https://pypi.org/project/wp-shortcodes/)"
_MAX_BODY = 64 * 1024 * 1024


class DiseaseShProvider:
    """disease.sh v3 JSON (``/v3/covid-19/all``, ``/v3/covid-19/countries``).

    ``source`` is one of

    * an API root such as ``https://disease.sh`` or
      ``https://disease.sh/v3/covid-19/countries``: the world comes from
      ``<root>/v3/covid-19/all``, countries from ``<root>/v3/covid-19/countries``
      (one request for all countries);
    * any other ``http(s)`` URL, or a file path: one JSON document, either the
      ``countries`` list, a single country object, or the ``all`` object (an
      object without a ``country`` field is the world).

    Fields read: ``cases``, ``todayCases``, ``deaths``, ``todayDeaths``,
    ``recovered``, ``active``, ``updated`` (milliseconds since the epoch),
    ``country`` and ``countryInfo.iso2``.  ``Figures.date`` is the UTC date of
    ``updated`` and ``Figures.updated`` the exact time; ``new_confirmed`` and
    ``new_deaths`` are ``todayCases`` and ``todayDeaths``.  disease.sh
    reports 0 recovered (and so ``active`` = cases - deaths) for countries
    that do not count recoveries; a 0 while cases are confirmed, or a
    ``null``, is therefore unknown (``None``), and so is ``active``.

    The figures are current ones, so ``figures(region, as_of)`` raises
    :class:`NoData` when ``as_of`` is before the source's date.

    Each request must be complete within ``timeout`` seconds: a total
    deadline for connecting, the headers and the whole body (a server that
    drips a byte at a time is cut off), not a limit per socket read.  Each
    document is requested once per provider, however many cards ask for it;
    :meth:`check` reads them at once (the command line does, before the
    first card).  Text from the server (an error message, an HTTP reason)
    is passed on with control characters escaped.  With ``cache_dir`` each
    response is kept on disk and reused for ``cache_ttl`` seconds; a stale
    copy is used when the source cannot be reached (the figures carry their
    own date).  A failure raises :class:`SourceUnavailable` (a
    :class:`NoData`) naming the URL or file and the reason; a file that does
    not exist raises :class:`FileNotFoundError` at once.
    """

    def __init__(
        self,
        source: str | os.PathLike[str],
        *,
        timeout: float = 10.0,
        cache_dir: str | os.PathLike[str] | None = None,
        cache_ttl: float = 3600.0,
    ) -> None:
        self.timeout = float(timeout)
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.cache_ttl = float(cache_ttl)
        self._docs: dict[str, Any] = {}
        self._failures: dict[str, SourceUnavailable] = {}
        self._lock = threading.Lock()
        text = os.fspath(source)
        scheme = urllib.parse.urlsplit(text).scheme.lower() if isinstance(text, str) else ""
        self._root: str | None = None
        self._url: str | None = None
        self._path: Path | None = None
        if scheme in ("http", "https"):
            parts = urllib.parse.urlsplit(text)
            marker = parts.path.find("/v3/covid-19")
            if marker >= 0 or parts.path in ("", "/"):
                base = parts.path[:marker] if marker >= 0 else ""
                self._root = urllib.parse.urlunsplit((parts.scheme, parts.netloc, base + "/v3/covid-19", "", ""))
            else:
                self._url = text
            self.source = f"disease.sh API ({text})"
        else:
            self._path = Path(text)
            if not self._path.is_file():
                raise FileNotFoundError(errno.ENOENT, "no such disease.sh JSON file", text)
            self.source = f"disease.sh data ({self._path.name})"

    def __repr__(self) -> str:
        where = self._root or self._url or str(self._path)
        return f"DiseaseShProvider({where!r}, timeout={self.timeout})"

    # -- fetching ----------------------------------------------------------

    def check(self) -> None:
        """Read the source now (every document cards may need); raise :class:`SourceUnavailable` if unusable."""
        wheres = ([f"{self._root}/all", f"{self._root}/countries"] if self._root is not None
                  else [str(self._path) if self._path is not None else str(self._url)])
        for where in wheres:
            doc = self._document(where)
            if not isinstance(doc, (Mapping, list)):
                raise SourceUnavailable(where, f"expected a JSON object or list, found {type(doc).__name__}")

    def _document(self, where: str) -> Any:
        """The parsed JSON at ``where``: read once; a failure is remembered too,
        so a page with many cards waits for an unreachable source only once."""
        with self._lock:
            if where in self._failures:
                raise self._failures[where]
            if where not in self._docs:
                try:
                    body = self._read_file(where) if self._path is not None else self._fetch(where)
                    self._docs[where] = _parse_json(body, where)
                except SourceUnavailable as exc:
                    self._failures[where] = exc
                    raise
            return self._docs[where]

    @staticmethod
    def _read_file(where: str) -> bytes:
        try:
            raw = Path(where).read_bytes()
            return gzip.decompress(raw) if where.lower().endswith(".gz") else raw
        except (OSError, EOFError) as exc:
            raise SourceUnavailable(where, getattr(exc, "strerror", None) or str(exc)) from None

    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"disease-sh-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}.json"

    def _fetch(self, url: str) -> bytes:
        cached = self._cache_file(url)
        if cached is not None and cached.is_file():
            if time.time() - cached.stat().st_mtime < self.cache_ttl:
                return cached.read_bytes()
        try:
            body = self._download(url)
        except SourceUnavailable:
            if cached is not None and cached.is_file():
                return cached.read_bytes()
            raise
        if cached is not None:
            try:
                json.loads(body)
            except ValueError:
                return body  # reported by the caller; never cache a bad answer
            try:
                atomic_write_bytes(cached, body)
            except OSError:
                pass  # a cache that cannot be written is no reason to fail
        return body

    def _download(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "application/json"})
        deadline = _Deadline(self.timeout)
        timed_out = SourceUnavailable(url, f"timed out after {self.timeout:g} s (the whole request)")
        timer = threading.Timer(self.timeout, deadline.expire)
        timer.daemon = True
        timer.start()
        try:
            with deadline.opener().open(request, timeout=self.timeout) as response:
                body = _read_body(response, deadline)
        except urllib.error.HTTPError as exc:
            raise SourceUnavailable(url, f"HTTP {exc.code} {printable(str(exc.reason))}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if deadline.expired or isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise timed_out from None
            raise SourceUnavailable(url, printable(str(reason))) from None
        except (TimeoutError, socket.timeout):
            raise timed_out from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if deadline.expired:
                raise timed_out from None
            raise SourceUnavailable(url, printable(f"{type(exc).__name__}: {exc}")) from None
        finally:
            timer.cancel()
        if deadline.expired:
            raise timed_out
        if len(body) > _MAX_BODY:
            raise SourceUnavailable(url, f"the answer is larger than {_MAX_BODY // (1024 * 1024)} MB")
        return body

    # -- answering ---------------------------------------------------------

    def figures(self, region: str | None, as_of: _dt.date | None = None) -> Figures:
        """Current figures for ``region``; see the class docstring."""
        when = coerce_date(as_of, prefix=True)
        code = _normalize(region, when)
        if self._root is not None:
            where = f"{self._root}/all" if code is None else f"{self._root}/countries"
        else:
            where = str(self._path) if self._path is not None else str(self._url)
        doc = self._document(where)
        obj = _pick(doc, code, where, when)
        figures = _disease_sh_figures(obj, code, where, self.source)
        if when is not None and figures.date > when:
            raise NoData(
                code,
                when,
                f"{where} only has figures for {figures.date.isoformat()} (it serves current figures)",
            )
        return figures


class _Deadline:
    """A total time limit for one HTTP request: when it passes, the request's sockets are shut down.

    urllib's ``timeout`` bounds each socket operation only; a server sending
    one byte every few seconds would hold a request for ever.  The sockets
    the request opens are recorded (:meth:`opener`) and :meth:`expire`, run
    by a timer, shuts them down, which ends any read in progress.
    """

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def opener(self) -> urllib.request.OpenerDirector:
        """A urllib opener whose connections report their sockets to this deadline."""
        deadline = self

        def tracked(http_class: Any) -> Any:
            class Tracked(http_class):
                def __init__(self, *args: Any, **kwargs: Any) -> None:
                    super().__init__(*args, **kwargs)
                    create: Any = getattr(self, "_create_connection")  # noqa: B009 - http.client's own hook

                    def create_tracked(*a: Any, **kw: Any) -> socket.socket:
                        sock = create(*a, **kw)
                        deadline.track(sock)
                        return sock

                    self._create_connection = create_tracked

            return Tracked

        def handler(base: Any) -> Any:
            class Handler(base):
                def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
                    return super().do_open(tracked(http_class), req, **kwargs)

            return Handler()

        return urllib.request.build_opener(handler(urllib.request.HTTPHandler), handler(urllib.request.HTTPSHandler))


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _read_body(response: Any, deadline: _Deadline) -> bytes:
    """The body, read in blocks while the deadline lasts, at most ``_MAX_BODY + 1`` bytes."""
    parts: list[bytes] = []
    size = 0
    while size <= _MAX_BODY and not deadline.expired:
        block = response.read(min(1 << 16, _MAX_BODY + 1 - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    return b"".join(parts)


def _parse_json(body: bytes, where: str) -> Any:
    """The JSON document in ``body``; anything unusable is a :class:`SourceUnavailable` naming ``where``."""
    try:
        return json.loads(body)
    except RecursionError:
        raise SourceUnavailable(where, "not usable JSON (nested too deeply)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceUnavailable(where, f"not valid JSON ({printable(str(exc))})") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise SourceUnavailable(where, f"not usable JSON ({printable(str(exc))})") from None


def _pick(doc: Any, code: str | None, where: str, as_of: _dt.date | None) -> Mapping[str, Any]:
    if isinstance(doc, Mapping):
        items: list[Any] = [doc]
    elif isinstance(doc, list):
        items = doc
    else:
        raise SourceUnavailable(where, f"expected a JSON object or list, found {type(doc).__name__}")
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise SourceUnavailable(where, f"item {index} is a {type(item).__name__}, not an object")
        if "message" in item and "cases" not in item:
            raise SourceUnavailable(where, f"the API answered: {printable(str(item['message']))}")
    if code is None:
        for item in items:
            if "country" not in item:
                return item
        raise NoData(None, as_of, f"{where} has no world totals (those come from /v3/covid-19/all)")
    table = _countries()
    for item in items:
        info = item.get("countryInfo")
        iso2 = info.get("iso2") if isinstance(info, Mapping) else None
        if isinstance(iso2, str) and iso2.upper() == code:
            return item
    for item in items:  # no ISO code in the object: match the name
        name = item.get("country")
        if isinstance(name, str) and table.lookup.get(name.strip().casefold()) == code:
            return item
    raise NoData(code, as_of, f"{where} has no figures for {region_name(code)}")


def _count(obj: Mapping[str, Any], field: str, where: str, *, required: bool = False) -> int | None:
    if field not in obj or obj[field] is None:
        if required:
            raise SourceUnavailable(where, f"the field {field!r} is missing")
        return None
    value = obj[field]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(value, float) and not (math.isfinite(value) and value.is_integer())
    ):
        raise SourceUnavailable(where, f"the field {field!r} is {printable(repr(value))}, not a whole number")
    return int(value)


def _disease_sh_figures(obj: Mapping[str, Any], code: str | None, where: str, source: str) -> Figures:
    confirmed = _count(obj, "cases", where, required=True)
    deaths = _count(obj, "deaths", where, required=True)
    check_totals(where, code, None, cases=confirmed, deaths=deaths)
    recovered = _count(obj, "recovered", where)
    if recovered is not None and (recovered < 0 or (recovered == 0 and confirmed)):
        recovered = None
    active = _count(obj, "active", where) if recovered is not None else None
    if active is None and recovered is not None:
        active = _active(confirmed, deaths, recovered)
    if active is not None and active < 0:
        active = None
    stamp = _count(obj, "updated", where, required=True)
    assert stamp is not None
    try:
        updated = _dt.datetime.fromtimestamp(stamp / 1000, tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise SourceUnavailable(where, f"the field 'updated' is {printable(repr(stamp))}, not a time in "
                                       "milliseconds") from None
    name = obj.get("country") if code is not None else "World"
    if not isinstance(name, str) or not name:
        name = region_name(code)
    return Figures(
        region=code,
        name=name,
        date=updated.date(),
        updated=updated,
        confirmed=confirmed,
        deaths=deaths,
        recovered=recovered,
        active=active,
        new_confirmed=_count(obj, "todayCases", where),
        new_deaths=_count(obj, "todayDeaths", where),
        source=source,
    )
