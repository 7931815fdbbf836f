"""Award acceptance and closeout are registered with the reminder engine (reminders.registry)."""

from reminders.models import Deadline
from reminders.registry import registry
from reminders.services.deadlines import deadlines_discover
from tests.grants import award_flow


def test_acceptance_and_closeout_are_deadline_sources(award, admin):
    assert {"award_acceptance", "award_closeout"} <= {source.key for source in registry}
    deadlines_discover(source="award_acceptance")
    deadline = Deadline.objects.get(source="award_acceptance", object_id=award.pk)
    assert (deadline.due_date, deadline.title, deadline.case_id) == (
        award.acceptance_due,
        award.case.title,
        award.case_id,
    )

    award = award_flow.accept(award, admin)
    deadlines_discover(source="award_acceptance")
    deadlines_discover(source="award_closeout")
    assert Deadline.objects.get(source="award_acceptance", object_id=award.pk).closed_at is not None
    assert Deadline.objects.get(source="award_closeout", object_id=award.pk).due_date == award.closeout_due
