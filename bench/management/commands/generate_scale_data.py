"""``manage.py generate_scale_data --profile national --seed 1``: see bench/scale/generate.py and docs/benchmarks.md."""

from __future__ import annotations

import resource
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.scale.generate import PROFILES, GenerationRefused, Plan, generate
from bench.scale.progress import Progress


def recreate_database() -> None:
    """Drop and create the configured database (only one whose name says it is a benchmark's), then migrate."""
    import psycopg

    settings = connection.settings_dict
    name = settings["NAME"]
    if "bench" not in name:
        raise CommandError(f"--recreate drops the database: refusing for {name!r} (its name must contain 'bench').")
    connection.close()
    params = {"host": settings["HOST"], "port": settings["PORT"] or None, "user": settings["USER"]}
    params["password"] = settings["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


class Command(BaseCommand):
    help = "Fill a benchmark PostgreSQL database with deterministic national-scale data."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", type=float, help="Override the profile's share of national scale (tests).")
        parser.add_argument("--recreate", action="store_true", help="Drop and recreate the database first.")

    def handle(self, *args, profile, seed, scale, recreate, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"generate_scale_data needs PostgreSQL (this database is {connection.vendor}). "
                "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/jmhcp_bench."
            )
        if recreate:
            recreate_database()
        from django.contrib.auth.models import Permission

        from workflow.machines import registry

        plan = Plan.for_profile(profile, seed=seed, scale=scale, machines=list(registry))
        permissions = Permission.objects.filter(content_type__app_label="workflow", content_type__model="case")
        permission_ids = dict(permissions.values_list("codename", "id"))
        progress = Progress(plan.total_rows, label="starting")
        started = time.monotonic()
        try:
            with connection.cursor() as cursor:
                made = generate(cursor, plan, permission_ids=permission_ids, progress=progress)
        except GenerationRefused as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.close()
        seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for label, rows in made.items():
            self.stdout.write(f"  {label:<20} {rows:>12,}")
        missing = {"application", "award", "partnership", "ta_request"} - {kind for kind, *_ in plan.kinds}
        if missing:
            self.stdout.write(f"  (no stage machine registered for {', '.join(sorted(missing))}: none of those made)")
        self.stdout.write(
            f"Generated profile {profile} (seed {seed}) in {seconds:.1f} s; "
            f"peak memory of this process {peak_mb:.0f} MB."
        )
        # The rows were written around the services, so no event listener kept the queue: build it from the
        # declarations, as `manage.py waiting_rebuild` does for data that predates them.
        from reminders.services.handoffs import waiting_rebuild

        started = time.monotonic()
        written = waiting_rebuild()
        with connection.cursor() as cursor:
            # Check the new rows' deferred foreign keys now: inside an outer transaction (a test) their pending
            # checks would make the next run's TRUNCATE fail.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        seconds = time.monotonic() - started
        self.stdout.write(f"Waiting items (the queues) rebuilt: {written:,} rows in {seconds:.1f} s.")
