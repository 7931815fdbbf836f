"""Announcements of the engine's own milestones, registered from ``RemindersConfig.ready()``.

Milestones belong to the workflow engine, which knows nothing of notifications, so their announcements
live here (as their deadline source does, in ``reminders/milestones.py``). Apps declare their own
outcomes in their ``announcements.py`` (docs/reminders.md, "Announcements").
"""

from __future__ import annotations

from reminders.preferences import notice_kind_register
from reminders.services.announcements import Announcement, announcement_register
from workflow.models import Milestone
from workflow.roles import LEAD_MEMBERS

MILESTONE_DECISIONS = "milestone_decisions"


def milestone_submitter(event) -> set[int]:
    """Whoever submitted the milestone (a partner's staff may submit a joint one): they hear the outcome too."""
    found = Milestone.objects.filter(pk=event.data.get("milestone")).values_list("submitted_by_id", flat=True)
    return {user_id for user_id in found if user_id}


def not_domain_managed(event) -> bool:
    """A milestone the domain moves through its own steps (a grant report) is announced by those steps."""
    owner = event.case.machine.milestone_owner
    if owner is None:
        return True
    milestone = Milestone.objects.filter(pk=event.data.get("milestone")).first()
    return milestone is None or milestone.pk not in owner([milestone])


MILESTONE_APPROVED = Announcement(
    event="milestone.approved",
    to=(LEAD_MEMBERS,),
    also=milestone_submitter,
    kind=MILESTONE_DECISIONS,
    subject="Approved: “{title}” on “{case}”",
)
MILESTONE_RETURNED = Announcement(
    event="milestone.changes_requested",
    to=(LEAD_MEMBERS,),
    also=milestone_submitter,
    when=not_domain_managed,
    kind=MILESTONE_DECISIONS,
    subject="Changes requested: revise and resubmit “{title}” on “{case}”",
)


def register_announcements() -> None:
    notice_kind_register(MILESTONE_DECISIONS, "Milestone decisions (approved, sent back)")
    announcement_register(MILESTONE_APPROVED, MILESTONE_RETURNED)
