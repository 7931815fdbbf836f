"""The event log: append-only in Python and, on PostgreSQL, at the database; one line per change."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import Error as DatabaseError
from django.db import connection, transaction
from django.db.models import ProtectedError

from config.errors import NotAllowed
from tests import factories
from tests.workflow.machines import approve_preparation
from workflow import checklists, documents, services
from workflow.models import AppendOnlyError, Case, Event, ParticipantRole, Visibility


def new_events(case: Case, change: Callable[[], object]) -> list[Event]:
    """Run `change` and return the events it added to the case's log."""
    last = Event.objects.filter(case=case).order_by("-id").values_list("id", flat=True).first() or 0
    change()
    return list(Event.objects.filter(case=case, id__gt=last).order_by("id"))


def assert_one_event(case: Case, change: Callable[[], object], *, verb: str, actor) -> Event:
    added = new_events(case, change)
    assert [event.verb for event in added] == [verb]
    assert added[0].actor == actor
    return added[0]


@pytest.fixture
def milestones(case):
    narrative, mou, budget, _letters = case.milestones.order_by("order")
    return {"narrative": narrative, "mou": mou, "budget": budget}


# Append-only in Python


def test_saving_an_existing_event_is_refused(case):
    event = Event.objects.filter(case=case).first()
    event.verb = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert Event.objects.filter(verb="tampered").count() == 0


def test_deleting_an_event_is_refused(case):
    event = Event.objects.filter(case=case).first()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(case):
    count = Event.objects.filter(case=case).count()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(case=case).update(verb="tampered")
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(case=case).delete()
    with pytest.raises(AppendOnlyError):
        case.events.all().delete()
    # bulk_update opens atomic(savepoint=False): its refusal spoils the enclosing transaction, hence the savepoint.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        Event.objects.bulk_update(list(Event.objects.filter(case=case)), ["verb"])
    assert Event.objects.filter(case=case).count() == count
    assert not Event.objects.filter(verb="tampered").exists()


def test_a_case_with_history_cannot_be_deleted(case):
    with pytest.raises(ProtectedError):
        case.delete()
    assert Case.objects.filter(pk=case.pk).exists()


def test_an_actor_with_history_cannot_be_deleted(case, admin):
    with pytest.raises(ProtectedError):
        admin.delete()


# Append-only at the database


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflow_event SET verb = 'x'",
        "DELETE FROM workflow_event",
        "UPDATE workflow_event SET actor_id = NULL",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(case, sql):
    before = list(Event.objects.order_by("id").values_list("id", "verb", "actor_id"))
    assert before, "the trigger fires per row: there must be rows"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(Event.objects.order_by("id").values_list("id", "verb", "actor_id")) == before


@pytest.mark.postgres
def test_postgresql_still_accepts_new_events(case, admin):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflow_event (case_id, actor_id, verb, data, created_at) VALUES (%s, %s, %s, '{}', now())",
            [case.pk, admin.pk, "raw.insert"],
        )
    assert Event.objects.filter(case=case, verb="raw.insert").count() == 1


# One change, one line


def test_opening_a_case_writes_one_event(organization, partner_org, admin):
    case = services.case_create(
        kind="sample_request",
        title="Opened",
        organization=organization,
        actor=admin,
        participants={partner_org: ParticipantRole.PARTNER},
    )
    events = list(Event.objects.filter(case=case))
    assert [(event.verb, event.actor) for event in events] == [("case.opened", admin)]
    assert events[0].data == {"kind": "sample_request", "stage": "draft"}


def test_adding_a_participant_writes_one_event(case, admin):
    other = factories.OrganizationFactory(name="County Crisis Team")
    event = assert_one_event(
        case,
        lambda: services.participant_add(case=case, organization=other, role=ParticipantRole.PARTNER, actor=admin),
        verb="participant.added",
        actor=admin,
    )
    # The id lets the added organization's admins be told (partnerships/announcements.py).
    assert event.data == {"organization": "County Crisis Team", "organization_id": other.pk, "role": "partner"}


def test_instantiating_a_checklist_writes_one_event(case, admin):
    template = checklists.checklist_template_publish(
        key="onboarding", title="Onboarding", items=[checklists.ItemSpec("Kick-off call"), checklists.ItemSpec("Plan")]
    )
    event = assert_one_event(
        case,
        lambda: checklists.checklist_instantiate(case=case, template=template, actor=admin),
        verb="checklist.added",
        actor=admin,
    )
    assert event.data == {"template": "onboarding", "title": "Onboarding", "version": 1, "items": 2}


def test_every_transition_writes_one_event(case, member, admin, partner, grant_manager):
    approve_preparation(case, member=member, admin=admin, partner=partner, grant_manager=grant_manager)
    steps = [("submit", member), ("start_review", grant_manager), ("return", grant_manager), ("withdraw", admin)]
    for name, actor in steps:
        event = assert_one_event(
            case,
            lambda name=name, actor=actor: services.case_transition(case=case, name=name, actor=actor),
            verb="transition",
            actor=actor,
        )
        assert event.data["name"] == name


def test_every_milestone_action_writes_one_event(milestones, case, member, admin, partner, grant_manager):
    narrative, mou, budget = milestones["narrative"], milestones["mou"], milestones["budget"]
    actions = [
        (lambda: checklists.milestone_submit(milestone=narrative, actor=member), "milestone.submitted", member),
        (
            lambda: checklists.milestone_request_changes(milestone=narrative, actor=admin, comment="Add outcomes."),
            "milestone.changes_requested",
            admin,
        ),
        (lambda: checklists.milestone_submit(milestone=narrative, actor=member), "milestone.submitted", member),
        (lambda: checklists.milestone_approve(milestone=narrative, actor=admin), "milestone.approved", admin),
        (lambda: checklists.milestone_submit(milestone=mou, actor=member), "milestone.submitted", member),
        (lambda: checklists.milestone_sign_off(milestone=mou, actor=member), "milestone.signed", member),
        (lambda: checklists.milestone_sign_off(milestone=mou, actor=partner), "milestone.signed", partner),
        (lambda: checklists.milestone_approve(milestone=mou, actor=admin), "milestone.approved", admin),
        (lambda: checklists.milestone_submit(milestone=budget, actor=member), "milestone.submitted", member),
        (
            lambda: checklists.milestone_approve(milestone=budget, actor=grant_manager),
            "milestone.approved",
            grant_manager,
        ),
    ]
    for change, verb, actor in actions:
        assert_one_event(case, change, verb=verb, actor=actor)
    signed = [event.data["organization"] for event in Event.objects.filter(case=case, verb="milestone.signed")]
    assert signed == ["Springfield Police Department", "Prairie Behavioral Health"]


@pytest.mark.parametrize(
    "visibility, logged_name",
    [
        (Visibility.ALL, "budget narrative.txt"),
        (Visibility.ORGANIZATION, None),
        (Visibility.ORGANIZATION_AND_BJA, None),
    ],
)
def test_uploading_a_document_writes_one_event(case, member, settings, tmp_path, visibility, logged_name):
    """Everyone on the case reads the timeline: a restricted document's name stays out of it."""
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("budget narrative.txt", b"Personnel: 1 FTE co-responder clinician.\n")
    uploaded = []
    event = assert_one_event(
        case,
        lambda: uploaded.append(
            documents.document_upload(case=case, actor=member, upload=upload, visibility=visibility)
        ),
        verb="document.uploaded",
        actor=member,
    )
    assert event.data == {
        "document": uploaded[0].pk,
        "name": logged_name,
        "kind": "other",
        "visibility": visibility,
    }


def test_granting_and_revoking_write_one_event_each(case, grant_manager, peer_reviewer):
    granted = assert_one_event(
        case,
        lambda: services.case_grant(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager),
        verb="permission.granted",
        actor=grant_manager,
    )
    assert granted.data == {"user": peer_reviewer.email, "permission": "review_case"}
    assert (
        new_events(
            case,
            lambda: services.case_grant(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager),
        )
        == []
    ), "granting what is already granted changes nothing and records nothing"
    revoked = assert_one_event(
        case,
        lambda: services.case_revoke(case=case, user=peer_reviewer, permission="review_case", actor=grant_manager),
        verb="permission.revoked",
        actor=grant_manager,
    )
    assert revoked.data == granted.data


def test_a_refused_change_writes_no_event(case, viewer, milestones):
    def refused():
        for change in (
            lambda: services.case_transition(case=case, name="withdraw", actor=viewer),
            lambda: checklists.milestone_submit(milestone=milestones["narrative"], actor=viewer),
            lambda: services.case_grant(case=case, user=viewer, permission="manage_case", actor=viewer),
        ):
            with pytest.raises(NotAllowed):
                change()

    assert new_events(case, refused) == []
