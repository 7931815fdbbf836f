"""Assertions the whole suite reuses: access rules, query counts, times that name their zone."""

from __future__ import annotations

import functools
import re
import time
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from config.times import zone_abbreviation


def totp_code(key: bytes, *, last_t: int = -1) -> str:
    """The code an authenticator app shows now for `key`, as a person would type it.

    A device refuses a code of a time step it already accepted (`last_t`); like a person who waits for the
    next code, take the next step's (the device accepts one step of drift), or wait for it.
    """
    from django_otp.oath import TOTP

    totp = TOTP(key)
    totp.time = time.time()
    while totp.t() + 1 <= last_t:
        time.sleep(1)
        totp.time = time.time()
    if totp.t() <= last_t:
        totp.time = (last_t + 1) * totp.step
    return f"{totp.token():06d}"


def password_only(client) -> None:
    """Make the client's session one that signed in with a password and has not shown a second factor yet."""
    from accounts.mfa import ASSURANCE_SESSION_KEY

    session = client.session
    session.pop(ASSURANCE_SESSION_KEY, None)
    session.save()


def api_client(user: User | None = None) -> APIClient:
    """An API client signed in with a real session (the same path the browser takes)."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class Write:
    """One write request: method, URL and body."""

    method: str
    url: str
    data: dict = field(default_factory=dict)

    def send(self, client) -> object:
        return getattr(client, self.method)(self.url, self.data, format="json")


def _snapshot(models: Iterable) -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def assert_access_rules(
    *,
    read_url: str,
    writes: Iterable[Write],
    outsider: User,
    viewer: User,
    models: Iterable,
    client_factory: Callable[[User], object] = api_client,
) -> None:
    """An outsider gets 404 for the read and every write; a viewer may read but every write is refused.

    `models` are snapshotted before and compared after: a refused write changes nothing.
    """
    writes, models = list(writes), list(models)
    before = _snapshot(models)

    outsider_client = client_factory(outsider)
    response = outsider_client.get(read_url)
    assert response.status_code == 404, f"outsider GET {read_url}: {response.status_code}"
    for write in writes:
        response = write.send(outsider_client)
        assert response.status_code == 404, f"outsider {write.method.upper()} {write.url}: {response.status_code}"

    viewer_client = client_factory(viewer)
    response = viewer_client.get(read_url)
    assert response.status_code == 200, f"viewer GET {read_url}: {response.status_code}"
    for write in writes:
        response = write.send(viewer_client)
        assert response.status_code == 403, f"viewer {write.method.upper()} {write.url}: {response.status_code}"

    assert _snapshot(models) == before, "a refused request changed data"


def count_queries(request: Callable[[], object]) -> tuple[int, list[str], object]:
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return len(queries), [query["sql"] for query in queries.captured_queries], response


def assert_constant_queries(
    *,
    request: Callable[[], object] | None = None,
    requests: dict | None = None,
    grow: Callable[[int], None],
    small: int = 5,
    large: int = 50,
):
    """The request issues as many queries with `large` rows as with `small`. Returns the count.

    With `requests` (label -> request) instead, each of them, the rows grown once for all: returns the counts.
    """
    measured = {"the request": request} if requests is None else requests
    counts = queries_at_two_sizes(requests=measured, grow=grow, small=small, large=large)
    found = {label: each.assert_constant() for label, each in counts.items()}
    return found if requests is not None else found["the request"]


@dataclass
class QueryCounts:
    """What one request cost with `small` rows and with `large`, and how it answered."""

    label: str
    small: int
    large: int
    few: int
    many: int
    many_sql: list[str]
    answers: list  # The responses with `small` rows and with `large`.

    def assert_constant(self) -> int:
        """Both answers were 200 and cost the same queries. Returns the count."""
        for response in self.answers:
            assert response.status_code == 200, f"{self.label}: {response.content[:500]}"
        assert self.few == self.many, (
            f"{self.label}: {self.few} queries for {self.small} rows, {self.many} for {self.large}:\n"
            + "\n".join(self.many_sql)
        )
        return self.many


def queries_at_two_sizes(
    *, requests: dict, grow: Callable[[int], None], small: int = 5, large: int = 50
) -> dict[object, QueryCounts]:
    """Each request's queries with `small` rows and with `large` (`requests`: label -> request).

    The rows grow once for all the requests: building rows through the services is what costs (seconds for 50),
    so a module that checks several lists of one world measures them together (see tests/grants/test_queries.py).
    """
    grow(small)
    few = {}
    for label, request in requests.items():
        request()  # Warm caches (content types, sessions) so both measured runs start alike.
        few[label] = count_queries(request)
    grow(large - small)
    counts = {}
    for label, request in requests.items():
        many, many_sql, response = count_queries(request)
        counts[label] = QueryCounts(
            str(label), small, large, few[label][0], many, many_sql, answers=[few[label][2], response]
        )
    return counts


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags or attributes, no script, style or form field contents."""

    HIDDEN = frozenset({"script", "style", "textarea", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


@functools.cache
def _zone_pattern() -> re.Pattern:
    """Every abbreviation a zone of the time zone list can have (summer and winter), as `config.times` writes it."""
    names = {"UTC", "GMT"}
    for zone in zoneinfo.available_timezones():
        for month in (1, 7):
            names.add(zone_abbreviation(datetime(2027, month, 15, tzinfo=zoneinfo.ZoneInfo(zone))))
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\s*(?:{alternatives})(?![A-Za-z0-9])")


_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?(?![\d:])")


def times_without_zone(html: str) -> list[str]:
    """Times of day shown on a page (or in an email) that do not name their zone, each with a little context.

    A moment must read like "Mar 5, 2027, 10:00 AM EST" (``config.times.moment_text``). Attributes, such as
    ``<time datetime="…">``, and form fields are not looked at: only what a reader sees.
    """
    text = visible_text(html) if "<" in html else html
    zone = _zone_pattern()
    found = []
    for match in _CLOCK.finditer(text):
        if not zone.match(text, match.end()):
            found.append(text[max(0, match.start() - 14) : match.end() + 6].strip())
    return found


_ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")


def iso_dates_shown(html: str) -> list[str]:
    """Machine dates ("2026-12-02") in what a reader sees, where a page should write "Dec 2, 2026"."""
    return _ISO_DATE.findall(visible_text(html))


def signed_in(user):
    """A test client signed in as `user` (second factor done: tests/conftest.py makes force_login a full sign-in)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
