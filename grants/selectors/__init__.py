"""Reads for the grants app. Every list of applications starts from `Case.objects.visible_to`."""

from grants.selectors.applications import (
    Readiness,
    Requirement,
    applicant_organizations,
    application_get,
    application_list,
    application_next_deadline,
    application_readiness,
    signoffs_current,
    solicitation_get,
    solicitation_list,
)
from grants.selectors.reports import (
    ReviewerProgress,
    StageCount,
    reports_allowed,
    reports_require,
    reviewer_progress,
    stage_counts,
    stage_rows,
)
from grants.selectors.reviews import (
    RankedApplication,
    ReviewSummary,
    assignment_for,
    assignment_list_for_reviewer,
    ranking,
    review_summary,
    reviews_visible,
)

__all__ = [
    "RankedApplication",
    "Readiness",
    "Requirement",
    "ReviewSummary",
    "ReviewerProgress",
    "StageCount",
    "applicant_organizations",
    "application_get",
    "application_list",
    "application_next_deadline",
    "application_readiness",
    "assignment_for",
    "assignment_list_for_reviewer",
    "ranking",
    "reports_allowed",
    "reports_require",
    "review_summary",
    "reviewer_progress",
    "reviews_visible",
    "signoffs_current",
    "solicitation_get",
    "solicitation_list",
    "stage_counts",
    "stage_rows",
]
