"""Partnership and TA hand-offs, event × role: agreement signatures, TA acknowledgement and match."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import Role
from partnerships.services.agreements import agreement_create, agreement_sign
from reminders.models import Notification
from reminders.queue import queue_for_user
from tests import factories
from tests.factories import organization_today
from workflow.services import case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(
    admin,
    member,
    viewer,
    bh_admin,
    bh_member,
    county_admin,
    coordinator,
    site_viewer,
    site_org,
    grant_manager,
    outsider,
):
    return {
        "lead admin": admin,
        "lead member": member,
        "lead viewer": viewer,
        "partner admin": bh_admin,
        "partner member": bh_member,
        "county admin": county_admin,
        "coordinator": coordinator,
        "site member": factories.member_of(site_org, Role.MEMBER),
        "site viewer": site_viewer,
        "grant manager": grant_manager,
        "outsider": outsider,
    }


def told(people, act):
    before = set(Notification.objects.filter(kind="handoff").values_list("pk", flat=True))
    result = act()
    names = {user.pk: name for name, user in people.items()}
    found: dict[str, list[str]] = {}
    for notification in Notification.objects.filter(kind="handoff").exclude(pk__in=before).order_by("pk"):
        found.setdefault(names[notification.recipient_id], []).append(notification.subject)
    return found, result


def actions(user) -> list[str]:
    return [row["action"] for row in queue_for_user(user=user)]


def test_an_agreement_waits_on_each_signatory_organizations_admins(
    people, partnership, organization, bh_org, admin, bh_admin
):
    got, agreement = told(
        people,
        lambda: agreement_create(
            partnership=partnership, actor=admin, kind="mou", title="Co-responder MOU", parties=[organization, bh_org],
            effective_date=organization_today() + timedelta(days=1),
        ),
    )  # fmt: skip
    action = "Sign the agreement “Co-responder MOU” for your organization"
    assert got == {"partner admin": [action]}  # The lead admin made it: no email about their own act.
    assert action in actions(admin) and action in actions(bh_admin)
    for name in ("lead member", "lead viewer", "partner member", "county admin", "coordinator", "outsider"):
        assert action not in actions(people[name])
    [row] = [row for row in queue_for_user(user=bh_admin) if row["action"] == action]
    assert row["url"].endswith(f"#agreement-{agreement.pk}")

    agreement_sign(agreement=agreement, organization=bh_org, actor=bh_admin)
    assert action not in actions(bh_admin) and action in actions(admin)
    agreement_sign(agreement=agreement, organization=organization, actor=admin)
    assert action not in actions(admin)


def test_a_ta_request_waits_on_the_learning_sites_coordinators_on_their_clocks(people, ta_request, coordinator):
    title = ta_request.case.title
    acknowledge = f"Acknowledge the TA request: {title}"
    site_staff = {"coordinator": [acknowledge], "site member": [acknowledge]}
    got = {
        people_name: subjects
        for people_name, subjects in (
            (name, list(Notification.objects.filter(recipient=user, kind="handoff").values_list("subject", flat=True)))
            for name, user in people.items()
        )
        if subjects
    }
    assert got == site_staff
    notification = Notification.objects.get(recipient=coordinator, kind="handoff")
    assert notification.url == f"/ta/{ta_request.pk}/"
    [row] = queue_for_user(user=coordinator)
    assert row["action"] == acknowledge and row["due_at"] == ta_request.acknowledge_due_at
    for name in ("lead admin", "lead member", "site viewer", "grant manager", "outsider"):
        assert actions(people[name]) == []

    got, _ = told(people, lambda: case_transition(case=ta_request.case, name="acknowledge", actor=coordinator))
    match = f"Match the TA request with a Learning Site: {title}"
    assert got == {"site member": [match]}
    [row] = queue_for_user(user=coordinator)
    assert row["action"] == match and row["due_at"] == ta_request.match_due_at
