"""The scale data generator, on a tiny share of the national profile."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Organization, User
from bench.management.commands.generate_scale_data import Command
from bench.scale.generate import EMAIL_DOMAIN
from tasks.models import Task
from tests import factories
from workflow.models import Case, CaseUserPermission, Event

TINY = {"profile": "small", "scale": 0.0005, "seed": 3}


def _fingerprint() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(concat_ws(',', id, kind, stage, organization_id, opened_at), ';' ORDER BY id))"
            " FROM workflow_case"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_refuses_anything_but_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # Whatever the suite runs on, the refusal is checked.
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command(Command(), **TINY)


@pytest.mark.postgres
@pytest.mark.django_db
def test_generates_every_table_deterministically(capsys):
    call_command(Command(), **TINY)
    first = _fingerprint()
    assert Organization.objects.count() == 10
    assert User.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}").count() == 0
    assert Case.objects.count() == 100
    assert Event.objects.count() == 5000
    assert Task.objects.count() == 1000
    assert CaseUserPermission.objects.count() > 900
    assert {kind for kind in Case.objects.values_list("kind", flat=True)} <= {
        "application",
        "award",
        "partnership",
        "ta_request",
    }
    call_command(Command(), **TINY)
    assert _fingerprint() == first
    assert "Generated profile small" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db
def test_generated_members_see_their_cases_through_the_access_filter():
    call_command(Command(), **TINY)
    case = Case.objects.order_by("id").first()
    member = User.objects.filter(memberships__organization=case.organization, memberships__role="member").first()
    assert Case.objects.visible_to(member).filter(pk=case.pk).exists()
    outsider = User.objects.exclude(memberships__organization__participations__case=case).exclude(
        caseuserpermission__content_object=case
    )[0]
    assert not Case.objects.visible_to(outsider).filter(pk=case.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_refuses_a_database_with_other_data():
    factories.UserFactory(email="coordinator@police.example")
    with pytest.raises(CommandError, match="holds data the generator did not make"):
        call_command(Command(), **TINY)
    assert User.objects.filter(email="coordinator@police.example").exists()
