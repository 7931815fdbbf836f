"""Reminders survive real failures: a real Celery worker, a real Redis broker, a real SMTP server.

Each test owns a private redis-server (stopping it never touches the machine's Redis), an aiosmtpd
server and worker processes on the same PostgreSQL test database. This process plays beat: it
publishes the periodic tasks when beat would.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from operations.models import Heartbeat
from reminders.models import Notification, NotificationStatus
from reminders.services.sweep import reminders_sweep as sweep_here
from reminders.tasks import notifications_deliver, reminders_sweep
from tasks.services.task import task_create
from tests import factories
from tests.factories import organization_today
from tests.helpers import api_client
from tests.reminders.real_services import PrivateRedis, SMTPSink, Worker, celery_publishing_to, send, wait_for
from tests.workflow import machines
from workflow.models import ParticipantRole
from workflow.services import case_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("any_hour"),
]


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    sink = SMTPSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def workers(transactional_db, redis_server, smtp, tmp_path):
    """Start workers with `workers.start(**settings)`; all are stopped before the database is flushed."""
    started: list[Worker] = []

    class Workers:
        def start(self, sink=None, **settings) -> Worker:
            log = tmp_path / f"worker{len(started)}.log"
            # Workers run on the real clock: reminders go out at once, not at 7 AM their time (the `any_hour` fixture).
            settings.setdefault("REMINDER_HOUR", "0")
            worker = Worker(broker=redis_server.url, smtp=(sink or smtp).url, log=log, **settings)
            started.append(worker)
            return worker

    with celery_publishing_to(redis_server.url):
        yield Workers()
    for worker in started:
        worker.kill()  # The test is over: no need to wait for a warm shutdown.


@pytest.fixture
def people(transactional_db):
    """A police department with an admin and three members, a behavioral health partner, and their case."""
    police = factories.OrganizationFactory(name="Springfield Police Department", kind=OrganizationKind.LAW_ENFORCEMENT)
    partner = factories.OrganizationFactory(name="Prairie Behavioral Health", kind=OrganizationKind.BEHAVIORAL_HEALTH)
    admin = factories.member_of(police, Role.ADMIN, full_name="Ada Admin")
    members = [factories.member_of(police, Role.MEMBER, full_name=f"Member {n}") for n in range(3)]
    case = case_create(
        kind=machines.KIND, title="Co-responder program", organization=police, actor=admin,
        participants={partner: ParticipantRole.CO_APPLICANT},
    )  # fmt: skip
    return {"admin": admin, "members": members, "case": case}


def tomorrow():
    return organization_today() + timedelta(days=1)


def heartbeat_after(name: str, moment) -> bool:
    return Heartbeat.objects.filter(name=name, last_seen__gt=moment).exists()


def run_beat_once() -> None:
    """What beat's next ticks publish, then wait until a worker has run both."""
    moment = timezone.now()
    send(reminders_sweep)
    wait_for(lambda: heartbeat_after("reminders-sweep", moment), timeout=30, what="a sweep in the worker")
    moment = timezone.now()
    send(notifications_deliver)
    wait_for(lambda: heartbeat_after("notifications-deliver", moment), timeout=30, what="a delivery in the worker")


def test_a_task_due_tomorrow_becomes_exactly_one_email_through_a_real_worker(workers, smtp, people):
    workers.start()
    member = people["members"][0]
    task_create(case=people["case"], actor=member, title="Send the MOU draft", assignee=member, due_date=tomorrow())

    send(reminders_sweep)  # Beat's tick; the sweep nudges delivery when its transaction commits.

    wait_for(lambda: smtp.messages, timeout=30, what="the reminder email")
    email = smtp.messages[0]
    assert email["To"] == member.email
    assert str(email["Subject"]) == "Task “Send the MOU draft” is due tomorrow"
    assert {part.get_content_type() for part in email.walk()} >= {"text/plain", "text/html"}
    assert "/notifications/unsubscribe/" in email["List-Unsubscribe"]
    wait_for(
        lambda: Notification.objects.filter(status=NotificationStatus.SENT).count() == 1,
        timeout=10,
        what="the notification to be marked sent",
    )

    run_beat_once()  # Sweeping and delivering again send nothing new.
    run_beat_once()
    assert len(smtp.messages) == 1
    assert Notification.objects.count() == 1


def test_while_the_broker_is_down_the_api_answers_and_afterwards_every_reminder_goes_out_once(
    workers, smtp, people, redis_server, settings
):
    settings.CELERY_BROKER_URL = redis_server.url  # What /healthz checks.
    workers.start()
    admin, members, case = people["admin"], people["members"], people["case"]
    task_create(case=case, actor=admin, title="Before the outage", assignee=members[0], due_date=tomorrow())
    wait_for(lambda: smtp.messages, timeout=30, what="the assignment email sent before the outage")

    redis_server.stop()
    client = api_client(admin)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["failing"] == ["broker"]
    for member in members:  # Items come due while the broker is down; each also queues an "assigned" email.
        started = time.monotonic()
        created = client.post(
            f"/api/v1/cases/{case.pk}/tasks/",
            {"title": f"During the outage for {member}", "assignee": member.pk, "due_date": tomorrow().isoformat()},
            format="json",
        )
        assert created.status_code == 201, created.content
        assert time.monotonic() - started < 2, "a dead broker does not slow the API down"
    sweep_here()  # A sweep that was already running writes to the outbox; its delivery nudge is lost.
    pending = Notification.objects.filter(status=NotificationStatus.PENDING).count()
    assert pending == 7, "4 reminders for tomorrow and 3 assignment notices wait in the outbox"
    assert len(smtp.messages) == 1, "nothing more is sent while the broker is down"

    redis_server.start()  # Back, empty: every message it held is gone. The worker reconnects by itself.
    assert client.get("/healthz").status_code == 200
    run_beat_once()

    wait_for(lambda: len(smtp.messages) >= 8, timeout=30, what="every waiting email (and the one sent before)")
    run_beat_once()
    sent = Counter((str(message["To"]), str(message["Subject"])) for message in smtp.messages)
    assert len(sent) == 8 and set(sent.values()) == {1}, sent
    assert Notification.objects.exclude(status=NotificationStatus.SENT).count() == 0


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_message_in_flight(workers, people, tmp_path):
    slow = SMTPSink(delay=0.25)
    slow.controller.start()
    try:
        member = people["members"][0]
        for number in range(16):
            task_create(case=people["case"], actor=member, title=f"Report {number:02}", assignee=member,
                        due_date=tomorrow())  # fmt: skip
        sweep_here()
        assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 16

        first = workers.start(sink=slow, NOTIFICATION_CLAIM_SECONDS="4")
        send(notifications_deliver)
        wait_for(lambda: len(slow.messages) >= 3, timeout=30, what="the batch to be under way")
        first.kill()
        claimed_unsent = Notification.objects.filter(status=NotificationStatus.PENDING, claimed_until__isnull=False)
        assert claimed_unsent.exists(), "the killed worker held claims on unsent rows"

        workers.start(sink=slow, NOTIFICATION_CLAIM_SECONDS="4")

        def all_sent() -> bool:
            if Notification.objects.exclude(status=NotificationStatus.SENT).exists():
                send(notifications_deliver)  # Beat's next tick; claims lapse after 4 s.
                return False
            return True

        wait_for(all_sent, timeout=45, what="every notification to be sent", interval=1.0)
    finally:
        slow.controller.stop()

    received = Counter(slow.subjects())
    assert set(received) == {f"Task “Report {number:02}” is due tomorrow" for number in range(16)}
    assert sum(received.values()) - len(received) <= 1, f"more than the message in flight was repeated: {received}"
