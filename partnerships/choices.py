"""The vocabularies of police–mental health collaboration (see DOMAIN.md), as choices."""

from __future__ import annotations

from django.db import models


class ResponseModel(models.TextChoices):
    CIT = "cit", "Crisis intervention team (CIT)"
    CO_RESPONDER = "co_responder", "Co-responder team"
    CASE_MANAGEMENT = "case_management", "Law-enforcement-based case management / follow-up"
    LEAD = "lead", "Law Enforcement Assisted Diversion (LEAD)"
    MOBILE_CRISIS = "mobile_crisis", "Mobile crisis team"
    CRISIS_RESOLUTION = "crisis_resolution", "Crisis resolution / home treatment"
    EMS_BASED = "ems_based", "EMS-based response"
    DISPATCH_TRIAGE = "dispatch_triage", "Dispatcher (911) triage"
    EMBEDDED_CLINICIAN = "embedded_clinician", "Embedded clinician"
    CRISIS_STABILIZATION = "crisis_stabilization", "Crisis stabilization / receiving center"


class EssentialElement(models.TextChoices):
    """The ten essential elements of a specialized policing response, in their published order."""

    COLLABORATIVE_PLANNING = "collaborative_planning", "Collaborative planning and implementation"
    PROGRAM_DESIGN = "program_design", "Program design"
    SPECIALIZED_TRAINING = "specialized_training", "Specialized training"
    CALL_TAKER_DISPATCH = "call_taker_dispatch", "Call-taker and dispatcher protocols"
    STABILIZATION = "stabilization", "Stabilization, observation and disposition"
    TRANSPORTATION = "transportation", "Transportation and custodial transfer"
    INFORMATION_EXCHANGE = "information_exchange", "Information exchange and confidentiality"
    TREATMENT = "treatment", "Treatment, supports and services"
    ORGANIZATIONAL_SUPPORT = "organizational_support", "Organizational support"
    EVALUATION = "evaluation", "Program evaluation and sustainability"


class MemberRole(models.TextChoices):
    LEAD_AGENCY = "lead_agency", "Lead law enforcement agency"
    BEHAVIORAL_HEALTH = "behavioral_health", "Behavioral health partner"
    GOVERNMENT = "government", "Jurisdiction government"
    OTHER = "other", "Other member"


# The organization kind each member role requires (None: any kind but federal).
MEMBER_ROLE_KIND = {
    MemberRole.LEAD_AGENCY: "law_enforcement",
    MemberRole.BEHAVIORAL_HEALTH: "behavioral_health",
    MemberRole.GOVERNMENT: "government",
    MemberRole.OTHER: None,
}


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Points per answer for scores; "not applicable" is left out of the count altogether.
ANSWER_POINTS = {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0}
GAP_ANSWERS = (Answer.NO, Answer.PARTLY)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class AgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding (MOU)"
    INFORMATION_SHARING = "information_sharing", "Information-sharing agreement"


class TATopic(models.TextChoices):
    PROGRAM_DESIGN = "program_design", "Program design and planning"
    CIT_TRAINING = "cit_training", "Crisis intervention team (CIT) training"
    CO_RESPONDER = "co_responder", "Co-responder and embedded clinician models"
    DISPATCH = "dispatch", "Call-taker and dispatcher (911) protocols"
    CRISIS_SERVICES = "crisis_services", "Crisis services and receiving centers"
    POLICIES = "policies", "Policies and procedures"
    INFORMATION_SHARING = "information_sharing", "Information sharing and confidentiality"
    DATA_EVALUATION = "data_evaluation", "Data collection and evaluation"
    CASE_MANAGEMENT = "case_management", "Follow-up and case management"
    SUSTAINABILITY = "sustainability", "Sustainability and funding"
    OTHER = "other", "Other"


class DeliveryType(models.TextChoices):
    CONSULTATION = "consultation", "Email or phone consultation"
    VIRTUAL_MEETING = "virtual_meeting", "Virtual meeting"
    IN_PERSON = "in_person", "In-person consultation"
    SITE_VISIT = "site_visit", "Peer site visit"
    TRAINING = "training", "Training"
    WEBINAR = "webinar", "Webinar"
    DOCUMENT_REVIEW = "document_review", "Document review (sample policies, training curriculum)"


# Deliveries that reach an audience: their records must say how many attended.
AUDIENCE_DELIVERIES = (DeliveryType.TRAINING, DeliveryType.WEBINAR)

# Checklist template keys (workflow.ChecklistTemplate.key), published by migration 0002.
PLANNING_CHECKLIST = "pmhc-planning"
ASSESSMENT_CHECKLISTS = {
    "government": "pmhc-policymaker",
    "law_enforcement": "pmhc-law-enforcement",
    "behavioral_health": "pmhc-behavioral-health",
}
