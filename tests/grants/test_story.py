"""The whole pre-award story through the services, from a draft to "awarded"."""

from decimal import Decimal

from grants import selectors
from grants.awards.services.award import award_created_hook
from grants.machines import MACHINE
from grants.models import Award
from tests.grants import flow
from workflow.models import Event


def test_from_draft_to_award(application, admin, bh_admin, grant_manager, reviewer, reviewer2):
    flow.submit(application, admin, bh_admin)
    assert application.case.stage == "submitted"
    flow.to_peer_review(application, grant_manager)
    flow.review(application, grant_manager, reviewer, Decimal("0.9"))
    flow.review(application, grant_manager, reviewer2, Decimal("0.7"))
    summary = selectors.review_summary(application=application)
    assert (summary.average, summary.spread, summary.submitted) == (Decimal("80.00"), Decimal("20.00"), 2)
    flow.to_decision(application, grant_manager)
    decision = flow.award(application, grant_manager)
    application.refresh_from_db()
    application.case.refresh_from_db()
    assert application.case.stage == "awarded"
    assert decision.amount == flow.AMOUNT
    assert Event.objects.filter(case=application.case, verb="transition", data__name="award").exists()
    assert MACHINE.on_enter["awarded"] == [award_created_hook]  # The post-award hook: the award case is opened.
    assert Award.objects.filter(application=application).exists()
