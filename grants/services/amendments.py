"""A change to a published solicitation is an amendment: an event on each draft application, a notice to its applicants.

The notice is its own kind (``solicitation_amended``, declared in ``reminders.preferences``), so people choose email,
digest or in-app for it like for task activity; it goes through the reminders outbox in the change's transaction.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from grants.models import Application, Solicitation
from grants.rules import APPLICANT_ROLES
from reminders.preferences import SOLICITATION_AMENDED_KIND
from reminders.registry import organization_members
from reminders.services.outbox import notification_build, outbox_add, recipients_load
from workflow.models import Participant
from workflow.services import event_record


def solicitation_amendment_record(*, solicitation: Solicitation, actor: User, fields: list[str]) -> int:
    """A published solicitation changed: an event on each draft application and a notice to its applicants.

    Called in the transaction of the change. Returns how many draft applications were told.
    """
    drafts = list(Application.objects.filter(solicitation=solicitation, case__stage="draft").select_related("case"))
    if not drafts:
        return 0
    changed = ", ".join(fields)
    for application in drafts:
        event_record(
            case=application.case,
            actor=actor,
            verb="solicitation.amended",
            data={"solicitation": solicitation.pk, "number": solicitation.number, "fields": fields},
        )
    parties = Participant.objects.filter(case__in=[a.case_id for a in drafts], role__in=APPLICANT_ROLES)
    by_case: dict[int, set[int]] = {}
    pairs = list(parties.values_list("case_id", "organization_id"))
    members = organization_members({organization for _, organization in pairs})
    for case_id, organization in pairs:
        by_case.setdefault(case_id, set()).update(members.get(organization, set()))
    users, preferences = recipients_load({user for ids in by_case.values() for user in ids})
    now = timezone.now()
    window = f"amended-{now:%Y%m%d%H%M%S%f}"
    outbox_add(
        [
            notification_build(
                user=users[user_id],
                preference=preferences.get(user_id),
                kind=SOLICITATION_AMENDED_KIND,
                target=f"application:{application.pk}",
                window=window,
                subject=f"Solicitation {solicitation.number} was amended ({changed})",
                body=f"“{solicitation.title}” changed after it was published. Check “{application.case.title}”.",
                url=reverse("grants-application", args=[application.pk]),
                case_id=application.case_id,
                now=now,
            )
            for application in drafts
            for user_id in sorted(by_case.get(application.case_id, set()))
            if user_id in users and user_id != actor.pk
        ]
    )
    return len(drafts)
