"""Pre-award models: solicitations and their categories and criteria, applications, peer reviews, decisions."""

from grants.models.applications import (
    Application,
    ApplicationSignoff,
    BudgetYear,
    CompletenessOutcome,
    CompletenessReview,
)
from grants.models.awards import (
    Award,
    MatchReport,
    Modification,
    ModificationKind,
    ModificationStatus,
    Report,
    ReportKind,
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
    "Award",
    "BudgetYear",
    "Category",
    "CompletenessOutcome",
    "CompletenessReview",
    "Criterion",
    "Decision",
    "DocumentKind",
    "MatchReport",
    "Modification",
    "ModificationKind",
    "ModificationStatus",
    "Outcome",
    "Program",
    "Report",
    "ReportKind",
    "ReviewAssignment",
    "ReviewScore",
    "Solicitation",
]
