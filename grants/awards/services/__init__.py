"""Writes of the post-award work: each user action is one function, one transaction."""

from grants.awards.services.award import award_accept, award_decline, award_roles_set, planning_spending_record
from grants.awards.services.match import match_report
from grants.awards.services.modifications import (
    modification_decide,
    modification_prepare,
    modification_request,
    modification_submit,
)
from grants.awards.services.reports import report_approve, report_draft, report_return, report_submit

__all__ = [
    "award_accept",
    "award_decline",
    "award_roles_set",
    "match_report",
    "modification_decide",
    "modification_prepare",
    "modification_request",
    "modification_submit",
    "planning_spending_record",
    "report_approve",
    "report_draft",
    "report_return",
    "report_submit",
]
