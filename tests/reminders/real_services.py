"""Real services for the reliability tests: a private Redis, an SMTP server, Celery worker processes.

Each test gets its own redis-server on a free port (so stopping it never touches the machine's Redis
or another test's queue), an aiosmtpd server in this process, and workers started as
``.venv/bin/celery -A config worker`` against the same PostgreSQL test database.
"""

from __future__ import annotations

import asyncio
import email
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from email import policy
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import pools as kombu_pools

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = BASE_DIR / ".venv" / "bin" / "celery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, *, timeout: float, what: str, interval: float = 0.1):
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


class PrivateRedis:
    """A redis-server of our own that a test may stop and start again on the same port."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._ping, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Kill it outright, as a crash would: whatever it held in memory is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class SMTPSink:
    """An SMTP server (aiosmtpd) that keeps every message; `delay` slows each one down."""

    def __init__(self, delay: float = 0.0) -> None:
        from aiosmtpd.controller import Controller

        self.delay = delay
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(message["subject"]) for message in self.messages]


def database_url(database: dict) -> str:
    """The URL of the test database this process uses (pytest-django's, e.g. test_jmhcp_gw0)."""
    credentials = quote(database["USER"] or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{database['NAME']}"


class Worker:
    """One Celery worker process (solo pool) on the test's database, broker and SMTP server."""

    def __init__(self, *, broker: str, smtp: str, log: Path, **settings: str) -> None:
        database = connection.settings_dict
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="1",
            DATABASE_URL=database_url(database),
            CELERY_BROKER_URL=broker,
            EMAIL_URL=smtp,
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="INFO",
            **settings,
        )
        self.log = log
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "config", "worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-n", f"reliability-{log.stem}@%h"],
            cwd=BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        # Generous: on a shared, loaded machine a worker has taken over 30 s to import Django and connect.
        wait_for(self._ready, timeout=120, what=f"the Celery worker to start (log: {log})", interval=0.2)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
        return b" ready." in self.log.read_bytes()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no cleanup."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def celery_publishing_to(url: str):
    """Make this process's Celery app publish to `url` for real (the suite runs tasks eagerly otherwise)."""
    from config.celery import app

    conf = app.conf
    saved = conf.broker_url, conf.broker_transport_options, conf.task_always_eager
    # Celery prefers the CELERY_BROKER_URL variable to its configuration: it must name the private server too.
    saved_environment = os.environ.get("CELERY_BROKER_URL")

    def reset_pools():
        # Kombu keeps one pool per broker URL for the whole process: closing the app's pool without dropping
        # kombu's would leave every later publish to that URL (the eager tasks of the tests after this one) an
        # "Acquire on closed pool".
        kombu_pools.reset()
        app._after_fork()  # Drops the connection and producer pools, so the next publish uses the new URL.

    os.environ["CELERY_BROKER_URL"] = url
    conf.broker_url = url
    conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 3}
    conf.task_always_eager = False
    reset_pools()
    try:
        assert app.connection_for_write().as_uri().endswith(url.split("@")[-1].split("//")[-1])
        yield app
    finally:
        reset_pools()
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
        if saved_environment is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environment


def send(task) -> None:
    """Publish as beat does, riding out a pooled connection that the broker's restart left stale."""
    task.apply_async(retry=True, retry_policy={"max_retries": 20, "interval_start": 0.2, "interval_step": 0.2})
