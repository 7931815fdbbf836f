"""The partnership and TA texts site staff may redact (``workflow.redactions``)."""

from __future__ import annotations

from partnerships.models import Agreement, AssessmentAnswer, Partnership, PartnershipMember, TADelivery, TARequest
from workflow.redactions import Carried, Redactable, redactables


def register_redactables() -> None:
    for entry in (
        Redactable("partnership", "description", Partnership, "the partnership's description"),
        Redactable(
            "partnership_member",
            "responsibilities",
            PartnershipMember,
            "a member's responsibilities",
            case_path="partnership__case",
        ),
        Redactable(
            "agreement",
            "title",
            Agreement,
            "an agreement's title",
            case_path="partnership__case",
            carried=(Carried("agreement", ("title",), verbs=("agreement.recorded", "agreement.signed")),),
        ),
        Redactable(
            "assessment_answer",
            "note",
            AssessmentAnswer,
            "an assessment answer's note",
            case_path="assessment__partnership__case",
        ),
        Redactable("ta_request", "description", TARequest, "the TA request's description"),
        Redactable("ta_delivery", "note", TADelivery, "a TA delivery's note", case_path="ta_request__case"),
    ):
        redactables.register(entry)
