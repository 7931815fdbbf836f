"""Scale data, the access filter and API throughput, side by side. Writes its section of docs/benchmarks.md.

    python -m bench.access_and_api                     # BENCH_PROFILE=small by default; national for the full run
    BENCH_PROFILE=national python -m bench.access_and_api
    BENCH_SKIP_GENERATE=1 python -m bench.access_and_api   # reuse the data already in jmhcp_bench

Environment: ``BENCH_PROFILE`` (small, medium, national), ``BENCH_SEED`` (1), ``BENCH_DURATION`` (seconds of
load per endpoint and round, 8), ``BENCH_CONNECTIONS`` (8), ``BENCH_ROUNDS`` (3), ``BENCH_DRY_RUN=1`` (print,
leave the docs alone).
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import ensure_database

BASE_DIR = Path(__file__).resolve().parent.parent
SECTION = "## Scale data, access filter and API throughput"


def machine() -> str:
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    postgres = subprocess.run(
        ["psql", ensure_database(), "-tAc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores (`nproc`), {int(memory.split()[1]) / 1024 / 1024:.1f} GB memory, "
        f"PostgreSQL {postgres or '?'}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def generate(url: str, profile: str, seed: str) -> str:
    env = dict(os.environ, DATABASE_URL=url, BENCH="1", DJANGO_DEBUG="1")
    command = [sys.executable, "manage.py", "generate_scale_data", "--profile", profile, "--seed", seed, "--recreate"]
    completed = subprocess.run(
        ["/usr/bin/time", "-f", "maxrss %M", *command], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
    )
    if completed.returncode:
        sys.exit(completed.returncode)
    print(completed.stdout)
    return completed.stdout


def setup_django(url: str) -> None:
    # In process: the test client for query counts (DEBUG on for its host name); gunicorn runs with DEBUG off.
    os.environ.update(DATABASE_URL=url, BENCH="1", DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def table_counts() -> list[tuple[str, int]]:
    from django.db import connection

    tables = ["accounts_organization", "accounts_user", "accounts_membership", "workflow_case", "workflow_participant",
              "workflow_event", "tasks_task", "workflow_milestone", "workflow_caseuserpermission",
              "reminders_notification"]  # fmt: skip
    with connection.cursor() as cursor:
        found = []
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            found.append((table, cursor.fetchone()[0]))
    return found


def report(*, profile, command, generated, counts, access, plan, queries, http, settings, pages) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}` on {machine()}. "
        "The machine is shared with other work: compare the ratios, which are measured side by side.",
        "",
        f"### API throughput (profile `{profile}`)",
        "",
        f"gunicorn, 2 sync workers, production settings (DEBUG off), PostgreSQL; `wrk -t2 -c{settings['connections']} "
        f"-d{settings['duration']}s` on loopback, endpoint after endpoint, {settings['rounds']} rounds "
        "(median shown, each round's req/s in the last column). 50 rows per response. Queries per request are "
        "counted on one request through Django's test client, with 5 and with 50 rows.",
        "",
        "| endpoint | ratio to bare view | ratio to the floor | req/s | p50 ms | p95 ms | queries (5 / 50 rows) "
        "| worker RSS MB | rounds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    bare, floor = (result["rps"] for result in list(http.values())[:2])
    for name, result in http.items():
        counted = queries[name]
        errors = f" ({result['errors']} non-2xx!)" if result["errors"] else ""
        lines.append(
            f"| {name}{errors} | {result['rps'] / bare:.2f}× | {result['rps'] / floor:.2f}× | {result['rps']:,.0f} "
            f"| {result['p50']:.1f} | "
            f"{result['p95']:.1f} | {counted[5]} / {counted[50]} | {result['rss_mb']:.0f} | "
            f"{', '.join(map(str, result['runs']))} |"
        )
    lines += [
        "",
        f"### Pages (profile `{profile}`)",
        "",
        "Server-rendered pages, one user after the other, in process through Django's test client (signed in, "
        "templates rendered, DEBUG on for the query count): median of 7 requests. Not a throughput figure: "
        "it guards against a page that reads the whole country (a grant manager's dashboard once took 2 s).",
        "",
        "| user | page | ms | queries |",
        "| --- | --- | ---: | ---: |",
        *[f"| {row['user']} | `{row['page']}` | {row['ms']:.0f} | {row['queries']} |" for row in pages],
    ]
    lines += [
        "",
        f"### Access filter (profile `{profile}`)",
        "",
        "`Case.objects.visible_to(user, 'view')` against django-guardian's stock "
        "`get_objects_for_user(user, 'workflow.view_case', klass=Case)` (direct foreign-key permission models), "
        "listing the newest 50 of the user's cases; median of 21 interleaved runs. Guardian sees only the "
        "per-object grants; `visible_to` also the cases of the user's organizations.",
        "",
        "| user | visible_to faster by | visible_to ms | guardian ms | cases visible (ours / guardian's) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in access:
        lines.append(
            f"| {row['user']} | {row['guardian_ms'] / row['ours_ms']:.1f}× | {row['ours_ms']:.2f} | "
            f"{row['guardian_ms']:.2f} | {row['visible']:,} / {row['guardian_visible']:,} |"
        )
    lines += [
        "",
        "`EXPLAIN (ANALYZE, BUFFERS)` of `visible_to` for the grant manager (newest 50):",
        "",
        "```",
        plan,
        "```",
        "",
        f"### Scale data (profile `{profile}`)",
        "",
        f"`python manage.py generate_scale_data --profile PROFILE --seed 1 --recreate` (with `BENCH=1`): {generated}",
        "",
        "| table | rows |",
        "| --- | ---: |",
        *[f"| {table} | {rows:,} |" for table, rows in counts],
        "",
        "### Targets",
        "",
        *targets(http, queries, access, pages),
        "",
    ]
    return "\n".join(lines)


def targets(http, queries, access, pages) -> list[str]:
    """One line per target of issues 8 and 17: met or missed, and by how much."""
    bare = next(iter(http.values()))["rps"]
    apis = {name: result["rps"] / bare for name, result in http.items() if name.startswith("GET ")}
    timeline = {name: ratio for name, ratio in apis.items() if "timeline" in name}
    lists = {name: ratio for name, ratio in apis.items() if name not in timeline}
    most = max(max(counted.values()) for name, counted in queries.items() if name.startswith("GET "))
    same = all(counted[5] == counted[50] for counted in queries.values())
    speedups = [row["guardian_ms"] / row["ours_ms"] for row in access]
    rss = max(result["rss_mb"] for result in http.values())
    heaviest = max(pages, key=lambda row: (row["queries"], row["ms"]))
    slowest = max(pages, key=lambda row: row["ms"])

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    def listed(ratios: dict) -> str:
        return ", ".join(f"{name.removeprefix('GET ')} {ratio:.2f}×" for name, ratio in ratios.items())

    return [
        f"- Hot lists (tasks, cases, queue) ≥ 0.5× the bare view: {verdict(min(lists.values()) >= 0.5)} "
        f"({listed(lists)}).",
        f"- The timeline ≥ 0.6× the bare view: {verdict(min(timeline.values()) >= 0.6)} ({listed(timeline)}).",
        f"- ≤ 3 queries per list request, authentication included, the same for 5 and 50 rows: "
        f"{verdict(most <= 3 and same)} (most {most}; same for 5 and 50 rows: {'yes' if same else 'no'}).",
        f"- Pages ≤ 12 queries: {verdict(heaviest['queries'] <= 12)} (most {heaviest['queries']}, "
        f"{heaviest['user']} `{heaviest['page']}`); ≤ 50 ms: {verdict(slowest['ms'] <= 50)} "
        f"(slowest {slowest['ms']:.0f} ms, {slowest['user']} `{slowest['page']}`).",
        f"- visible_to ≥ 3× faster than guardian: {verdict(min(speedups) >= 3)} "
        f"({', '.join(f'{speed:.1f}×' for speed in speedups)}).",
        f"- Worker RSS under load ≤ 150 MB: {verdict(rss <= 150)} ({rss:.0f} MB).",
    ]


def write_section(text: str, section: str = SECTION) -> Path:
    """Replace this section only; the others (the reminder sweep's) are kept as they are."""
    path = BASE_DIR / "docs" / "benchmarks.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n\nResults of `make bench` (scripts in `bench/`).\n"
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    updated = (
        pattern.sub(lambda _: text + "\n", current) if pattern.search(current) else current.rstrip() + "\n\n" + text
    )
    path.write_text(updated.rstrip() + "\n")
    return path


def main() -> None:
    profile, seed = os.environ.get("BENCH_PROFILE", "small"), os.environ.get("BENCH_SEED", "1")
    settings = {
        "duration": int(os.environ.get("BENCH_DURATION", 8)),
        "connections": int(os.environ.get("BENCH_CONNECTIONS", 8)),
        "rounds": int(os.environ.get("BENCH_ROUNDS", 3)),
    }
    url = ensure_database()
    generated = "not regenerated in this run (BENCH_SKIP_GENERATE=1)."
    if not os.environ.get("BENCH_SKIP_GENERATE"):
        started = time.monotonic()
        output = generate(url, profile, seed)
        summary = next((line for line in output.splitlines() if line.startswith("Generated")), "")
        generated = f"{summary} Whole command with migrations: {time.monotonic() - started:.0f} s."
    setup_django(url)
    from bench.scale import measure

    actors = measure.actors_pick()
    print(f"partner user {actors.partner.pk}, grant manager {actors.manager.pk}, timeline case {actors.case_id}")
    access = measure.access_compare({"grant manager": actors.manager, "behavioral health partner": actors.partner})
    print(access)
    plan = measure.explain_visible_to(actors.manager)
    queries = measure.queries_per_request(actors)
    print(queries)
    pages = measure.pages(actors)
    print(pages)
    http = measure.throughput(actors, url, **settings)
    print(http)
    text = report(
        profile=profile,
        command=f"BENCH_PROFILE={profile} make bench",
        generated=generated,
        counts=table_counts(),
        access=access,
        plan=plan,
        queries=queries,
        http=http,
        settings=settings,
        pages=pages,
    )
    if os.environ.get("BENCH_DRY_RUN"):
        print(text)
    else:
        print(f"wrote {write_section(text)}")


if __name__ == "__main__":
    main()
