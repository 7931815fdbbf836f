"""Case.objects.visible_to: membership × participant role, BJA through participation, guardian grants."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import Role
from config.errors import NotAllowed, NotFound
from tests import factories
from workflow import access, services
from workflow.access import case_access, case_rights, visible_pairs
from workflow.models import Case, CaseGroupPermission, Event, Participant


@pytest.fixture(autouse=True, params=["the reach table", "the rule, few cases: UNION", "the rule, many cases: EXISTS"])
def strategy(request, monkeypatch):
    """Every rule here holds for the materialised reach that lists read, and for the rule read from its source tables
    in both of its query forms (a user with few or with many cases), which tests/workflow/test_reach.py compares."""
    if request.param.startswith("the rule"):
        monkeypatch.setattr(access, "case_access", access.case_access_by_rule)
        monkeypatch.setattr(access, "MANY_CASES", 10**9 if "few" in request.param else 1)
    return request.param


def rights(user, case):
    return case_rights(user=user, case=case)


def test_lead_roles(case, admin, member, viewer):
    assert rights(admin, case) == {"view", "edit", "manage"}
    assert rights(member, case) == {"view", "edit"}
    assert rights(viewer, case) == {"view"}


def test_partner_organization_sees_exactly_its_cases(case, partner, partner_org, organization, admin):
    other = services.case_create(kind=case.kind, title="Not theirs", organization=organization, actor=admin)
    assert list(Case.objects.visible_to(partner)) == [case]
    assert other not in Case.objects.visible_to(partner, "view")


def test_bja_grant_manager_reviews_cases_bja_participates_in(case, grant_manager, organization, admin):
    assert rights(grant_manager, case) == {"view", "review", "manage"}
    elsewhere = services.case_create(kind=case.kind, title="No BJA", organization=organization, actor=admin)
    assert rights(grant_manager, elsewhere) == set()


def test_peer_reviewer_sees_only_assigned_cases(case, peer_reviewer, grant_manager):
    assert rights(peer_reviewer, case) == set()
    services.case_grant(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager)
    # The score right only: BJA's review right would let a peer reviewer decide or work on the case in their name.
    assert rights(peer_reviewer, case) == {"view", "score"}
    services.case_revoke(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager)
    assert rights(peer_reviewer, case) == set()
    verbs = list(Event.objects.filter(case=case).values_list("verb", flat=True))
    assert verbs[-2:] == ["permission.granted", "permission.revoked"]


def test_group_grants_count_too(case, outsider):
    group = Group.objects.create(name="Consultants")
    outsider.groups.add(group)
    CaseGroupPermission.objects.create(
        group=group, content_object=case, permission=Permission.objects.get(codename="view_case")
    )
    assert rights(outsider, case) == {"view"}


def test_inactive_membership_user_or_organization_sees_nothing(case, member, organization):
    membership = member.memberships.get()
    membership.is_active = False
    membership.save()
    assert rights(member, case) == set()
    membership.is_active = True
    membership.save()
    organization.is_active = False
    organization.save()
    assert rights(member, case) == set()


def test_superuser_sees_everything(case):
    root = factories.UserFactory(is_staff=True, is_superuser=True)
    assert Case.objects.visible_to(root, "manage").filter(pk=case.pk).exists()
    # "Everything" survives an OR (an empty Q() would not: Q(a) | Q() is Q(a)).
    assert Participant.objects.filter(Q(pk__in=[]) | case_access(root, case_field="case_id")).count() == 3


def test_case_access_filters_rows_that_point_at_cases(case, member, partner, outsider):
    def participants(user):
        return set(Participant.objects.filter(case_access(user, case_field="case_id")).values_list("pk", flat=True))

    everyone = set(case.participations.values_list("pk", flat=True))
    assert participants(member) == participants(partner) == everyone
    assert participants(outsider) == set()
    assert set(Case.objects.filter(case_access(member)).values_list("pk", flat=True)) == {case.pk}


def test_only_managers_grant(case, member, outsider, peer_reviewer):
    with pytest.raises(NotAllowed):
        services.case_grant(case=case, user=peer_reviewer, permission="view_case", actor=member)
    with pytest.raises(NotAllowed):
        services.case_grant(case=case, user=peer_reviewer, permission="view_case", actor=outsider)
    assert rights(peer_reviewer, case) == set()


def test_revoking_a_grant_that_does_not_exist_is_not_found(case, admin, peer_reviewer):
    with pytest.raises(NotFound):
        services.case_revoke(case=case, user=peer_reviewer, permission="view_case", actor=admin)


def test_visible_to_is_one_query_on_the_reach_table(case, member, strategy, django_assert_num_queries):
    # The reach table: one query. The rule from its source tables: memberships first, then the cases.
    with django_assert_num_queries(1 if strategy == "the reach table" else 2) as queries:
        assert len(list(Case.objects.visible_to(member, "edit"))) == 1
    form = "workflow_reach" if strategy == "the reach table" else "EXISTS" if "EXISTS" in strategy else "UNION"
    assert form in queries.captured_queries[-1]["sql"]


def test_a_role_only_federal_memberships_have_gives_nothing_elsewhere(case, organization):
    # A grant manager role in a non-reviewing participant gives no review right.
    user = factories.member_of(organization, Role.VIEWER)
    assert "review" not in rights(user, case)


def test_visible_pairs_agree_with_visible_to(
    case, admin, member, viewer, partner, grant_manager, peer_reviewer, outsider
):
    # Several people of one organization with different roles: each pair must use that person's own role.
    services.case_grant(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager)
    other = Case.objects.create(kind=case.kind, title="Elsewhere", stage=case.stage, organization=outsider_org())
    root = factories.UserFactory(is_staff=True, is_superuser=True)
    users = (admin, member, viewer, partner, grant_manager, peer_reviewer, outsider, root)
    for action in ("view", "edit", "review", "manage"):
        expected = {
            (user.pk, case_id)
            for user in users
            for case_id in Case.objects.visible_to(user, action).values_list("id", flat=True)
        }
        asked = [(user, case_id) for user in users for case_id in (case.pk, other.pk)]
        assert visible_pairs(asked, action) == expected, action


def outsider_org():
    return factories.OrganizationFactory(name="Elsewhere PD")


def test_an_unaccepted_invitation_gives_no_access(case, organization, admin, outsider):
    """An admin's invitation counts only once the invitee accepts it (tests/accounts/test_invitations.py)."""
    from accounts.services import membership_accept, membership_invite

    invitation = membership_invite(actor=admin, organization=organization, email=outsider.email, role=Role.MEMBER)

    assert rights(outsider, case) == set()
    assert case not in Case.objects.visible_to(outsider)
    assert visible_pairs([(outsider, case.id)]) == set()

    membership_accept(actor=outsider, membership=invitation)

    assert rights(outsider, case) == {"view", "edit"}
    assert case in Case.objects.visible_to(outsider)
