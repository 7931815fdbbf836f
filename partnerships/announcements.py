"""Partnership and TA outcomes that people are told of, registered from ``PartnershipsConfig.ready()``.

Hand-offs (a TA request filed, waiting for the coordinators; an agreement waiting for a signature) are
declared in the routing; these are the outcomes.
"""

from __future__ import annotations

from accounts.models import Role
from partnerships.models import PARTNERSHIP_KIND, TA_REQUEST_KIND
from partnerships.waiting import TA_REQUESTER
from reminders.preferences import notice_kind_register
from reminders.registry import organization_members
from reminders.services.announcements import Announcement, announcement_register
from workflow.roles import PARTNER_ADMINS

PARTNERSHIP_NEWS = "partnership_news"
TA_UPDATES = "ta_updates"


def added_organization_admins(event) -> set[int]:
    """The admins of the organization the event says was added (``participant.added`` names it)."""
    organization_id = event.data.get("organization_id")
    if not organization_id:
        return set()
    return organization_members([organization_id], roles=(Role.ADMIN,)).get(organization_id, set())


ANNOUNCEMENTS = (
    # Partners named when the partnership is set up are added with it: their admins hear of it then.
    Announcement(
        event="case.opened",
        kinds=(PARTNERSHIP_KIND,),
        to=(PARTNER_ADMINS,),
        kind=PARTNERSHIP_NEWS,
        subject="Your organization is now a partner in “{case}”",
    ),
    Announcement(
        event="participant.added",
        kinds=(PARTNERSHIP_KIND,),
        to=(),
        also=added_organization_admins,
        kind=PARTNERSHIP_NEWS,
        subject="Your organization ({organization}) was added to the partnership “{case}”",
    ),
    Announcement(
        event=f"{TA_REQUEST_KIND}:acknowledge",
        to=(TA_REQUESTER,),
        kind=TA_UPDATES,
        subject="Your TA request “{case}” was acknowledged",
    ),
    Announcement(
        event=f"{TA_REQUEST_KIND}:match",
        to=(TA_REQUESTER,),
        kind=TA_UPDATES,
        subject="Your TA request “{case}” was matched with a Learning Site",
    ),
    Announcement(
        event=f"{TA_REQUEST_KIND}:deliver",
        to=(TA_REQUESTER,),
        kind=TA_UPDATES,
        subject="Your TA request “{case}” was delivered: close it when you are satisfied",
    ),
)


def register_announcements() -> None:
    notice_kind_register(PARTNERSHIP_NEWS, "Partnership news (your organization added)")
    notice_kind_register(TA_UPDATES, "Your TA requests (acknowledged, matched, delivered)")
    announcement_register(*ANNOUNCEMENTS)
