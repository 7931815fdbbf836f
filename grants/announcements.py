"""Outcomes of applications and awards that people are told of, registered from ``GrantsConfig.ready()``.

Hand-offs (an award waiting for its Authorized Representative, a report waiting for BJA…) are declared
in the routing; these are the outcomes: something was decided, nobody has to act on it right away.
Report approvals by BJA are milestone approvals (``reminders/announcements.py``).
"""

from __future__ import annotations

from reminders.preferences import SOLICITATION_AMENDED_KIND, notice_kind_register
from reminders.services.announcements import Announcement, announcement_register
from workflow.roles import GRANT_MANAGERS, LEAD_MEMBERS, PARTICIPANT_MEMBERS

GRANT_OUTCOMES = "grant_outcomes"

ANNOUNCEMENTS = (
    Announcement(
        event="application:accept_complete",
        to=(PARTICIPANT_MEMBERS,),
        kind=GRANT_OUTCOMES,
        subject="Your application “{case}” was found complete: it goes to peer review",
    ),
    Announcement(
        event="application:reject_incomplete",
        to=(PARTICIPANT_MEMBERS,),
        kind=GRANT_OUTCOMES,
        subject="Your application “{case}” was rejected as incomplete",
    ),
    Announcement(
        event="application:not_fund",
        to=(PARTICIPANT_MEMBERS,),
        kind=GRANT_OUTCOMES,
        subject="Your application “{case}” was not funded",
    ),
    # A reviewers' event: only those who run the review hear of it, and it names no reviewer.
    Announcement(
        event="review.submitted",
        to=(GRANT_MANAGERS,),
        kind=GRANT_OUTCOMES,
        subject="A peer review of “{case}” was submitted: read it and close the peer review when all are in",
    ),
    Announcement(
        event="award:accept",
        to=(GRANT_MANAGERS,),
        kind=GRANT_OUTCOMES,
        subject="The award “{case}” was accepted",
    ),
    Announcement(
        event="award:decline",
        to=(GRANT_MANAGERS,),
        kind=GRANT_OUTCOMES,
        subject="The award “{case}” was declined",
    ),
    Announcement(
        event="modification.approved",
        to=(LEAD_MEMBERS,),
        kind=GRANT_OUTCOMES,
        subject="Your modification of the award “{case}” was approved",
    ),
    Announcement(
        event="modification.denied",
        to=(LEAD_MEMBERS,),
        kind=GRANT_OUTCOMES,
        subject="Your modification of the award “{case}” was denied",
    ),
)


def register_announcements() -> None:
    notice_kind_register(GRANT_OUTCOMES, "Grant outcomes (applications, reviews, awards, modifications)")
    notice_kind_register(SOLICITATION_AMENDED_KIND, "Changes to a solicitation you are applying to")
    announcement_register(*ANNOUNCEMENTS)
