"""Grant managers write solicitations: create, change, add categories and criteria, publish."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from grants.models import Category, Criterion, DocumentKind, Solicitation
from grants.rules import LEAD_KIND_CHOICES, deadline_text, on_time
from grants.services.amendments import solicitation_amendment_record

# Fields a published solicitation may still change: wording, and deadlines (BJA extends them).
PUBLISHED_EDITABLE = frozenset({"title", "summary", "grants_gov_deadline", "justgrants_deadline", "review_period_days"})
EDITABLE = PUBLISHED_EDITABLE | {
    "program",
    "fiscal_year",
    "number",
    "time_zone",
    "earliest_project_start",
    "eligible_lead_kinds",
    "required_document_kinds",
}
LEAD_KINDS = [kind for kind, _ in LEAD_KIND_CHOICES]


def _in_zone(moment: datetime, time_zone: str) -> datetime:
    """A deadline typed without an offset is wall-clock time in the solicitation's time zone."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, ZoneInfo(time_zone))
    return moment


def _managed(solicitation: Solicitation, actor: User) -> Solicitation:
    locked = Solicitation.objects.visible_to(actor).select_for_update().filter(pk=solicitation.pk).first()
    if locked is None:
        raise NotFound("Solicitation not found.")
    solicitation_manager_require(solicitation=locked, actor=actor)
    return locked


def solicitation_manager_require(*, solicitation: Solicitation, actor: User) -> None:
    """403 unless the actor is a grant manager of the issuing agency (the solicitation is one they may see)."""
    if not Solicitation.objects.managed_by(actor).filter(pk=solicitation.pk).exists():
        raise NotAllowed("Only a grant manager of the issuing agency changes a solicitation.")


def _check_lists(solicitation: Solicitation) -> None:
    unknown = set(solicitation.required_document_kinds) - set(DocumentKind.values)
    if unknown or not isinstance(solicitation.required_document_kinds, list):
        raise ServiceError(
            f"Unknown document kinds: {', '.join(sorted(map(str, unknown)))}.",
            field="required_document_kinds",
            code="document_kind",
        )
    kinds = solicitation.eligible_lead_kinds
    if not isinstance(kinds, list) or not kinds or set(kinds) - set(LEAD_KINDS):
        raise ServiceError(
            f"Eligible lead applicants must be some of: {', '.join(LEAD_KINDS)}.",
            field="eligible_lead_kinds",
            code="lead_kind",
        )


def _save(solicitation: Solicitation) -> Solicitation:
    solicitation.grants_gov_deadline = _in_zone(solicitation.grants_gov_deadline, solicitation.time_zone)
    solicitation.justgrants_deadline = _in_zone(solicitation.justgrants_deadline, solicitation.time_zone)
    if solicitation.justgrants_deadline < solicitation.grants_gov_deadline:
        raise ServiceError(
            "The JustGrants deadline cannot be before the Grants.gov deadline: applicants file the SF-424 first.",
            field="justgrants_deadline",
            code="deadline_order",
        )
    _check_lists(solicitation)
    solicitation.full_clean()
    solicitation.save()
    return solicitation


@transaction.atomic
def solicitation_create(*, actor: User, agency: Organization, **fields) -> Solicitation:
    """A draft solicitation of `agency`; applicants see it once it is published."""
    if agency.kind != OrganizationKind.FEDERAL:
        raise ServiceError("Solicitations are issued by a federal agency.", field="agency", code="agency_kind")
    if not Membership.objects.active().filter(user=actor, organization=agency, role=Role.GRANT_MANAGER).exists():
        raise NotAllowed("Only a grant manager of the agency creates its solicitations.")
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown_field")
    return _save(Solicitation(agency=agency, created_by=actor, **fields))


@transaction.atomic
def solicitation_update(*, solicitation: Solicitation, actor: User, **fields) -> Solicitation:
    solicitation = _managed(solicitation, actor)
    allowed = PUBLISHED_EDITABLE if solicitation.is_published else EDITABLE
    refused = set(fields) - allowed
    if refused:
        raise Conflict(
            f"A published solicitation cannot change {', '.join(sorted(refused))}; only its wording, deadlines "
            "and review period.",
            code="published",
            field=sorted(refused)[0],
        )
    zone = fields.get("time_zone", solicitation.time_zone)
    for name in ("grants_gov_deadline", "justgrants_deadline"):
        if fields.get(name) is not None:
            # Typed without an offset (a page's wall-clock time): compared as the deadline it means, so an unchanged
            # deadline is not announced as an amendment.
            fields[name] = _in_zone(fields[name], zone)
    changed = sorted(name for name, value in fields.items() if getattr(solicitation, name) != value)
    for name, value in fields.items():
        setattr(solicitation, name, value)
    solicitation = _save(solicitation)
    if solicitation.is_published and changed:
        solicitation_amendment_record(solicitation=solicitation, actor=actor, fields=changed)
    return solicitation


def _draft(solicitation: Solicitation, doing: str) -> None:
    if solicitation.is_published:
        raise Conflict(f"Cannot {doing}: the solicitation is published.", code="published")


def _schedule(schedule, period_months: int) -> list[int]:
    years = -(-period_months // 12)
    if not isinstance(schedule, list) or not all(isinstance(p, int) and 0 <= p < 100 for p in schedule):
        raise ServiceError(
            "The match schedule is a list of whole percents per project year, each from 0 to 99 (e.g. 20, 20, 40).",
            field="match_schedule",
            code="match_schedule",
        )
    if len(schedule) > years:
        raise ServiceError(
            f"The match schedule has {len(schedule)} years but a {period_months}-month project has {years}.",
            field="match_schedule",
            code="match_schedule",
        )
    return schedule


def category_save(category: Category) -> Category:
    """Check a new or changed category of a draft, then save it: the same rules when added and when edited."""
    category.match_schedule = _schedule(category.match_schedule, category.period_months or 0)
    if category.planning_cap is not None and category.planning_cap > (category.award_ceiling or Decimal(0)):
        raise ServiceError("The planning cap cannot exceed the award ceiling.", field="planning_cap", code="invalid")
    if category.planning_months and category.period_months and category.planning_months > category.period_months:
        raise ServiceError(
            "The planning phase cannot be longer than the period of performance.", field="planning_months"
        )
    others = Category.objects.filter(solicitation_id=category.solicitation_id, code=category.code)
    if others.exclude(pk=category.pk).exists():
        raise Conflict(f"Category {category.code} already exists.", field="code", code="duplicate")
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_add(*, solicitation: Solicitation, actor: User, **fields) -> Category:
    solicitation = _managed(solicitation, actor)
    _draft(solicitation, "add a category")
    return category_save(Category(solicitation=solicitation, **fields))


@transaction.atomic
def criterion_add(
    *, solicitation: Solicitation, actor: User, title: str, weight: int, description: str = ""
) -> Criterion:
    solicitation = _managed(solicitation, actor)
    _draft(solicitation, "add a review criterion")
    if not 1 <= weight <= 100:
        raise ServiceError("A criterion's weight is from 1 to 100.", field="weight", code="weight_range")
    totals = solicitation.criteria.aggregate(weights=Sum("weight"), last=Max("order"))
    weights = (totals["weights"] or 0) + weight
    if weights > 100:
        raise ServiceError(
            f"The criteria's weights would add up to {weights}; a solicitation's weights add up to 100.",
            field="weight",
            code="weights_over_100",
        )
    criterion = Criterion(
        solicitation=solicitation, order=(totals["last"] or 0) + 1, title=title, description=description, weight=weight
    )
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def solicitation_publish(*, solicitation: Solicitation, actor: User) -> Solicitation:
    """Open it to applicants: it needs categories, criteria weighing 100 in all, and an open deadline."""
    solicitation = _managed(solicitation, actor)
    if solicitation.is_published:
        raise Conflict("The solicitation is already published.", code="published")
    if not solicitation.categories.exists():
        raise Conflict("Add at least one category before publishing.", code="no_categories")
    weights = solicitation.criteria.aggregate(total=Sum("weight"))["total"] or 0
    if weights != 100:
        raise Conflict(
            f"The review criteria's weights add up to {weights}; they must add up to 100.", code="weights_not_100"
        )
    if not on_time(solicitation.justgrants_deadline):
        raise Conflict(
            f"The JustGrants deadline ({deadline_text(solicitation.justgrants_deadline, solicitation.time_zone)}) "
            "has passed.",
            code="deadline_passed",
        )
    solicitation.published_at = timezone.now()
    solicitation.save(update_fields=["published_at"])
    return solicitation
