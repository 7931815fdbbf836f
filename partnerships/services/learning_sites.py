"""Writes on Learning Site profiles: what a site offers, kept by its own staff."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from accounts.selectors import membership_role
from config.errors import NotAllowed, NotFound, ServiceError
from partnerships.choices import ResponseModel, TATopic
from partnerships.models import LearningSiteProfile
from partnerships.rules import STAFF_ROLES


def _known(values: list[str], choices: list[str], field: str, noun: str) -> list[str]:
    unknown = [value for value in values if value not in choices]
    if unknown:
        raise ServiceError(f"“{unknown[0]}” is not a {noun}.", field=field, code="invalid_choice")
    return list(dict.fromkeys(values))


@transaction.atomic
def learning_site_profile_require(*, organization: Organization, actor: User) -> None:
    """Who keeps the site's profile: its admins and members (and site staff); 404 to who is not of the site."""
    role = membership_role(user=actor, organization=organization)
    if role is None and not actor.is_staff:
        raise NotFound("Organization not found.")
    if role not in STAFF_ROLES and not actor.is_staff:
        raise NotAllowed(f"Your role in {organization} lets you read its profile, not change it.")


def learning_site_profile_update(
    *,
    organization: Organization,
    actor: User,
    response_models: list[str],
    topics: list[str],
    capacity_per_quarter: int,
    summary: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> LearningSiteProfile:
    """Create or change the site's profile. Only its admins and members may; others do not see the form."""
    learning_site_profile_require(organization=organization, actor=actor)
    if not organization.is_learning_site:
        raise ServiceError(f"{organization} is not a Learning Site.", field="organization", code="not_a_learning_site")
    if capacity_per_quarter is None or capacity_per_quarter < 0:
        raise ServiceError("Capacity cannot be below zero.", field="capacity_per_quarter", code="negative_capacity")
    profile, _ = LearningSiteProfile.objects.select_for_update().get_or_create(organization=organization)
    profile.response_models = _known(response_models, ResponseModel.values, "response_models", "response model")
    profile.topics = _known(topics, TATopic.values, "topics", "topic")
    profile.capacity_per_quarter = capacity_per_quarter
    profile.summary = summary
    profile.contact_name, profile.contact_email = contact_name.strip(), contact_email.strip()
    profile.contact_phone = contact_phone.strip()
    profile.updated_by, profile.updated_at = actor, timezone.now()
    profile.full_clean()
    profile.save()
    return profile
