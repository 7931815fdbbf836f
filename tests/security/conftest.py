"""The grant story's fixtures (an application in peer review, its applicants, BJA and two reviewers)."""

from tests.grants.conftest import (  # noqa: F401
    _media,
    application,
    bh_admin,
    bh_org,
    bja,
    grant_manager,
    in_peer_review,
    reviewer,
    reviewer2,
    solicitation,
    submitted,
)


def pytest_terminal_summary(terminalreporter):
    """One line after the run: how many id-bearing operations the rights matrix test covered."""
    walked = "test_operation_answers_as_the_matrix_declares"
    reports = {
        outcome: [
            report for report in terminalreporter.stats.get(outcome, []) if walked in getattr(report, "nodeid", "")
        ]
        for outcome in ("passed", "failed")
    }
    total = len(reports["passed"]) + len(reports["failed"])
    if total:
        terminalreporter.write_line(
            f"rights matrix: {len(reports['passed'])} of {total} id-bearing operations answer as the matrix declares"
        )
