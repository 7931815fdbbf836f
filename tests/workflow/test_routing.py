"""Who acts next, declared once: a new kind of case and a new step get the queue and the notifications for free."""

from __future__ import annotations

import pytest
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from accounts.models import Role
from reminders.models import Notification, WaitingItem
from reminders.queue import queue_count, queue_for_user
from tests import factories
from tests.helpers import api_client
from tests.workflow import routing_toy
from workflow import services
from workflow.access import case_access, case_access_exists, reach_sql
from workflow.models import Case, ParticipantRole
from workflow.roles import GRANT_MANAGERS, LEAD_ADMINS, PARTNER_ADMINS, holders_members, role_holders, role_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def toy(organization, partner_org, bja, admin):
    routing_toy.register()
    case = services.case_create(
        kind=routing_toy.KIND,
        title="Toy for routing",
        organization=organization,
        actor=admin,
        participants={partner_org: ParticipantRole.PARTNER, bja: ParticipantRole.REVIEWER},
    )
    yield case
    routing_toy.unregister()


def actions(user) -> list[str]:
    return [row["action"] for row in queue_for_user(user=user)]


def handoffs_to(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="handoff").values_list("subject", flat=True))


def test_a_stage_that_waits_on_a_role_puts_an_item_in_each_holders_queue_and_tells_them(
    toy, admin, member, viewer, partner, grant_manager, outsider
):
    second_admin = factories.member_of(toy.organization, Role.ADMIN)
    assert actions(admin) == actions(second_admin) == ["Finish the toy request: Toy for routing"]
    # Opening a case: the lead's admins must finish it; its creator is not told what they just did.
    services.case_create(kind=routing_toy.KIND, title="Second toy", organization=toy.organization, actor=admin)
    assert handoffs_to(second_admin) == ["Finish the toy request: Second toy"]
    assert handoffs_to(admin) == []
    Case.objects.filter(title="Second toy").update(closed_at=toy.opened_at)
    WaitingItem.objects.filter(case__title="Second toy").delete()
    for nobody in (member, viewer, partner, grant_manager, outsider):
        assert actions(nobody) == [] and handoffs_to(nobody) == []

    services.case_transition(case=toy, name="send", actor=admin, comment="Ready for you.")
    assert actions(admin) == [] and actions(second_admin) == []
    assert actions(grant_manager) == ["Look at the toy request: Toy for routing"]
    told = Notification.objects.get(recipient=grant_manager, kind="handoff")
    assert told.subject == "Look at the toy request: Toy for routing"
    assert "Ready for you." in told.body and told.case_id == toy.pk and told.url == toy.get_absolute_url()
    [row] = queue_for_user(user=grant_manager)
    assert row["comment"] == "Ready for you." and row["case_id"] == toy.pk

    services.case_transition(case=toy, name="finish", actor=grant_manager)
    assert WaitingItem.objects.filter(case=toy).count() == 0
    assert queue_count(user=grant_manager) == 0


def test_a_registered_step_is_queued_and_notified_and_clears_itself(toy, admin, partner, partner_org, viewer):
    partner_viewer = factories.member_of(partner_org, Role.VIEWER)
    routing_toy.PINGED.add(toy.pk)
    services.event_record(case=toy, actor=admin, verb="toy.pinged")
    assert actions(partner) == ["Answer the ping"]
    assert handoffs_to(partner) == ["Answer the ping"]
    assert actions(partner_viewer) == [] and handoffs_to(partner_viewer) == [] and handoffs_to(viewer) == []

    # The same item after an unrelated event: still waiting, since unchanged, nobody told twice.
    since = WaitingItem.objects.get(case=toy, step="toy.ping").since
    services.event_record(case=toy, actor=admin, verb="toy.pinged")
    assert WaitingItem.objects.get(case=toy, step="toy.ping").since == since
    assert handoffs_to(partner) == ["Answer the ping"]

    routing_toy.PINGED.discard(toy.pk)
    services.event_record(case=toy, actor=partner, verb="toy.answered")
    assert actions(partner) == []


def test_who_joins_an_organization_holds_its_items_at_once_and_who_leaves_does_not(toy, organization):
    newcomer = factories.member_of(organization, Role.ADMIN)
    assert actions(newcomer) == ["Finish the toy request: Toy for routing"]
    newcomer.memberships.update(is_active=False)
    assert actions(newcomer) == []


def test_holders_name_the_same_people_as_members(toy, admin, partner, grant_manager, organization):
    factories.member_of(organization, Role.VIEWER)
    for role in (LEAD_ADMINS, PARTNER_ADMINS, GRANT_MANAGERS, "assigned_reviewers"):
        members = role_members(role, [toy.pk]).get(toy.pk, set())
        assert holders_members(role_holders(role, [toy.pk]).get(toy.pk, set())) == members


def test_the_one_query_visibility_condition_matches_case_access(toy, admin, viewer, partner, grant_manager, outsider):
    factories.member_of(factories.OrganizationFactory(), Role.ADMIN)
    other = services.case_create(
        kind=routing_toy.KIND, title="Other", organization=outsider.memberships.get().organization, actor=outsider
    )

    def by_sql(user, action="view"):  # The queue's hand-written form (workflow.access.reach_sql).
        condition = RawSQL(reach_sql(f'"{Case._meta.db_table}"."id"', action), [user.pk], output_field=BooleanField())
        return set(Case.objects.filter(condition).values_list("pk", flat=True))

    for user in (admin, viewer, partner, grant_manager, outsider):
        for action in ("view", "edit", "review", "manage", "score"):
            expected = set(Case.objects.filter(case_access(user, action)).values_list("pk", flat=True))
            assert set(Case.objects.filter(case_access_exists(user, action)).values_list("pk", flat=True)) == expected
            assert by_sql(user, action) == expected, (user, action)
    assert other.pk not in set(Case.objects.filter(case_access_exists(admin)).values_list("pk", flat=True))
    assert other.pk not in by_sql(admin)


def test_the_queue_api_lists_and_filters_with_a_clear_error_for_an_unknown_kind(toy, admin, outsider, viewer):
    response = api_client(admin).get("/api/v1/me/queue/")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["action"] == "Finish the toy request: Toy for routing"
    assert item["case"] == toy.pk and item["url"] == toy.get_absolute_url() and item["kind"] == "toy_request.draft"
    assert api_client(admin).get("/api/v1/me/queue/?kind=toy.ping").json()["results"] == []
    bad = api_client(admin).get("/api/v1/me/queue/?kind=nonsense")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kind"
    # Outsiders and viewers see nothing of the case; nobody writes here.
    assert api_client(outsider).get("/api/v1/me/queue/").json()["results"] == []
    assert api_client(viewer).get("/api/v1/me/queue/").json()["results"] == []
    assert api_client(viewer).post("/api/v1/me/queue/", {}).status_code == 405
    assert api_client().get("/api/v1/me/queue/").status_code in (401, 403)


def test_joint_milestones_wait_on_each_partys_admins_then_on_the_approver(
    case, admin, member, partner, partner_org, grant_manager
):
    from workflow import checklists

    partner_member = factories.member_of(partner_org, Role.MEMBER)
    narrative, mou, budget = case.milestones.filter(template__key="prep", required=True).order_by("order")
    checklists.milestone_submit(milestone=mou, actor=member, note="Signed copy attached.")
    sign = f"Sign off on “{mou.title}” for your organization"
    assert handoffs_to(admin) == [sign] and handoffs_to(partner) == [sign]
    assert handoffs_to(partner_member) == [] and handoffs_to(member) == []

    checklists.milestone_sign_off(milestone=mou, actor=admin)
    assert sign not in actions(admin) and sign in actions(partner)
    checklists.milestone_sign_off(milestone=mou, actor=partner)
    approve = f"Approve the milestone “{mou.title}”"
    assert actions(admin) == [approve] and sign not in actions(partner)
    assert approve in handoffs_to(admin)  # The partner's sign-off completed it: the lead's admins decide.

    checklists.milestone_submit(milestone=budget, actor=member, note="Budget attached.")
    assert handoffs_to(grant_manager) == [f"Approve the milestone “{budget.title}”"]
    assert f"Approve the milestone “{budget.title}”" not in actions(member)  # Not who submitted it, nor the lead.

    checklists.milestone_submit(milestone=narrative, actor=admin, note="Done.")
    # Whoever submitted may not approve: the item waits on the lead's other admins (none here).
    assert f"Approve the milestone “{narrative.title}”" not in actions(admin)


def _sent_toys(count: int, *, organization, admin) -> None:
    for number in range(count):
        toy_case = services.case_create(
            kind=routing_toy.KIND,
            title=f"Toy {number}",
            organization=organization,
            actor=admin,
            participants={
                Case.objects.get(title="Toy for routing").participations.get(role="reviewer").organization: "reviewer"
            },
        )
        services.case_transition(case=toy_case, name="send", actor=admin)


def test_the_queue_costs_the_same_queries_for_5_and_50_items(toy, organization, admin, grant_manager):
    from tests.helpers import assert_constant_queries

    client = api_client(grant_manager)
    queries = assert_constant_queries(
        request=lambda: client.get("/api/v1/me/queue/?page_size=100"),
        grow=lambda count: _sent_toys(count, organization=organization, admin=admin),
    )
    assert len(client.get("/api/v1/me/queue/?page_size=100").json()["results"]) == 50
    assert queries <= 4  # Session and user, then the one queue query (plus the savepoint pair of ATOMIC_REQUESTS).


def test_the_queue_page_and_the_count_on_every_page(toy, organization, admin, viewer, outsider, grant_manager, client):
    from django.test import Client

    from tests.helpers import assert_constant_queries

    client.force_login(admin)
    page = client.get("/queue/").content.decode()
    assert "Finish the toy request: Toy for routing" in page and f'href="{toy.get_absolute_url()}"' in page
    assert 'data-testid="queue-count">1<' in client.get("/tasks/").content.decode()
    dashboard = client.get("/").content.decode()
    assert "Finish the toy request" in dashboard
    assert dashboard.index('id="queue-heading"') < dashboard.index('id="my-tasks-heading"')  # The first section.
    assert client.post("/queue/").status_code == 405

    for nobody in (viewer, outsider):
        other = Client()
        other.force_login(nobody)
        html = other.get("/queue/").content.decode()
        assert "Toy for routing" not in html and "Nothing is waiting for you." in html
        assert 'data-testid="queue-count">0<' in html
    bad = client.get("/queue/?kind=nonsense")
    assert bad.status_code == 400

    manager = Client()
    manager.force_login(grant_manager)
    assert_constant_queries(
        request=lambda: manager.get("/queue/"),
        grow=lambda count: _sent_toys(count, organization=organization, admin=admin),
    )


def test_participations_are_case_access_for_one_known_membership(toy, admin, member, viewer, partner, grant_manager):
    from workflow.access import participations

    for user in (admin, member, viewer, partner, grant_manager):
        [membership] = user.memberships.filter(is_active=True)
        for action in ("view", "edit", "review", "manage"):
            cases = Case.objects.filter(pk__in=participations(membership.organization_id, membership.role, action))
            expected = set(Case.objects.filter(case_access(user, action)).values_list("pk", flat=True))
            assert set(cases.values_list("pk", flat=True)) == expected, (user, action)


def test_the_navigation_count_stops_at_its_cap(admin, client):
    """Past 99 the header says "99+" and the count stops reading (reminders.queue.NAV_CAP); the queue itself and the
    dashboard's total still count every item."""
    from django.utils import timezone

    from reminders.queue import NAV_CAP

    def hold(count):
        WaitingItem.objects.bulk_create(
            WaitingItem(step="invitation", object_id=n, user=admin, action=f"Answer {n}", url="/", since=timezone.now())
            for n in range(WaitingItem.objects.count(), WaitingItem.objects.count() + count)
        )

    client.force_login(admin)
    hold(NAV_CAP - 1)
    assert 'data-testid="queue-count">99<' in client.get("/tasks/").content.decode()
    hold(5)
    assert 'data-testid="queue-count">99+<' in client.get("/tasks/").content.decode()
    assert queue_count(user=admin) == NAV_CAP + 4
    assert "See all 104 items waiting for you" in client.get("/").content.decode()  # The dashboard: the exact total.


def test_an_item_held_several_ways_is_one_item_and_each_way_is_checked(toy, admin, partner_org, outsider):
    """Held by name and through two memberships: one row, counted once. A way that does not reach the case (an
    organization that takes part nowhere) holds nothing; the one who may not clear it does not see it."""
    from django.utils import timezone

    from accounts.models import Membership, MembershipStatus

    WaitingItem.objects.all().delete()
    Membership.objects.create(
        user=admin, organization=partner_org, role=Role.ADMIN, is_active=True, status=MembershipStatus.ACCEPTED
    )
    item = {"step": "toy.check", "case": toy, "object_id": 0, "action": "Check it", "url": "/", "since": timezone.now()}
    WaitingItem.objects.create(**item, user=admin)
    WaitingItem.objects.create(**item, organization=toy.organization, member_role=Role.ADMIN)
    WaitingItem.objects.create(**item, organization=partner_org, member_role=Role.ADMIN)
    assert actions(admin) == ["Check it"] and queue_count(user=admin) == 1

    elsewhere = factories.OrganizationFactory()  # Takes part in no case: its rows reach nothing.
    Membership.objects.create(
        user=outsider, organization=elsewhere, role=Role.ADMIN, is_active=True, status=MembershipStatus.ACCEPTED
    )
    WaitingItem.objects.create(**{**item, "action": "Not yours"}, organization=elsewhere, member_role=Role.ADMIN)
    assert actions(outsider) == [] and queue_count(user=outsider) == 0

    WaitingItem.objects.filter(action="Check it").update(except_user=admin)
    assert actions(admin) == [] and queue_count(user=admin) == 0
