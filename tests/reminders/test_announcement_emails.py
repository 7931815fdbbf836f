"""The email of every kind: the action in the subject, a link to where it is done, times in the reader's
zone with the zone named, and a one-click unsubscribe for that kind (signed link and RFC 8058 headers)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from accounts.models import Role
from reminders.emails import kind_label, notification_email, unsubscribe_read
from reminders.models import Channel, Notification, ReminderPreference
from reminders.preferences import DIGEST_KIND
from reminders.services.delivery import notifications_deliver
from reminders.services.inbox import notification_kinds
from tests import factories
from tests.workflow import machines
from workflow.checklists import milestone_add, milestone_approve, milestone_submit
from workflow.services import case_create

CHICAGO = ZoneInfo("America/Chicago")
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def case(organization, admin):
    return case_create(kind=machines.KIND, title="Co-responder program", organization=organization, actor=admin)


def unsubscribe_link(body: str) -> str:
    return re.search(rf"({re.escape(SITE)}/notifications/unsubscribe/[^/\s\"]+/)", body).group(1)


def test_the_new_kinds_are_offered_on_the_preferences_page():
    kinds = notification_kinds()
    for kind in ("agreement_expiry", "ta_clocks", "grant_outcomes", "partnership_news", "ta_updates"):
        assert kind in kinds
    assert "milestone_decisions" in kinds
    assert kind_label("grant_outcomes").startswith("Grant outcomes")


@pytest.mark.parametrize("kind", [*notification_kinds(), DIGEST_KIND])
def test_every_kind_has_a_link_and_an_unsubscribe_of_its_own_in_body_and_headers(kind, case, member):
    notification = Notification.objects.create(
        recipient=member, kind=kind, target=f"test:{kind}", window="w", subject="Do the thing", url="/cases/1/",
        case=case, body=f"On “{case.title}”.",
    )  # fmt: skip
    email = notification_email(notification, items=[] if kind == DIGEST_KIND else None)
    html = email.alternatives[0][0]
    link = unsubscribe_link(email.body)
    assert unsubscribe_read(link.removeprefix(SITE).split("/")[-2]) == (member.pk, kind)
    assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in html.replace("&amp;", "&")
    assert kind_label(kind) != kind.replace("_", " ").capitalize(), "every kind has a label people can read"
    if kind != DIGEST_KIND:
        assert f"{SITE}/cases/1/" in email.body and f"{SITE}/cases/1/" in html


def test_an_announcement_email_says_what_happened_when_in_the_readers_zone_and_why(case, organization, admin):
    submitter = factories.member_of(organization, Role.MEMBER, full_name="Lee Angeles", time_zone="America/Los_Angeles")
    milestone = milestone_add(case=case, actor=admin, title="Sign the data-sharing MOU")
    milestone_submit(milestone=milestone, actor=submitter, note="Signed by both.")
    with time_machine.travel(datetime(2027, 1, 12, 15, 30, tzinfo=CHICAGO), tick=False):
        milestone_approve(milestone=milestone, actor=admin, comment="Thank you, filed with the county.")
        notifications_deliver()
    email = next(message for message in mail.outbox if message.to == [submitter.email])
    assert email.subject == "Approved: “Sign the data-sharing MOU” on “Co-responder program”"
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert "Tuesday, January 12, 2027 at 1:30 PM PST" in body, "3:30 PM in Chicago is 1:30 PM in Los Angeles"
        assert "Comment: Thank you, filed with the county." in body
        assert f"{SITE}/cases/{case.pk}/" in body
    assert 'Stop emails for "Milestone decisions (approved, sent back)"' in email.body

    response = Client(enforce_csrf_checks=True).post(unsubscribe_link(email.body).removeprefix(SITE))
    assert response.status_code == 200
    assert ReminderPreference.objects.get(user=submitter).channels == {"milestone_decisions": Channel.IN_APP}


def test_an_announcement_in_the_daily_digest_keeps_its_time_and_comment(case, organization, admin):
    from reminders.services.digests import digests_start
    from reminders.services.inbox import preference_update

    submitter = factories.member_of(organization, Role.MEMBER, full_name="Dee Gest", time_zone="America/New_York")
    preference_update(user=submitter, channels={"milestone_decisions": Channel.DIGEST})
    milestone = milestone_add(case=case, actor=admin, title="Name the crisis line")
    milestone_submit(milestone=milestone, actor=submitter)
    with time_machine.travel(datetime(2027, 1, 12, 15, 30, tzinfo=CHICAGO), tick=False):
        milestone_approve(milestone=milestone, actor=admin, comment="Good.")
    with time_machine.travel(datetime(2027, 1, 13, 8, 0, tzinfo=ZoneInfo("America/New_York")), tick=False):
        assert digests_start() == 1
        notifications_deliver()
    digest = next(message for message in mail.outbox if message.to == [submitter.email])
    assert "NEWS" in digest.body
    assert "Approved: “Name the crisis line” on “Co-responder program” (Tuesday, January 12, 2027 at 4:30 PM EST)" in (
        digest.body
    )
    assert "Comment: Good." in digest.body and "Comment: Good." in digest.alternatives[0][0]
