"""Correcting what a partner wrote: an agreement's title, an assessment answer's note; each change an event."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from partnerships.models import Agreement, AssessmentAnswer
from workflow.corrections import author_organization_require, correction_record
from workflow.models import Case


@transaction.atomic
def agreement_title_correct(*, agreement: Agreement, actor: User, title: str) -> Agreement:
    """The recording organization (its author's) corrects the title; the parties and signatures are unchanged."""
    Case.objects.select_for_update(of=("self",)).filter(pk=agreement.partnership.case_id).first()
    agreement = Agreement.objects.select_for_update().select_related("partnership__case").get(pk=agreement.pk)
    case = agreement.partnership.case
    author_organization_require(case=case, actor=actor, author=agreement.created_by)
    agreement.title = title.strip()
    agreement.full_clean()
    agreement.save(update_fields=["title"])
    correction_record(case=case, actor=actor, what="agreement", pk=agreement.pk, field="title", text=agreement.title)
    return agreement


@transaction.atomic
def assessment_note_correct(*, answer: AssessmentAnswer, actor: User, note: str) -> AssessmentAnswer:
    """The assessed organization corrects one answer's note, even after submitting (its score is unchanged)."""
    answer = (
        AssessmentAnswer.objects.select_for_update(of=("self",))
        .select_related("assessment__partnership__case", "assessment__organization")
        .get(pk=answer.pk)
    )
    assessment = answer.assessment
    case = assessment.partnership.case
    author_organization_require(case=case, actor=actor, organization=assessment.organization)
    answer.note = note.strip()
    answer.full_clean()
    answer.save(update_fields=["note"])
    correction_record(case=case, actor=actor, what="assessment_answer", pk=answer.pk, field="note", text=answer.note)
    return answer
