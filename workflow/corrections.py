"""Correcting free text after the fact: the author's organization fixes what it wrote, each change an event.

The event holds the corrected text, not the text it replaces: a correction is also how a note that named a client
is put right, and the log must not keep what the correction removes (the guard in ``config/phi.py`` reads the new
text at the API and on the pages).
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import Membership, Organization, User
from config.errors import NotAllowed, ServiceError
from workflow.access import EDIT, acting_organizations, case_require
from workflow.models import Case, Milestone
from workflow.services import event_record


def author_organization_require(
    *, case: Case, actor: User, author: User | None = None, organization: Organization | None = None
) -> None:
    """The actor works on the case (edit right) for the organization that wrote the text: the author's, or the one
    named. The caller has locked the row it corrects."""
    case_require(user=actor, case=case, action=EDIT, message="Only participants who work on the case can correct it.")
    ours = {org.pk for org in acting_organizations(user=actor, case=case)}
    if organization is not None:
        theirs = {organization.pk}
    else:
        theirs = set(Membership.objects.active().filter(user=author).values_list("organization_id", flat=True))
    if not ours & theirs:
        raise NotAllowed("Only the organization that wrote it can correct it.")


def author_organizations(user_ids) -> dict[int, set[int]]:
    """The active organizations of each author, in one query: a page marks what its reader may correct."""
    found: dict[int, set[int]] = {}
    rows = (
        Membership.objects.active()
        .filter(user_id__in={pk for pk in user_ids if pk})
        .values_list("user_id", "organization_id")
    )
    for user_id, organization_id in rows:
        found.setdefault(user_id, set()).add(organization_id)
    return found


def writes_for_author(user: User, target) -> bool:
    """The matrix's ``AUTHOR_ORGANIZATION``: the user works on the case for the organization that wrote `target` (a
    document's organization, a milestone's submitter's, an agreement's recorder's). Nothing written yet: any
    participant who works on the case, and the service says what is missing."""
    case = getattr(target, "case", None) or target.partnership.case
    if getattr(target, "organization_id", None):
        theirs = {target.organization_id}
    else:
        author = getattr(target, "submitted_by", None) or getattr(target, "created_by", None)
        if author is None:
            return True
        theirs = set(Membership.objects.active().filter(user=author).values_list("organization_id", flat=True))
    return bool({org.pk for org in acting_organizations(user=user, case=case)} & theirs)


def correction_record(*, case: Case, actor: User, what: str, pk: int, field: str, text: str) -> None:
    event_record(case=case, actor=actor, verb=f"{what}.corrected", data={what: pk, "field": field, "text": text})


@transaction.atomic
def milestone_note_correct(*, milestone: Milestone, actor: User, note: str) -> Milestone:
    """Correct the evidence note of a submitted milestone (its submitter's organization)."""
    milestone = Milestone.objects.select_for_update().select_related("case").get(pk=milestone.pk)
    if milestone.submitted_by_id is None:
        raise ServiceError("Nothing was submitted on this milestone yet.", field="note", code="not_submitted")
    author_organization_require(case=milestone.case, actor=actor, author=milestone.submitted_by)
    milestone.note = note.strip()
    milestone.full_clean()
    milestone.save(update_fields=["note"])
    correction_record(case=milestone.case, actor=actor, what="milestone", pk=milestone.pk, field="note", text=note)
    return milestone
