import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD, ORGANIZATIONS, USERS
from accounts.models import Membership, Organization, OrganizationKind, User


def _counts():
    return Organization.objects.count(), User.objects.count(), Membership.objects.count()


def test_load_demo_creates_every_kind_and_role_and_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds == {k for k in OrganizationKind.values if k != "other"}
    sites = Organization.objects.filter(is_learning_site=True, kind="law_enforcement")
    assert sites.count() == 10, "BJA's ten Law Enforcement–Mental Health Learning Sites"
    assert sites.filter(name="Madison County Sheriff's Office", state="TN").exists()
    assert all(hasattr(site, "learning_site_profile") for site in sites), "each says what it offers"
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"admin", "member", "viewer", "grant_manager", "peer_reviewer"}
    for spec in USERS:
        assert User.objects.get(email=spec.email).check_password(DEMO_PASSWORD)


def test_load_demo_refuses_in_production_without_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert _counts() == (0, 0, 0)
    call_command("load_demo", force=True)
    assert _counts()[0] == len(ORGANIZATIONS)


def test_if_empty_leaves_an_existing_database_alone(organization, settings):
    settings.DEBUG = True
    call_command("load_demo", if_empty=True)
    assert Organization.objects.count() == 1
