"""Benchmarks, run by `make bench` against PostgreSQL (never by `make test`). Results: docs/benchmarks.md."""

from __future__ import annotations

import os
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jmhcp_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def ensure_database(url: str | None = None, *, suffix: str = "") -> str:
    """Create the benchmark database when it is missing (a separate one: benchmarks empty their tables).

    `suffix` names a database of the script's own beside it (the sweep's: its runs leave the national data
    of bench/access_and_api.py in place, so that one can be measured again with BENCH_SKIP_GENERATE=1).
    """
    import psycopg

    parts = urlparse(url or database_url())
    parts = parts._replace(path=parts.path + suffix)
    url = parts.geturl()
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return url
