"""From a finished draft to BJA's completeness finding: sign-offs, the two submission steps, the finding.

DOJ's submission has two steps with two deadlines: the SF-424 and SF-LLL in Grants.gov, then the full
application in JustGrants about a week later. Both are recorded; the JustGrants step is the "submit"
transition. Deadlines are instants stored in UTC and stated in the solicitation's time zone.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, NotAllowed, ServiceError
from grants.models import Application, ApplicationSignoff, CompletenessOutcome, CompletenessReview
from grants.rules import APPLICANT_ROLES, deadline_text, manages_grant, on_time, works_for_lead
from grants.selectors.applications import application_readiness, newest_document_id
from grants.services.common import (
    APPLICATION_NOT_FOUND,
    APPLICATION_RELATED,
    case_object_lock,
    expect_stage,
    refuse_unless,
)
from workflow import services
from workflow.access import EDIT, MANAGE, REVIEW, VIEW, acting_organizations, case_require
from workflow.models import Case, Participant, ParticipantRole

SF424_ITEMS = ("amount", "period")


def _late(deadline, time_zone: str, step: str) -> Conflict:
    return Conflict(
        f"The {step} deadline was {deadline_text(deadline, time_zone)}; it has passed, so the {step} step "
        "can no longer be recorded.",
        code="deadline_passed",
    )


@transaction.atomic
def application_sign(*, application: Application, actor: User) -> ApplicationSignoff:
    """An applicant organization's admin certifies the application as it is now (its final version)."""
    application = case_object_lock(application, related=APPLICATION_RELATED)
    case_require(user=actor, case=application.case, action=VIEW, message="", not_found=APPLICATION_NOT_FOUND)
    case = application.case
    applicants = set(
        Participant.objects.filter(case=case, role__in=APPLICANT_ROLES).values_list("organization_id", flat=True)
    )
    organizations = [org for org in acting_organizations(user=actor, case=case, action=MANAGE) if org.id in applicants]
    refuse_unless(bool(organizations), "Only an admin of an applicant organization signs the application.")
    expect_stage(application, ("draft",), "sign the application")
    readiness = application_readiness(application=application)
    if not readiness.content_ready:
        raise Conflict(
            "Finish the application before signing it: " + " ".join(readiness.missing(content_only=True)),
            code="not_ready",
        )
    signed = {signoff.organization_id for signoff in readiness.signoffs}
    unsigned = [org for org in organizations if org.id not in signed]
    if not unsigned:
        raise Conflict("Your organization has already signed this version.", code="already_signed")
    signoff = ApplicationSignoff.objects.create(
        application=application,
        organization=unsigned[0],
        user=actor,
        revision=application.revision,
        documents_through=newest_document_id(application),
    )
    services.event_record(
        case=case,
        actor=actor,
        verb="application.signed",
        data={"organization": unsigned[0].name, "revision": application.revision},
    )
    return signoff


@transaction.atomic
def grants_gov_record(*, application: Application, actor: User) -> Application:
    """Record step 1: the SF-424 and SF-LLL were submitted in Grants.gov, before its deadline."""
    now = timezone.now()
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only the lead applicant's staff submit the application."
    case_require(user=actor, case=application.case, action=EDIT, message=refusal, not_found=APPLICATION_NOT_FOUND)
    refuse_unless(works_for_lead(actor, application.case), refusal)
    expect_stage(application, ("draft",), "record the Grants.gov step")
    if application.grants_gov_submitted_at:
        raise Conflict("The Grants.gov step is already recorded.", code="already_recorded")
    solicitation = application.solicitation
    if not on_time(solicitation.grants_gov_deadline, now):
        raise _late(solicitation.grants_gov_deadline, solicitation.time_zone, "Grants.gov")
    readiness = application_readiness(application=application)
    missing = [item.detail for item in readiness.items if item.key in SF424_ITEMS and not item.done]
    if missing:
        raise Conflict("The SF-424 needs the amount and the project dates: " + " ".join(missing), code="not_ready")
    application.grants_gov_submitted_at, application.grants_gov_submitted_by = now, actor
    application.save(update_fields=["grants_gov_submitted_at", "grants_gov_submitted_by", "updated_at"])
    services.event_record(case=application.case, actor=actor, verb="application.grants_gov_recorded")
    return application


@transaction.atomic
def application_submit(
    *, application: Application, actor: User, comment: str = "", expected_version: int | None = None
) -> Application:
    """Step 2, the JustGrants submission: refused one second after the deadline, or while anything is missing."""
    now = timezone.now()
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only the lead applicant's staff submit the application."
    rights = case_require(
        user=actor, case=application.case, action=EDIT, message=refusal, not_found=APPLICATION_NOT_FOUND
    )
    refuse_unless(works_for_lead(actor, application.case), refusal)
    expect_stage(application, ("draft",), "submit the application")
    solicitation = application.solicitation
    if not on_time(solicitation.justgrants_deadline, now):
        raise _late(solicitation.justgrants_deadline, solicitation.time_zone, "JustGrants")
    readiness = application_readiness(application=application)
    if not readiness.ready:
        raise Conflict("The application is not ready: " + " ".join(readiness.missing()), code="not_ready")
    services.case_transition(
        case=application.case,
        name="submit",
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        rights=rights,
    )
    application.refresh_from_db()
    return application


def application_entered_submitted(*, case: Case, actor: User, event) -> None:
    """on_enter "submitted": record the JustGrants step, count the round, and let BJA in.

    BJA (the solicitation's agency) joins as reviewing agency only now: it does not see drafts.
    """
    application = Application.objects.select_related("solicitation__agency").get(case=case)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=event.created_at,
        submitted_by=actor,
        submission_round=F("submission_round") + 1,
        updated_at=timezone.now(),
    )
    agency = application.solicitation.agency
    if not Participant.objects.filter(case=case, organization=agency).exists():
        services.participant_add(case=case, organization=agency, role=ParticipantRole.REVIEWER, actor=actor)


def application_entered_draft(*, case: Case, actor: User, event) -> None:
    """on_enter "draft" (returned by BJA): what the applicants signed is no longer the final version."""
    Application.objects.filter(case=case).update(revision=F("revision") + 1, updated_at=timezone.now())


TRANSITION_FOR = {
    CompletenessOutcome.COMPLETE: "accept_complete",
    CompletenessOutcome.RETURNED: "return_to_draft",
    CompletenessOutcome.REJECTED: "reject_incomplete",
}


@transaction.atomic
def completeness_record(
    *, application: Application, actor: User, complete: bool, reasons: list[str] = ()
) -> CompletenessReview:
    """BJA's basic minimum requirements finding. Incomplete: back to draft with the reasons while the
    JustGrants deadline has not passed (the applicant can still fix it), rejected after it."""
    now = timezone.now()
    application = case_object_lock(application, related=APPLICATION_RELATED)
    refusal = "Only a BJA grant manager records the completeness review."
    rights = case_require(
        user=actor, case=application.case, action=REVIEW, message=refusal, not_found=APPLICATION_NOT_FOUND
    )
    if not manages_grant(actor, application.case):
        raise NotAllowed(refusal)
    expect_stage(application, ("completeness_review",), "record the completeness review")
    reasons = [reason.strip() for reason in reasons if reason and reason.strip()]
    if complete:
        outcome = CompletenessOutcome.COMPLETE
    elif not reasons:
        raise ServiceError(
            "Say what is missing: the reasons go back to the applicant.", field="reasons", code="reasons_required"
        )
    elif on_time(application.solicitation.justgrants_deadline, now):
        outcome = CompletenessOutcome.RETURNED
    else:
        outcome = CompletenessOutcome.REJECTED
    review = CompletenessReview.objects.create(
        application=application,
        round=application.submission_round,
        outcome=outcome,
        reasons=reasons,
        reviewer=actor,
        decided_at=now,
    )
    services.case_transition(
        case=application.case, name=TRANSITION_FOR[outcome], actor=actor, comment="; ".join(reasons), rights=rights
    )
    return review
