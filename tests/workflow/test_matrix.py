"""The rights matrix is the one declaration: access's tables are built from it, and docs/security.md shows it."""

from pathlib import Path

from accounts.models import Role
from tests.workflow import machines as sample
from workflow import access, matrix

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_access_tables_come_from_the_matrix():
    assert matrix.membership_rights() == access.RIGHTS
    assert matrix.grant_actions() == access.GRANT_ACTIONS
    assert matrix.granter_needs() == access.GRANTER_NEEDS


def test_the_matrix_says_what_the_program_says():
    assert matrix.actor_actions(participant="lead", role=Role.VIEWER) == {matrix.VIEW}
    assert matrix.actor_actions(participant="reviewer", role=Role.PEER_REVIEWER) == set()
    assert matrix.ACTOR["peer_reviewer"].actions == {matrix.VIEW, matrix.SCORE}
    assert access.reviews_anonymously(set(matrix.ACTOR["peer_reviewer"].actions))
    assert matrix.write_rights({matrix.VIEW, matrix.SCORE}) == {matrix.SCORE}
    assert matrix.GRANT_MANAGER.holders() == {"grant_manager"}
    assert matrix.LEAD_ADMIN.holders() == {"lead_admin"}
    assert matrix.ASSIGNED_REVIEWER.holders() == {"peer_reviewer"}


def test_a_learning_site_coordinator_holds_no_more_than_a_partner():
    """The coordinator row names how a Learning Site's staff come to a TA request; it must not add a right."""
    coordinator = matrix.ACTOR["learning_site_coordinator"]
    for role in coordinator.roles:
        partner = {
            action
            for actor in matrix.ACTORS
            if actor.participant == "partner" and role in actor.roles and actor is not coordinator
            for action in actor.actions
        }
        assert coordinator.actions <= partner


def _between(text: str, name: str) -> str:
    return text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"\n<!-- {name}:end -->", 1)[0]


def test_docs_show_the_matrix_as_declared():
    text = SECURITY_DOC.read_text()
    assert _between(text, "rights-matrix") == matrix.matrix_markdown()
    assert _between(text, "rights-abilities") == matrix.abilities_markdown()
    # The test suite's own sample machine (tests/workflow/machines.py) is not the program's.
    assert _between(text, "rights-stages") == matrix.stage_markdown(leave_out=(sample.KIND,))
