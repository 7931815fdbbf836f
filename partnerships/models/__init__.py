"""Partnerships, their agreements and assessments, Learning Sites and TA requests."""

from partnerships.models.agreement import Agreement, AgreementParty, AgreementStatus
from partnerships.models.assessment import Assessment, AssessmentAnswer
from partnerships.models.partnership import AWARD_KIND, PARTNERSHIP_KIND, Partnership, PartnershipMember
from partnerships.models.ta import TA_REQUEST_KIND, LearningSiteProfile, TADelivery, TARequest

__all__ = [
    "AWARD_KIND",
    "PARTNERSHIP_KIND",
    "TA_REQUEST_KIND",
    "Agreement",
    "AgreementParty",
    "AgreementStatus",
    "Assessment",
    "AssessmentAnswer",
    "LearningSiteProfile",
    "Partnership",
    "PartnershipMember",
    "TADelivery",
    "TARequest",
]
