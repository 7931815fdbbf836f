"""Reminder sweep and delivery at scale, on PostgreSQL. Writes its results to docs/benchmarks.md.

    python -m bench.sweep                      # 100k and 1M tasks, 10,000 entering a window, 10,000 emails
    BENCH_PROFILE=national python -m bench.sweep   # 100k, 1M and 2M tasks (the national profile's count)
    python -m bench.sweep --sizes 100000 --dry-run

It uses its own database (``BENCH_DATABASE_URL`` with ``_sweep`` added to its name, by default
``postgres://postgres@127.0.0.1:5432/jmhcp_bench_sweep``), creates it when missing, migrates it, and empties
it before each size. Rows are made in bulk on the server (``INSERT … SELECT generate_series``). For each size
it measures one sweep with `--due` tasks entering a window among all the others, then a sweep with nothing
due. Then one process (what one solo Celery worker runs) delivers the notifications to a local SMTP sink
(``python -m aiosmtpd``, a separate process) over a reused connection.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import ensure_database

BASE_DIR = Path(__file__).resolve().parent.parent
SECTION = "## Reminder sweep and delivery"
ORGANIZATIONS, MEMBERS, CASES = 100, 10, 20_000


def setup_django(url: str, smtp_port: int) -> None:
    os.environ["DATABASE_URL"] = url
    # Production settings (DEBUG off: cached templates, no query log), with throwaway secrets.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


POPULATE = [
    "TRUNCATE accounts_organization, accounts_user, accounts_membership, workflow_case, workflow_participant, "
    "tasks_task, reminders_deadline, reminders_notification, operations_heartbeat RESTART IDENTITY CASCADE",
    # 100 police departments (leads) then 100 behavioral health partners, in the four continental zones.
    """INSERT INTO accounts_organization (name, kind, state, jurisdiction, time_zone, is_learning_site, is_active,
                                          created_at)
       SELECT CASE WHEN g <= {orgs} THEN 'Bench Police ' ELSE 'Bench Health ' END || g,
              CASE WHEN g <= {orgs} THEN 'law_enforcement' ELSE 'behavioral_health' END, 'IL', 'Bench',
              (ARRAY['America/New_York','America/Chicago','America/Denver','America/Los_Angeles'])[1 + g % 4],
              false, true, now()
       FROM generate_series(1, 2 * {orgs}) g""",
    # Ten people per organization; the first of each ten is its admin.
    """INSERT INTO accounts_user (password, is_superuser, email, full_name, time_zone, is_active, is_staff,
                                  date_joined)
       SELECT '!', false, 'bench' || g || '@bench.example', 'Bench Person ' || g, 'America/Chicago', true, false,
              now()
       FROM generate_series(1, 2 * {orgs} * {members}) g""",
    """INSERT INTO accounts_membership (user_id, organization_id, role, is_active, created_at, updated_at)
       SELECT g, (g - 1) / {members} + 1, CASE WHEN (g - 1) % {members} = 0 THEN 'admin' ELSE 'member' END, true,
              now(), now()
       FROM generate_series(1, 2 * {orgs} * {members}) g""",
    """INSERT INTO workflow_case (kind, title, stage, organization_id, version, opened_at)
       SELECT 'bench_case', 'Bench case ' || c, 'active', 1 + c % {orgs}, 1, now()
       FROM generate_series(1, {cases}) c""",
    """INSERT INTO workflow_participant (case_id, organization_id, role, added_at)
       SELECT c, 1 + c % {orgs}, 'lead', now() FROM generate_series(1, {cases}) c
       UNION ALL
       SELECT c, {orgs} + 1 + c % {orgs}, 'co_applicant', now() FROM generate_series(1, {cases}) c""",
    # Tasks spread over ~1,000 days around today; the first `due` ones are due tomorrow. Each is assigned
    # to one of the nine non-admin members of its case's lead organization.
    """INSERT INTO tasks_task (case_id, title, description, assignee_id, assignee_organization_id, created_by_id,
                               due_date, priority, status, blocked_reason, origin_kind, origin_label, created_at,
                               updated_at)
       SELECT 1 + i % {cases}, 'Bench task ' || i, '',
              (1 + (1 + i % {cases}) % {orgs} - 1) * {members} + 2 + i % ({members} - 1),
              1 + (1 + i % {cases}) % {orgs}, (1 + (1 + i % {cases}) % {orgs} - 1) * {members} + 1,
              CASE WHEN i <= {due} THEN current_date + 1 ELSE current_date - 300 + ((i::bigint * 7919) % 1000)::int END,
              2, 'open', '', '', '', now(), now()
       FROM generate_series(1, {size}) i""",
    # Their mirrors: the due ones must be looked at now; the others later this month, or never (long past).
    """INSERT INTO reminders_deadline (source, object_id, case_id, title, due_date, time_zone, next_remind_at,
                                   updated_at)
       SELECT 'task', t.id, t.case_id, t.title, t.due_date, o.time_zone,
              CASE WHEN t.id <= {due} THEN now() - interval '1 minute'
                   WHEN t.due_date < current_date - 90 THEN NULL
                   ELSE now() + interval '1 hour' + (t.id % 720) * interval '1 hour' END,
              now()
       FROM tasks_task t JOIN workflow_case c ON c.id = t.case_id JOIN accounts_organization o
         ON o.id = c.organization_id""",
    "ANALYZE",
]


def populate(size: int, due: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in POPULATE:
            cursor.execute(statement.format(orgs=ORGANIZATIONS, members=MEMBERS, cases=CASES, size=size, due=due))
    return time.perf_counter() - started


def timed_sweep():
    from django.db import connection

    from reminders.services import outbox
    from reminders.services.sweep import reminders_sweep

    # In production each batch's commit publishes one small "deliver now" message; there is no broker here,
    # and the delivery is measured on its own below.
    outbox.delivery_nudge_register(lambda: None)

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = reminders_sweep()
        elapsed = time.perf_counter() - started
    return elapsed, result, count[0]


def sweep_plan() -> str:
    """EXPLAIN of the sweep's batch query: it must read the partial index, not the table."""
    from django.db import connection
    from django.utils import timezone

    from reminders.models import Deadline

    query = Deadline.objects.filter(next_remind_at__lte=timezone.now()).order_by("next_remind_at", "id")[:2000]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0].strip() for row in cursor.fetchall())
    return "index scan on deadline_sweep_idx" if "deadline_sweep_idx" in plan else f"NOT INDEXED: {plan[:200]}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sink(port: int) -> subprocess.Popen:
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return sink
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the SMTP sink (python -m aiosmtpd) did not start")


def deliver(emails: int) -> tuple[int, float]:
    from reminders.models import Notification, NotificationStatus
    from reminders.services.delivery import notifications_deliver

    pending = Notification.objects.filter(status=NotificationStatus.PENDING)
    keep = list(pending.order_by("id").values_list("id", flat=True)[:emails])
    pending.exclude(id__in=keep).update(status=NotificationStatus.IN_APP)
    started = time.perf_counter()
    result = notifications_deliver(time_budget=3600)
    return result.sent, time.perf_counter() - started


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    memory = ""
    try:
        kilobytes = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kilobytes / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; PostgreSQL {postgres} "
        f"on the same machine; load average at the end {load} (other work shares the machine: compare runs "
        "with that in mind)"
    )


def report(rows: list[dict], delivery: tuple[int, float], args) -> str:
    sent, seconds = delivery
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `make bench` (`python -m bench.sweep "
        f"--sizes {args.sizes} --due {args.due} --emails {args.emails}`) on {machine()}.",
        "",
        "One sweep (`reminders.services.sweep.reminders_sweep`, as beat's task runs it) over PostgreSQL with "
        f"{args.due:,} tasks entering a window (due tomorrow, each assigned to one of 900 people) among all the "
        "others, then a second sweep with nothing left due. Rows are generated on the server with "
        "`INSERT … SELECT generate_series`.",
        "",
        "| tasks | generate | sweep, due entering a window | notifications | queries | sweep, nothing due "
        "| due-query plan |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']:,} | {row['generate']:.1f} s | {row['sweep']:.2f} s ({row['due']:,} due) | "
            f"{row['notifications']:,} | {row['queries']:,} | {row['idle'] * 1000:.0f} ms | {row['plan']} |"
        )
    lines += [
        "",
        f"Delivery: one process (what one `--pool=solo` worker runs) sent {sent:,} reminder emails to a local SMTP "
        f"sink (`python -m aiosmtpd -c aiosmtpd.handlers.Sink`, another process) in {seconds:.1f} s: "
        f"**{sent / seconds:.0f} emails per second**, over one reused SMTP connection, each rendered "
        "(plain text and HTML), its recipient's access re-checked (one query per claimed batch, "
        "`workflow.access.visible_pairs`) and marked sent on its own. The SMTP sink shares the two cores: "
        "this figure moves by a third between runs on a busy machine.",
        "",
        "The sweep's time follows the number of deadlines due, not the number of tasks: it reads only "
        "deadlines whose `next_remind_at` has come, through the partial index `deadline_sweep_idx`. Most of "
        "its time is building the notification rows and inserting them (one multi-row `INSERT … ON CONFLICT DO "
        "NOTHING` per 1,000). Whether each person may still see the case is asked when a notification is shown "
        "or sent, so that cost is in the delivery figure.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> Path:
    path = BASE_DIR / "docs" / "benchmarks.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n\nResults of `make bench` (scripts in `bench/`).\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    updated = (
        pattern.sub(lambda _: text + "\n", current) if pattern.search(current) else current.rstrip() + "\n\n" + text
    )
    path.write_text(updated.rstrip() + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    national = os.environ.get("BENCH_PROFILE") == "national"
    parser.add_argument(
        "--sizes", default="100000,1000000" + (",2000000" if national else ""), help="comma-separated task counts"
    )
    parser.add_argument("--due", type=int, default=10_000, help="tasks entering a window at sweep time")
    parser.add_argument("--emails", type=int, default=10_000, help="emails to deliver after the last sweep")
    parser.add_argument("--dry-run", action="store_true", help="print the results; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    url = ensure_database(suffix="_sweep")
    port = free_port()
    setup_django(url, port)

    rows = []
    for size in (int(value) for value in args.sizes.split(",")):
        generate = populate(size, args.due)
        plan = sweep_plan()
        elapsed, result, queries = timed_sweep()
        idle, _, _ = timed_sweep()
        row = {"size": size, "generate": generate, "sweep": elapsed, "due": result.deadlines,
               "notifications": result.notifications, "queries": queries, "idle": idle, "plan": plan}  # fmt: skip
        rows.append(row)
        print(
            f"{size:>9,} tasks: generated in {generate:.1f} s; sweep {elapsed:.2f} s for {result.deadlines:,} due "
            f"({result.notifications:,} notifications, {queries:,} queries); idle sweep {idle * 1000:.0f} ms; {plan}"
        )
    sink = start_sink(port)
    try:
        delivery = deliver(args.emails)
    finally:
        sink.terminate()
    print(f"delivery: {delivery[0]:,} emails in {delivery[1]:.1f} s = {delivery[0] / delivery[1]:.0f}/s")
    text = report(rows, delivery, args)
    if args.dry_run:
        print(text)
    else:
        print(f"written to {write_section(text)}")


if __name__ == "__main__":
    main()
