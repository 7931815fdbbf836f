"""What every grants service does first: find the application (or award) under lock, then check the actor and
the stage (the actor through ``workflow.access.case_require``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, NotAllowed
from grants.models import Application
from workflow.models import Case

Row = TypeVar("Row", bound=models.Model)


# What the application services read after locking, fetched with the application.
APPLICATION_RELATED = ("case", "case__organization", "solicitation", "category")
APPLICATION_NOT_FOUND = "Application not found."


def case_object_lock(row: Row, *, related: Iterable[str]) -> Row:
    """Lock the case, then `row`, the domain row beside it (an application, an award), re-read with `related`.

    The case comes first because the transition service locks the case first too: two writers of one case
    never hold the locks in opposite orders, so they cannot deadlock.
    """
    Case.objects.select_for_update().filter(pk=row.case_id).first()
    return type(row).objects.select_for_update(of=("self",)).select_related(*related).get(pk=row.pk)


def expect_stage(application: Application, stages: Iterable[str], doing: str) -> None:
    if application.case.stage not in stages:
        raise Conflict(
            f"Cannot {doing}: the application is at the stage “{application.case.stage_label}”.",
            code="wrong_stage",
        )


def content_changed(application: Application) -> None:
    """A change to what the applicants certify: every sign-off given so far is for an older version."""
    Application.objects.filter(pk=application.pk).update(revision=F("revision") + 1, updated_at=timezone.now())
    application.refresh_from_db(fields=["revision", "updated_at"])


def refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)
