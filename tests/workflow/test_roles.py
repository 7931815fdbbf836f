"""Case roles as people: who holds each engine role, and that a listener sees every recorded event."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests import factories
from tests.workflow import machines
from workflow import services
from workflow.events import event_listen, event_unlisten
from workflow.roles import (
    ASSIGNED_REVIEWERS,
    GRANT_MANAGERS,
    LEAD_ADMINS,
    LEAD_MEMBERS,
    PARTICIPANT_MEMBERS,
    PARTNER_ADMINS,
    role_members,
)

pytestmark = pytest.mark.django_db


def test_roles_name_the_people_holding_them_on_each_case(
    case, organization, admin, member, viewer, partner_org, partner, grant_manager, peer_reviewer
):
    partner_member = factories.member_of(partner_org, Role.MEMBER)
    other = services.case_create(kind=machines.KIND, title="Theirs", organization=partner_org, actor=partner)
    services.case_grant(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager)

    ids = [case.pk, other.pk]
    assert role_members(LEAD_ADMINS, ids) == {case.pk: {admin.pk}, other.pk: {partner.pk}}
    assert role_members(LEAD_MEMBERS, ids)[case.pk] == {admin.pk, member.pk}
    assert role_members(PARTNER_ADMINS, ids) == {case.pk: {partner.pk}}
    assert role_members(PARTICIPANT_MEMBERS, ids)[case.pk] == {admin.pk, member.pk, partner.pk, partner_member.pk}
    assert role_members(GRANT_MANAGERS, ids) == {case.pk: {grant_manager.pk}}
    assert role_members(ASSIGNED_REVIEWERS, ids) == {case.pk: {peer_reviewer.pk}}
    assert viewer.pk not in role_members(LEAD_MEMBERS, ids)[case.pk]
    assert role_members("lead_admins", []) == {}


def test_a_listener_sees_each_event_inside_its_transaction(case, admin):
    seen = []

    def listener(event):
        seen.append((event.pk, event.verb))

    event_listen(listener)
    try:
        event = services.event_record(case=case, actor=admin, verb="test.happened")
    finally:
        event_unlisten(listener)
    services.event_record(case=case, actor=admin, verb="test.unheard")
    assert seen == [(event.pk, "test.happened")]
