"""An award accepted becomes one email to BJA's grant manager through a real Celery worker and SMTP server."""

import pytest

from tests.grants import award_flow
from tests.reminders.real_services import wait_for
from tests.reminders.test_reliability import redis_server, smtp, workers  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_an_accepted_award_is_emailed_to_the_grant_manager_once(workers, smtp, award, admin, grant_manager):  # noqa: F811
    workers.start()
    award_flow.accept(award, admin)  # The outbox row commits with the acceptance; its nudge reaches the worker.

    def to_the_manager():
        return [
            message
            for message in smtp.messages
            if message["To"] == grant_manager.email and "was accepted" in str(message["Subject"])
        ]

    email = wait_for(to_the_manager, timeout=30, what="the grant manager's email")[0]
    # Unfolded: a long subject with non-ASCII quotes is folded into encoded words on the wire.
    assert " ".join(str(email["Subject"]).split()) == f"The award “{award.case.title}” was accepted"
    assert "/notifications/unsubscribe/" in email["List-Unsubscribe"]
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = email.get_body(("plain",)).get_content()
    assert f"http://127.0.0.1:8000/grants/cases/{award.case_id}/" in text
    assert " EST" in text or " EDT" in text  # The moment, in the reader's zone, named.
    assert len(to_the_manager()) == 1
