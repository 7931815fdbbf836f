"""Undoing a draft solicitation's choices: its categories and criteria are edited or deleted, the draft deleted.

A change to a published solicitation is an amendment (``grants.services.amendments``)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from config.errors import Conflict, NotFound, ServiceError
from grants.models import Category, Criterion, Solicitation
from grants.services.solicitations import _draft, _managed, category_save, solicitation_manager_require

# Every field a grant manager writes (everything but the keys).
CATEGORY_FIELDS = frozenset(field.name for field in Category._meta.concrete_fields) - {"id", "solicitation"}
CRITERION_FIELDS = frozenset({"title", "description", "weight"})


def solicitation_draft_require(*, solicitation: Solicitation, actor: User, doing: str) -> None:
    """What a change of a draft checks first (its pages ask it before offering the step): the actor manages the
    solicitation, and it is still a draft."""
    solicitation_manager_require(solicitation=solicitation, actor=actor)
    _draft(solicitation, doing)


@transaction.atomic
def solicitation_delete(*, solicitation: Solicitation, actor: User) -> None:
    """Delete a draft (never a published solicitation: applicants may have started on it)."""
    solicitation = _managed(solicitation, actor)
    _draft(solicitation, "delete it")
    solicitation.criteria.all().delete()
    solicitation.categories.all().delete()
    solicitation.delete()


def _child(model, *, solicitation: Solicitation, pk: int, actor: User, doing: str):
    solicitation = _managed(solicitation, actor)
    _draft(solicitation, doing)
    child = model.objects.select_for_update().filter(solicitation=solicitation, pk=pk).first()
    if child is None:
        raise NotFound(f"{model._meta.verbose_name.capitalize()} not found.")
    return child


def _edit(child, allowed: frozenset, fields: dict, save=None):
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown_field")
    for name, value in fields.items():
        setattr(child, name, value)
    if save is not None:
        return save(child)
    child.full_clean()
    child.save()
    return child


@transaction.atomic
def category_update(*, solicitation: Solicitation, category_id: int, actor: User, **fields) -> Category:
    """Any of the category's fields, checked as when it was added (match schedule, planning phase, unique code)."""
    category = _child(Category, solicitation=solicitation, pk=category_id, actor=actor, doing="change a category")
    return _edit(category, CATEGORY_FIELDS, fields, save=category_save)


@transaction.atomic
def category_delete(*, solicitation: Solicitation, category_id: int, actor: User) -> None:
    category = _child(Category, solicitation=solicitation, pk=category_id, actor=actor, doing="delete a category")
    category.delete()


@transaction.atomic
def criterion_update(*, solicitation: Solicitation, criterion_id: int, actor: User, **fields) -> Criterion:
    criterion = _child(Criterion, solicitation=solicitation, pk=criterion_id, actor=actor, doing="change a criterion")
    if "weight" in fields:
        others = sum(c.weight for c in criterion.solicitation.criteria.exclude(pk=criterion.pk))
        if not 1 <= fields["weight"] <= 100 or others + fields["weight"] > 100:
            raise Conflict(
                f"The criteria's weights would add up to {others + fields['weight']}; they add up to 100 at most.",
                field="weight",
                code="weights_over_100",
            )
    return _edit(criterion, CRITERION_FIELDS, fields)


@transaction.atomic
def criterion_delete(*, solicitation: Solicitation, criterion_id: int, actor: User) -> None:
    criterion = _child(Criterion, solicitation=solicitation, pk=criterion_id, actor=actor, doing="delete a criterion")
    criterion.delete()
