"""Measurements on generated data: the access filter in process, the API under load through gunicorn and wrk."""

from __future__ import annotations

import os
import secrets
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p50 %d\\np95 %d\\n", latency:percentile(50), latency:percentile(95)))
end
"""


@dataclass
class Actors:
    partner: object  # a behavioral health partner member (my tasks)
    manager: object  # a BJA grant manager (case list, timeline)
    case_id: int
    partner_token: str
    manager_token: str


def actors_pick() -> Actors:
    """The busiest behavioral health organization's member, and a grant manager of the first BJA office."""
    from django.db.models import Count
    from knox.models import AuthToken

    from accounts.models import Membership
    from tasks.models import OPEN_STATUSES, Task
    from workflow.selectors import case_list

    busiest = (
        Task.objects.filter(status__in=OPEN_STATUSES, assignee_organization__kind="behavioral_health")
        .values("assignee_organization")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    partner = (
        Membership.objects.filter(organization_id=busiest["assignee_organization"], role="member")
        .select_related("user")
        .order_by("user_id")
        .first()
        .user
    )
    manager = Membership.objects.filter(role="grant_manager").select_related("user").order_by("user_id").first().user
    case = case_list(user=manager).order_by("-opened_at", "-id").first()
    return Actors(
        partner=partner,
        manager=manager,
        case_id=case.pk,
        partner_token=AuthToken.objects.create(user=partner)[1],
        manager_token=AuthToken.objects.create(user=manager)[1],
    )


def _median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def access_compare(users: dict, *, runs: int = 21) -> list[dict]:
    """visible_to against guardian's get_objects_for_user: 50 of a user's cases, newest first, median of runs."""
    from guardian.shortcuts import get_objects_for_user

    from workflow.models import Case

    results = []
    for label, user in users.items():

        def ours(user=user):
            return list(Case.objects.visible_to(user, "view").order_by("-opened_at", "-id")[:50])

        def stock(user=user):
            return list(get_objects_for_user(user, "workflow.view_case", klass=Case).order_by("-opened_at", "-id")[:50])

        ours(), stock()  # warm caches and the connection
        # Interleaved, so that noise from other processes falls on both alike.
        mine, theirs = [], []
        for _ in range(runs):
            mine.append(_median_ms(ours, 1))
            theirs.append(_median_ms(stock, 1))
        results.append(
            {
                "user": label,
                "visible": Case.objects.visible_to(user, "view").count(),
                "guardian_visible": get_objects_for_user(user, "workflow.view_case", klass=Case).count(),
                "ours_ms": statistics.median(mine),
                "guardian_ms": statistics.median(theirs),
            }
        )
    return results


def explain_visible_to(user) -> str:
    from django.db import connection

    from workflow.models import Case

    sql, params = Case.objects.visible_to(user, "view").order_by("-opened_at", "-id")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def endpoints(actors: Actors) -> list[tuple[str, str, str]]:
    """(name, path with {size}, token) for the bare view and each API list measured."""
    return [
        ("bare view (1 SQL + json.dumps)", f"/bench/bare/tasks/?user={actors.partner.pk}&limit={{size}}", ""),
        (
            "same rows through DRF + token (the framework's floor)",
            "/bench/drf/tasks/?limit={size}",
            actors.partner_token,
        ),
        ("GET /api/v1/tasks/?mine=true (partner)", "/api/v1/tasks/?mine=true&page_size={size}", actors.partner_token),
        ("GET /api/v1/cases/ (grant manager)", "/api/v1/cases/?page_size={size}", actors.manager_token),
        (
            "GET /api/v1/cases/{id}/timeline/ (grant manager)",
            f"/api/v1/cases/{actors.case_id}/timeline/?page_size={{size}}",
            actors.manager_token,
        ),
        ("GET /api/v1/me/queue/ (grant manager)", "/api/v1/me/queue/?page_size={size}", actors.manager_token),
        ("GET /api/v1/me/queue/ (partner)", "/api/v1/me/queue/?page_size={size}", actors.partner_token),
    ]


def queries_per_request(actors: Actors) -> dict[str, dict[int, int]]:
    """Queries of one request with 5 and with 50 rows, through Django's test client (after a warm-up)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, found = Client(), {}
    for name, path, token in endpoints(actors):
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
        found[name] = {}
        for size in (5, 50):
            assert client.get(path.format(size=size), **headers).status_code == 200, path
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path.format(size=size), **headers)
            assert response.status_code == 200, (path, response.status_code)
            found[name][size] = len(queries)
    return found


PAGES = ["/", "/cases/", "/tasks/", "/notifications/", "/queue/"]


def pages(actors: Actors, *, runs: int = 7) -> list[dict]:
    """Server-rendered pages for both users, in process (test client, signed in): median ms and queries."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = []
    for label, user in (("grant manager", actors.manager), ("behavioral health partner", actors.partner)):
        client = signed_in(Client(), user)
        for path in PAGES:
            assert client.get(path).status_code == 200, path  # warm-up
            reset_queries()  # Each request resets the log at its start: begin the capture from an empty one.
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            found.append(
                {
                    "user": label,
                    "page": path,
                    "ms": _median_ms(lambda client=client, path=path: client.get(path), runs),
                    "queries": len(queries),
                }
            )
    return found


def signed_in(client, user):
    """`client` signed in as `user`, second factor done (a grant manager's password-only session is sent to it)."""
    from accounts.mfa import session_assurance_record

    client.force_login(user)
    session = client.session
    session_assurance_record(session, method="bench", mfa=True, factor="bench")
    session.save()
    return client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def throughput(actors: Actors, database_url: str, *, duration: int, connections: int, rounds: int) -> dict:
    """gunicorn (2 sync workers, production settings) on loopback, loaded by wrk endpoint after endpoint."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_DEBUG="0", BENCH="1", SECURE_SSL_REDIRECT="0",
               SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING")  # fmt: skip
    gunicorn = subprocess.Popen(
        [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    results: dict[str, list[dict]] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for _name, path, token in endpoints(actors):
            _wait_ok(base + path.format(size=50), token)
        for _ in range(rounds):
            for name, path, token in endpoints(actors):
                command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", script.name]
                if token:
                    command += ["-H", f"Authorization: Token {token}"]
                output = subprocess.run(
                    [*command, base + path.format(size=50)], capture_output=True, text=True, check=True
                ).stdout
                rss = max((_rss_mb(pid) for pid in _workers(gunicorn.pid)), default=0.0)
                results.setdefault(name, []).append(_parse_wrk(output) | {"rss_mb": rss})
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        os.unlink(script.name)
    return {name: _summarize(runs) for name, runs in results.items()}


def _wait_ok(url: str, token: str) -> None:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200")


def _parse_wrk(output: str) -> dict:
    found = {"errors": 0}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            found["rps"] = float(parts[1])
        elif parts[:1] in (["p50"], ["p95"]):
            found[parts[0]] = int(parts[1]) / 1000
        elif line.strip().startswith("Non-2xx"):
            found["errors"] = int(parts[-1])
    return found


def _summarize(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p95": statistics.median(run["p95"] for run in runs),
        "rss_mb": max(run["rss_mb"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "runs": [round(run["rps"]) for run in runs],
    }
