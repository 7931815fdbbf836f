"""Checklist templates and the milestones they become on a case.

A milestone moves open → submitted → approved, or → changes requested and
back to submitted. Items marked for BJA approval are decided by a reviewer
(``review`` right); the others by a case manager of a participating
organization (``manage`` right). Nobody approves what they submitted
themselves. A joint item needs a sign-off from every partner organization
(lead, co-applicants, partners) before it can be approved; sending it back
clears the sign-offs, since the partners signed what is now being changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from workflow.access import EDIT, MANAGE, REVIEW, acting_organizations, case_require
from workflow.machines import Guard
from workflow.models import (
    Case,
    ChecklistItem,
    ChecklistTemplate,
    Milestone,
    MilestoneSignoff,
    MilestoneStatus,
    Participant,
    ParticipantRole,
)
from workflow.services import event_record

PARTY_ROLES = (ParticipantRole.LEAD, ParticipantRole.CO_APPLICANT, ParticipantRole.PARTNER)


@dataclass(frozen=True)
class ItemSpec:
    text: str
    guidance: str = ""
    required: bool = True
    due_offset_days: int | None = None
    needs_bja_approval: bool = False
    joint: bool = False
    tags: tuple[str, ...] = ()


def checklist_template_current(*, key: str) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.filter(key=key).order_by("-version").first()
    if template is None:
        raise NotFound(f"No checklist “{key}”.")
    return template


@transaction.atomic
def checklist_template_publish(
    *, key: str, title: str, items: list[ItemSpec], audience: str = "", description: str = ""
) -> ChecklistTemplate:
    """Publish a checklist: the first version, or a new version of an existing key.

    Older versions stay as they were, so cases that started with them keep them.
    """
    if not items:
        raise ServiceError("A checklist needs at least one item.", field="items")
    latest = ChecklistTemplate.objects.select_for_update().filter(key=key).order_by("-version").first()
    template = ChecklistTemplate(
        key=key, title=title, audience=audience, description=description, version=(latest.version + 1) if latest else 1
    )
    template.full_clean()
    template.save()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=template,
            order=position,
            text=spec.text,
            guidance=spec.guidance,
            required=spec.required,
            due_offset_days=spec.due_offset_days,
            needs_bja_approval=spec.needs_bja_approval,
            joint=spec.joint,
            tags=list(spec.tags),
        )
        for position, spec in enumerate(items, start=1)
    )
    return template


@transaction.atomic
def checklist_instantiate(
    *, case: Case, template: ChecklistTemplate, actor: User | None, start: date | None = None
) -> list[Milestone]:
    """Put a checklist on a case as milestones, each due `due_offset_days` after `start`."""
    if Milestone.objects.filter(case=case, template=template).exists():
        raise Conflict(f"“{template.title}” is already on this case.", code="duplicate", field="template")
    start = start or timezone.localdate()
    milestones = Milestone.objects.bulk_create(
        Milestone(
            case=case,
            template=template,
            item=item,
            order=item.order,
            title=item.text,
            guidance=item.guidance,
            required=item.required,
            needs_bja_approval=item.needs_bja_approval,
            joint=item.joint,
            due_date=start + timedelta(days=item.due_offset_days) if item.due_offset_days is not None else None,
        )
        for item in template.items.all()
    )
    event_record(
        case=case,
        actor=actor,
        verb="checklist.added",
        data={"template": template.key, "title": template.title, "version": template.version, "items": len(milestones)},
    )
    return milestones


@transaction.atomic
def milestone_add(
    *,
    case: Case,
    actor: User | None,
    title: str,
    guidance: str = "",
    due_date: date | None = None,
    item: ChecklistItem | None = None,
    required: bool = True,
    needs_bja_approval: bool = False,
    joint: bool = False,
    verb: str = "milestone.added",
    data: dict | None = None,
) -> Milestone:
    """One milestone outside a checklist (a planned gap, a report due): placed last, with its event."""
    last = Milestone.objects.filter(case=case).order_by("-order").values_list("order", flat=True).first() or 0
    milestone = Milestone(
        case=case,
        item=item,
        order=last + 1,
        title=title[:300],
        guidance=guidance,
        due_date=due_date,
        required=required,
        needs_bja_approval=needs_bja_approval,
        joint=joint,
    )
    milestone.full_clean()
    milestone.save()
    event_record(case=case, actor=actor, verb=verb, data={**_describe(milestone), **(data or {})})
    return milestone


def milestones_owned(*, case, milestones: list[Milestone]) -> dict[int, str]:
    """Those of the case's milestones its domain moves through steps of its own, with the reason: the engine's
    generic endpoints neither act on them nor offer their buttons."""
    owner = case.machine.milestone_owner
    return owner(milestones) if owner and milestones else {}


def milestone_act_generic(service, *, milestone: Milestone, actor: User, **kwargs):
    """Run a milestone service for the engine's own endpoints (generic API and case page).

    A domain that moves some milestones through steps of its own (a report is drafted, approved by the
    lead agency, then by BJA) names them with its machine's `milestone_owner`; those are refused here,
    so nobody can skip the domain's steps through the generic endpoints. Domain services call the
    milestone services directly.
    """
    reason = milestones_owned(case=milestone.case, milestones=[milestone]).get(milestone.pk)
    if reason:
        raise NotAllowed(reason, code="domain_managed")
    return service(milestone=milestone, actor=actor, **kwargs)


def _locked(milestone: Milestone) -> Milestone:
    return Milestone.objects.select_for_update().select_related("case").get(pk=milestone.pk)


def _require(milestone: Milestone, actor: User, action: str, message: str) -> set[str]:
    return case_require(
        user=actor, case=milestone.case, action=action, message=message, not_found="Milestone not found."
    )


def _expect_status(milestone: Milestone, allowed: tuple[str, ...], doing: str) -> None:
    if milestone.status not in allowed:
        raise Conflict(
            f"Cannot {doing} a milestone that is {milestone.get_status_display().lower()}.", code="wrong_status"
        )


@transaction.atomic
def milestone_submit(*, milestone: Milestone, actor: User, note: str = "") -> Milestone:
    milestone = _locked(milestone)
    _require(milestone, actor, EDIT, "Only participants who work on the case can submit.")
    _expect_status(milestone, (MilestoneStatus.OPEN, MilestoneStatus.CHANGES_REQUESTED), "submit")
    milestone.status = MilestoneStatus.SUBMITTED
    milestone.note = note
    milestone.submitted_by, milestone.submitted_at = actor, timezone.now()
    milestone.save()
    event_record(case=milestone.case, actor=actor, verb="milestone.submitted", data=_describe(milestone, note=note))
    return milestone


def _missing_signoffs(milestone: Milestone) -> list[str]:
    if not milestone.joint:
        return []
    signed = set(milestone.signoffs.values_list("organization_id", flat=True))
    parties = Participant.objects.filter(case=milestone.case, role__in=PARTY_ROLES).select_related("organization")
    return [party.organization.name for party in parties if party.organization_id not in signed]


def _decide(*, milestone: Milestone, actor: User, approve: bool, comment: str) -> Milestone:
    milestone = _locked(milestone)
    action = REVIEW if milestone.needs_bja_approval else MANAGE
    who = "a BJA reviewer" if milestone.needs_bja_approval else "a case manager"
    _require(milestone, actor, action, f"Only {who} can decide on this milestone.")
    _expect_status(milestone, (MilestoneStatus.SUBMITTED,), "approve" if approve else "send back")
    if milestone.submitted_by_id == actor.pk:
        raise NotAllowed("You submitted this milestone; someone else must review it.", code="self_approval")
    if approve:
        missing = _missing_signoffs(milestone)
        if missing:
            raise Conflict(f"Waiting for sign-off from {', '.join(missing)}.", code="signoff_missing")
    elif not comment.strip():
        raise ServiceError("Say what needs to change.", field="comment", code="required")
    if not approve and milestone.joint:
        # The partners signed what is now being changed: they sign the next version again.
        milestone.signoffs.all().delete()
    milestone.status = MilestoneStatus.APPROVED if approve else MilestoneStatus.CHANGES_REQUESTED
    milestone.reviewer_comment = comment
    milestone.decided_by, milestone.decided_at = actor, timezone.now()
    milestone.save()
    verb = "milestone.approved" if approve else "milestone.changes_requested"
    event_record(case=milestone.case, actor=actor, verb=verb, data=_describe(milestone, comment=comment))
    return milestone


@transaction.atomic
def milestone_approve(*, milestone: Milestone, actor: User, comment: str = "") -> Milestone:
    return _decide(milestone=milestone, actor=actor, approve=True, comment=comment)


@transaction.atomic
def milestone_request_changes(*, milestone: Milestone, actor: User, comment: str) -> Milestone:
    return _decide(milestone=milestone, actor=actor, approve=False, comment=comment)


@transaction.atomic
def milestone_sign_off(*, milestone: Milestone, actor: User) -> MilestoneSignoff:
    """Sign a joint milestone on behalf of the actor's participating organization."""
    milestone = _locked(milestone)
    _require(milestone, actor, EDIT, "Only participants who work on the case can sign.")
    if not milestone.joint:
        raise ServiceError("This milestone does not need sign-offs.", code="not_joint")
    if milestone.status == MilestoneStatus.APPROVED:
        raise Conflict("This milestone is already approved.", code="wrong_status")
    organizations = [
        org for org in acting_organizations(user=actor, case=milestone.case) if org.id in _party_ids(milestone.case)
    ]
    signed = set(milestone.signoffs.values_list("organization_id", flat=True))
    unsigned = [org for org in organizations if org.id not in signed]
    if not unsigned:
        raise Conflict("Your organization has already signed.", code="already_signed")
    signoff = MilestoneSignoff.objects.create(milestone=milestone, organization=unsigned[0], user=actor)
    event_record(
        case=milestone.case,
        actor=actor,
        verb="milestone.signed",
        data={**_describe(milestone), "organization": unsigned[0].name},
    )
    return signoff


def _party_ids(case: Case) -> set[int]:
    return set(Participant.objects.filter(case=case, role__in=PARTY_ROLES).values_list("organization_id", flat=True))


def _describe(milestone: Milestone, **extra) -> dict:
    return {"milestone": milestone.pk, "title": milestone.title, "status": milestone.status, **extra}


def milestones_approved(template_key: str, reason: str | None = None) -> Guard:
    """A guard: every required milestone from checklist `template_key` on the case is approved."""

    def check(case: Case) -> bool:
        counts = Milestone.objects.filter(case=case, template__key=template_key, required=True).aggregate(
            total=Count("id"), approved=Count("id", filter=Q(status=MilestoneStatus.APPROVED))
        )
        return counts["total"] > 0 and counts["total"] == counts["approved"]

    return Guard(reason=reason or f"All required “{template_key}” milestones must be approved.", check=check)
