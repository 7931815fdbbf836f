"""The suite's own scheduling (tests/conftest.py): the modules it starts first are still there."""

from pathlib import Path

from tests.conftest import SLOW_FIRST

BASE_DIR = Path(__file__).resolve().parents[2]


def test_every_module_started_first_exists():
    # A renamed or removed module would quietly lose its early start and leave a worker running it alone at the end.
    assert [path for path in SLOW_FIRST if not (BASE_DIR / path).is_file()] == []
