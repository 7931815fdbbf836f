"""Factories for every model the tests build. One module, so a test reads `factories.X`."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Membership, Organization, OrganizationKind, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


# The test organizations keep Chicago time, the server and new users New York time (the defaults): for an hour
# each night their days differ, so an organization's date in a test comes from organization_today().
ORGANIZATION_ZONE = "America/Chicago"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = OrganizationKind.LAW_ENFORCEMENT
    state = "IL"
    jurisdiction = factory.Faker("city")
    time_zone = ORGANIZATION_ZONE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MEMBER


def member_of(organization: Organization, role: str = Role.MEMBER, **user_fields) -> User:
    """A new user holding `role` in `organization`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def organization_today() -> date:
    """Today where the test organizations are (and the demo's): what their deadlines and dates count from."""
    return timezone.localdate(timezone=ZoneInfo(ORGANIZATION_ZONE))
