"""Pre-award models: solicitations and their categories and criteria, applications, peer reviews, decisions."""

from grants.models.applications import (
    Application,
    ApplicationSignoff,
    BudgetYear,
    CompletenessOutcome,
    CompletenessReview,
)
from grants.models.reviews import AssignmentStatus, Decision, Outcome, ReviewAssignment, ReviewScore
from grants.models.solicitations import (
    Category,
    Criterion,
    DocumentKind,
    Program,
    Solicitation,
)

__all__ = [
    "Application",
    "ApplicationSignoff",
    "AssignmentStatus",
    "BudgetYear",
    "Category",
    "CompletenessOutcome",
    "CompletenessReview",
    "Criterion",
    "Decision",
    "DocumentKind",
    "Outcome",
    "Program",
    "ReviewAssignment",
    "ReviewScore",
    "Solicitation",
]
