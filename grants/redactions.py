"""The grant texts site staff may redact (``workflow.redactions``): what applicants and grantees write that BJA and
their partners read. BJA's own texts (conditions, a solicitation) and peer reviews are not participants' free text
shown to others, and stay out."""

from __future__ import annotations

from grants.models import Application, Modification, Report
from workflow.redactions import Carried, Redactable, redactables


def register_redactables() -> None:
    for entry in (
        Redactable("application", "abstract", Application, "the application's abstract"),
        Redactable("report", "text", Report, "a report's narrative", case_path="award__case"),
        Redactable(
            "modification", "description", Modification, "a modification's description", case_path="award__case"
        ),
        Redactable(
            "modification",
            "decision_comment",
            Modification,
            "a modification decision's comment",
            case_path="award__case",
            carried=(Carried("modification", ("comment",), verbs=("modification.approved", "modification.denied")),),
        ),
    ):
        redactables.register(entry)
