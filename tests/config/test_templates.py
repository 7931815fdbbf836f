"""Django's ``{# #}`` comment ends at the end of its line: one spread over lines is printed on the page."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _templates():
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(ROOT.glob("templates/**/*.html")):
        if "node_modules" not in path.parts and ".venv" not in path.parts:
            yield path


def test_no_template_comment_spans_lines():
    spread = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert not spread, f"use {{% comment %}} for a comment over several lines: {spread}"
