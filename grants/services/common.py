"""What every grants service does first: find the application under lock, check the actor, check the stage."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, NotAllowed, NotFound
from grants.models import Application
from workflow.access import VIEW, case_rights
from workflow.models import Case


def application_lock(application: Application) -> Application:
    """Lock the case, then the application: the transition service locks the case first too, so no deadlock."""
    Case.objects.select_for_update().filter(pk=application.case_id).first()
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("case", "case__organization", "solicitation", "category")
        .get(pk=application.pk)
    )


def require(application: Application, actor: User, action: str, message: str) -> set[str]:
    """The actor's rights on the application's case: 404 when they may not see it, 403 without `action`."""
    rights = case_rights(user=actor, case=application.case)
    if VIEW not in rights:
        raise NotFound("Application not found.")
    if action not in rights:
        raise NotAllowed(message)
    return rights


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
