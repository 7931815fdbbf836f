"""Reads on assessments: scores overall and per essential element, change against the previous one, trend."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from partnerships.choices import ANSWER_POINTS, Answer, AssessmentStatus, EssentialElement
from partnerships.models import Assessment, AssessmentAnswer, Partnership
from workflow.access import VIEW, case_access

# For "better or worse": yes > partly > no. "Not applicable" is not on the scale.
_RANK = {Answer.YES: 2, Answer.PARTLY: 1, Answer.NO: 0}


def assessment_with_relations(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related(
        "partnership__case", "organization", "template", "started_by", "submitted_by", "previous"
    )


def assessment_with_answers(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments with their answers and items (what its page and its API answer show)."""
    answers = AssessmentAnswer.objects.select_related("item", "milestone").order_by("item__order")
    return assessment_with_relations(assessments).prefetch_related(Prefetch("answers", queryset=answers))


def assessment_get(*, user: User, assessment_id: int, action: str = VIEW) -> Assessment:
    """The assessment with its answers and items, or Assessment.DoesNotExist (answer 404)."""
    return assessment_with_answers(
        Assessment.objects.filter(case_access(user, action, case_field="partnership__case_id"))
    ).get(pk=assessment_id)


def partnership_assessments(*, partnership: Partnership) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(partnership=partnership)
        .select_related("organization", "template", "submitted_by", "started_by")
        .order_by("organization__name", "-started_at", "-id")
    )


@dataclass(frozen=True)
class Score:
    key: str
    label: str
    points: float
    counted: int

    @property
    def percent(self) -> float | None:
        """Share of the possible points, in percent; None when every item was "not applicable"."""
        return round(100 * self.points / self.counted, 1) if self.counted else None


def _score(key: str, label: str, answers: Iterable[AssessmentAnswer]) -> Score:
    points = [ANSWER_POINTS[a.answer] for a in answers if a.answer in ANSWER_POINTS]
    return Score(key, label, sum(points), len(points))


def assessment_scores(*, answers: list[AssessmentAnswer]) -> tuple[Score, list[Score]]:
    """The overall score and one per essential element the items serve, in the elements' published order.

    Yes counts 1, partly ½, no 0; "not applicable" and unanswered items are left out.
    """
    overall = _score("overall", "Overall", answers)
    by_element = [
        _score(key, label, [a for a in answers if key in (a.item.tags or [])])
        for key, label in EssentialElement.choices
        if any(key in (a.item.tags or []) for a in answers)
    ]
    return overall, by_element


@dataclass(frozen=True)
class ItemChange:
    order: int
    text: str
    before: str | None
    after: str

    @property
    def change(self) -> str:
        if self.before is None:
            return "new"
        if self.before == self.after:
            return "same"
        if self.before in _RANK and self.after in _RANK:
            return "better" if _RANK[self.after] > _RANK[self.before] else "worse"
        return "changed"


@dataclass(frozen=True)
class ElementChange:
    key: str
    label: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else round(self.after - self.before, 1)


@dataclass
class Comparison:
    previous: Assessment
    overall: ElementChange
    elements: list[ElementChange] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def assessment_comparison(*, assessment: Assessment, answers: list[AssessmentAnswer]) -> Comparison | None:
    """Change per item and per element against the organization's previous submitted assessment.

    Items are matched by their wording, so a re-assessment on a newer version of
    the checklist still compares what both versions ask; a new item shows as new.
    """
    if assessment.previous_id is None:
        return None
    previous = assessment.previous
    earlier = list(AssessmentAnswer.objects.filter(assessment=previous).select_related("item"))
    before_by_text = {_key(a.item.text): a.answer for a in earlier}
    overall_before, elements_before = assessment_scores(answers=earlier)
    overall_after, elements_after = assessment_scores(answers=answers)
    before_elements = {score.key: score.percent for score in elements_before}
    return Comparison(
        previous=previous,
        overall=ElementChange("overall", "Overall", overall_before.percent, overall_after.percent),
        elements=[
            ElementChange(score.key, score.label, before_elements.get(score.key), score.percent)
            for score in elements_after
        ],
        items=[ItemChange(a.item.order, a.item.text, before_by_text.get(_key(a.item.text)), a.answer) for a in answers],
    )


@dataclass(frozen=True)
class TrendPoint:
    at: datetime
    score: float
    assessment_id: int


@dataclass
class TrendSeries:
    organization: str
    checklist: str
    points: list[TrendPoint]


def assessment_trend(*, partnership: Partnership) -> list[TrendSeries]:
    """Overall scores of submitted assessments over time, one series per member organization (one query)."""
    rows = (
        Assessment.objects.filter(partnership=partnership, status=AssessmentStatus.SUBMITTED)
        .select_related("organization", "template")
        .order_by("organization__name", "submitted_at", "id")
    )
    series: dict[int, TrendSeries] = {}
    for row in rows:
        line = series.setdefault(row.organization_id, TrendSeries(row.organization.name, row.template.title, []))
        line.points.append(TrendPoint(row.submitted_at, float(row.score or 0), row.pk))
    return list(series.values())
