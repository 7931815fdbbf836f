"""Benchmarks, run by `make bench` against PostgreSQL (never by `make test`). Results: docs/benchmarks.md."""

from __future__ import annotations

import os
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jmhcp_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def ensure_database(url: str | None = None) -> str:
    """Create the benchmark database when it is missing (a separate one: benchmarks empty their tables)."""
    import psycopg

    url = url or database_url()
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return url
