"""Reminder settings come from the environment; a bad value stops start-up with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT = (
    "from django.conf import settings\n"
    "print(settings.REMINDER_DAYS_BEFORE, settings.REMINDER_DAYS_BEFORE_CHOICES,"
    " settings.CELERY_BEAT_SCHEDULE['reminders-sweep']['schedule'])\n"
)


def run(**variables: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("REMINDER_", "DIGEST_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="1", **variables)
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_windows_and_the_sweep_interval_are_read_from_the_environment():
    result = run(REMINDER_DAYS_BEFORE="10,2", REMINDER_SWEEP_SECONDS="120")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[10, 2] [30, 14, 10, 7, 3, 2, 1] 120.0", "the defaults join the choices"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"REMINDER_DAYS_BEFORE": "7,soon"}, "REMINDER_DAYS_BEFORE must be comma-separated whole numbers"),
        ({"REMINDER_DAYS_BEFORE": "0"}, "REMINDER_DAYS_BEFORE must hold positive numbers of days"),
        ({"DIGEST_HOUR": "25"}, "DIGEST_HOUR must be an hour from 0 to 23"),
        ({"NOTIFICATION_CLAIM_SECONDS": "0"}, "NOTIFICATION_CLAIM_SECONDS must be a positive number"),
    ],
)
def test_a_bad_value_names_the_variable(variables, message):
    result = run(**variables)

    assert result.returncode != 0
    assert f"Configuration error: {message}" in result.stderr
    assert "Traceback" not in result.stderr
