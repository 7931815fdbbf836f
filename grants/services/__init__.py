"""Writes of the grants app: each user action is one function, one transaction."""

from grants.services.applications import (
    application_create,
    application_document_upload,
    application_document_withdraw,
    application_update,
    budget_set,
    co_applicant_add,
    co_applicant_remove,
    co_applicant_restore,
)
from grants.services.decisions import decision_record
from grants.services.reviews import review_declare, review_submit, reviewer_assign
from grants.services.solicitations import (
    category_add,
    criterion_add,
    solicitation_create,
    solicitation_manager_require,
    solicitation_publish,
    solicitation_update,
)
from grants.services.submission import (
    application_sign,
    application_submit,
    completeness_record,
    grants_gov_record,
)

__all__ = [
    "application_create",
    "application_document_upload",
    "application_document_withdraw",
    "application_sign",
    "application_submit",
    "application_update",
    "budget_set",
    "category_add",
    "co_applicant_add",
    "co_applicant_remove",
    "co_applicant_restore",
    "completeness_record",
    "criterion_add",
    "decision_record",
    "grants_gov_record",
    "review_declare",
    "review_submit",
    "reviewer_assign",
    "solicitation_create",
    "solicitation_manager_require",
    "solicitation_publish",
    "solicitation_update",
]
