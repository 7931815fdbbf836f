"""The application page: the workflow sections (summary, stage, documents, timeline) around the grants steps.

Which forms appear depends on the stage and on who reads; the services check everything again.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from accounts.models import Role, User
from grants import forms, selectors
from grants.machines import DEDICATED
from grants.models import Application, AssignmentStatus, Award, Decision
from grants.rules import (
    APPLICANT_ROLES,
    administers_lead,
    manages_grant,
    on_time,
    project_years,
    reviewing_staff,
    works_for_lead,
)
from grants.services.reviews import ASSIGNABLE_STAGES
from grants.views.common import render_page
from workflow.access import EDIT, MANAGE, acting_organizations
from workflow.machines import registry
from workflow.models import Event
from workflow.views import case_page_context

# Applicants read the timeline too: who reviews and who was granted what stays with BJA.
BJA_ONLY_VERBS = ("review.", "permission.")


def _allowed_by_rules(transition, *, user: User, case) -> bool:
    declared = registry.get(case.kind).transition(transition.name)
    return all(rule.check(user, case) for rule in declared.rules)


def _draft_context(
    request: HttpRequest, application: Application, rights: set[str], documents: list, bound: dict
) -> dict:
    user, case = request.user, application.case
    readiness = selectors.application_readiness(application=application)
    applicants = {org.id for org in selectors.applicant_organizations(application=application)}
    signed = {signoff.organization_id for signoff in readiness.signoffs}
    context = {
        "readiness": readiness,
        "closed": not on_time(application.solicitation.justgrants_deadline),
        "editable": EDIT in rights,
        "lead_worker": works_for_lead(user, case),
        "sign_for": [
            org
            for org in acting_organizations(user=user, case=case, action=MANAGE)
            if org.id in applicants and org.id not in signed
        ],
    }
    if context["editable"]:
        context["details_form"] = bound.get("details") or forms.DetailsForm(application=application)
        context["upload_form"] = bound.get("upload") or forms.UploadForm()
        # An attachment is withdrawn by the organization that attached it (workflow.document_changes).
        ours = {org.id for org in acting_organizations(user=user, case=case)}
        context["withdrawable_documents"] = [
            document
            for document in documents
            if document.organization_id in ours and document.withdrawn_at is None and document.redacted_at is None
        ]
        start, end = application.project_start, application.project_end
        if start and end and end > start:
            lines = {line.year: line for line in application.budget_years.all()}
            context["budget_form"] = bound.get("budget") or forms.BudgetForm(
                years=project_years(start, end), lines=lines
            )
    participants = list(case.participations.all())  # Prefetched for the page's summary.
    context["applicant_participants"] = [p for p in participants if p.role in APPLICANT_ROLES]
    if administers_lead(user, case):
        context["co_applicant_form"] = bound.get("co_applicant") or forms.CoApplicantForm(exclude=applicants)
        # The lead's admin removes a co-applicant added by mistake and adds a removed one back (draft only).
        context["can_change_co_applicants"] = True
        current = {p.organization_id for p in participants}
        removals = Event.objects.filter(case=case, verb="participant.removed").order_by("-created_at", "-id")
        latest = {}
        for event in removals.only("data"):
            latest.setdefault(event.data.get("organization_id"), event.data)
        context["removed_co_applicants"] = [data for key, data in latest.items() if key not in current]
    return context


def _review_context(request: HttpRequest, application: Application, staff: bool, manager: bool, bound: dict) -> dict:
    user, stage = request.user, application.case.stage
    mine = selectors.assignment_for(application=application, user=user)
    context = {"reviews": selectors.reviews_visible(application=application, user=user), "my_assignment": mine}
    if mine and mine.status == AssignmentStatus.ASSIGNED:
        context["applicants"] = selectors.applicant_organizations(application=application)
        context["declaration_form"] = bound.get("declaration") or forms.DeclarationForm()
    if mine and mine.status == AssignmentStatus.DECLARED and stage == "peer_review":
        criteria = application.solicitation.criteria.all()
        initial = forms.ReviewForm.draft_initial(mine.draft)
        context["review_form"] = bound.get("review") or forms.ReviewForm(criteria=criteria, initial=initial)
    if staff:
        context["summary"] = selectors.review_summary(application=application)
    context["can_remove_reviewers"] = manager and stage in ASSIGNABLE_STAGES
    if manager and stage in ASSIGNABLE_STAGES:
        assigned = application.review_assignments.values("reviewer_id")
        reviewers = (
            User.objects.filter(memberships__role=Role.PEER_REVIEWER, memberships__is_active=True, is_active=True)
            .exclude(id__in=assigned)
            .distinct()
            .order_by("full_name", "email")
        )
        context["assign_form"] = bound.get("assign") or forms.AssignForm(reviewers=reviewers)
    return context


def application_context(request: HttpRequest, application: Application, bound: dict | None = None) -> dict:
    bound = bound or {}
    user, case = request.user, application.case
    context = case_page_context(request=request, case=case)
    rights, stage = context["rights"], case.stage
    staff = reviewing_staff(user, case)
    manager = staff and manages_grant(user, case)
    context.update(
        application=application,
        solicitation=application.solicitation,
        category=application.category,
        is_draft=stage == "draft",
        staff=staff,
        grant_manager=manager,
        timeline=[e for e in context["timeline"] if staff or not e.verb.startswith(BJA_ONLY_VERBS)],
        transitions=[
            t for t in context["transitions"] if t.name not in DEDICATED and _allowed_by_rules(t, user=user, case=case)
        ],
        budget_lines=list(application.budget_years.all()),
        completeness_reviews=list(application.completeness_reviews.select_related("reviewer")),
        decision=Decision.objects.filter(application=application).select_related("decided_by").first(),
        award=Award.objects.visible_to(user).filter(application=application).only("id", "number").first(),
        next_deadline=selectors.application_next_deadline(application),
    )
    if stage == "draft":
        context.update(_draft_context(request, application, rights, context["documents"], bound))
    context.update(_review_context(request, application, staff, manager, bound))
    if manager and stage == "completeness_review":
        context["completeness_form"] = bound.get("completeness") or forms.CompletenessForm()
    if manager and stage == "decision" and context["decision"] is None:
        context["award_form"] = bound.get("award") or forms.AwardForm(initial={"amount": application.amount_requested})
        context["not_funded_form"] = bound.get("not_funded") or forms.NotFundedForm()
    return context


def application_page(
    request: HttpRequest, application: Application, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    context = application_context(request, application, bound)
    return render_page(request, "grants/application_detail.html", context, status=status)
