""" "Waiting for me" at scale: the queue API, the queue page and the navigation count, for the grant manager and a
partner, on the scale data of bench/access_and_api.py. Writes its section of docs/benchmarks.md.

    python -m bench.queue                      # the data already in jmhcp_bench (generated when it is empty)
    BENCH_PROFILE=medium python -m bench.queue # the profile to generate when the database is empty

In process through Django's test client (token for the API, a session for the page), DEBUG on for the query
count: median of ``BENCH_RUNS`` (21) requests after a warm-up, and ``EXPLAIN ANALYZE`` of the grant manager's
first page. The queue's rows are rebuilt from the routing declarations when the table is empty (generated data
is written around the services, so no event listener kept it).
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime
from functools import partial

from bench import ensure_database
from bench.access_and_api import generate, machine, setup_django, write_section

SECTION = "## Waiting for me (the queue)"
# What the last recorded run showed (kept with the table it explains; revise it with the next run).
NOTE = (
    "How it is read (`reminders.queue.Queue`): each source (one per membership, one for the rows naming the person) "
    "is written as SQL with the access conditions from `workflow.access` (`participation_sql`, `reach_sql`) and "
    "walks a covering index in the queue's order (`waiting_org_idx`, `waiting_user_idx`, index-only); an item held "
    "two ways is kept by the first source that holds it (`NOT EXISTS` on the earlier ones), so the sources are a "
    "plain UNION ALL; only the page's rows are read in full, with their case's title, and the navigation's count "
    'stops at 100 ("99+"). Before: a UNION over every field hashed each held row whole and probed '
    "`participant_org_case_idx` once per row (3,552 probes for the grant manager), and building the querysets cost "
    "several times the query. What remains for a grant manager is the sort of 3,500 narrow rows for a page."
)


def _median_ms(request, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def _queries(request) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert request().status_code == 200
    return len(queries)


def measure(actors, runs: int) -> list[dict]:
    from django.test import Client

    from bench.scale.measure import signed_in
    from reminders.queue import queue_count, queue_for_user
    from workflow.models import Case

    rows = []
    for label, user, token in (
        ("grant manager", actors.manager, actors.manager_token),
        ("behavioral health partner", actors.partner, actors.partner_token),
    ):
        api, page = Client(), signed_in(Client(), user)
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
        size_5 = partial(api.get, "/api/v1/me/queue/?page_size=5", **headers)
        size_50 = partial(api.get, "/api/v1/me/queue/?page_size=50", **headers)
        queue_page = partial(page.get, "/queue/")
        for request in (size_5, size_50, queue_page):
            request()  # Warm-up.
        started = time.perf_counter()
        for _ in range(runs):
            queue_count(user=user)
        count_ms = (time.perf_counter() - started) * 1000 / runs
        rows.append(
            {
                "user": label,
                "visible": Case.objects.visible_to(user).count(),
                "items": queue_for_user(user=user).count(),
                "api_ms": _median_ms(size_50, runs),
                "api_queries": (_queries(size_5), _queries(size_50)),
                "page_ms": _median_ms(queue_page, runs),
                "page_queries": _queries(queue_page),
                "count_ms": count_ms,
            }
        )
    return rows


def explain(user) -> str:
    from django.db import connection

    from reminders.queue import queue_for_user

    sql, params = queue_for_user(user=user)[:50].sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def report(rows, *, waiting: int, rebuilt: str, plan: str, runs: int) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python -m bench.queue` on {machine()}, on the scale "
        f"data below ({waiting:,} waiting item rows; {rebuilt}). In process (Django's test client, DEBUG on), "
        f"median of {runs} requests; the API with a token and 50 rows, the page signed in with its 25 rows, the "
        "navigation count alone (`queue_count`, one query, mean).",
        "",
        "| user | cases visible | items waiting | API ms | API queries (5 / 50 rows) | page ms | page queries | "
        "count ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {row['user']} | {row['visible']:,} | {row['items']:,} | {row['api_ms']:.1f} | "
            f"{row['api_queries'][0]} / {row['api_queries'][1]} | {row['page_ms']:.1f} | {row['page_queries']} | "
            f"{row['count_ms']:.2f} |"
            for row in rows
        ],
        "",
        NOTE,
        "",
        "`EXPLAIN (ANALYZE, BUFFERS)` of the grant manager's first 50 items:",
        "",
        "```",
        plan,
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    url = ensure_database()
    runs = int(os.environ.get("BENCH_RUNS", 21))
    setup_django(url)
    from django.db import connection

    from workflow.models import Case

    if "workflow_case" not in connection.introspection.table_names() or not Case.objects.exists():
        connection.close()  # The generator drops and recreates the database: no session of ours may hold it.
        generate(url, os.environ.get("BENCH_PROFILE", "small"), os.environ.get("BENCH_SEED", "1"))
    from bench.scale import measure as scale
    from reminders.models import WaitingItem
    from reminders.services.handoffs import waiting_rebuild

    rebuilt = "kept by the generator"
    if not WaitingItem.objects.exists():
        started = time.monotonic()
        waiting_rebuild()
        rebuilt = f"rebuilt from the declarations in {time.monotonic() - started:.0f} s"
    actors = scale.actors_pick()
    rows = measure(actors, runs)
    print(rows)
    text = report(rows, waiting=WaitingItem.objects.count(), rebuilt=rebuilt, plan=explain(actors.manager), runs=runs)
    if os.environ.get("BENCH_DRY_RUN"):
        print(text)
    else:
        print(f"wrote {write_section(text, SECTION)}")


if __name__ == "__main__":
    main()
