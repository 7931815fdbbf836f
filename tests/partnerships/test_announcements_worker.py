"""A TA request acknowledged becomes one email to each of the requester's staff through a real worker and SMTP."""

import pytest

from tests.reminders.real_services import wait_for
from tests.reminders.test_reliability import redis_server, smtp, workers  # noqa: F401 (fixtures)
from workflow.services import case_transition

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_an_acknowledged_request_is_emailed_to_the_requesters_staff(
    workers,  # noqa: F811 (the fixtures imported above)
    smtp,  # noqa: F811
    admin,
    member,
    viewer,
    ta_request,
    coordinator,
):
    workers.start()
    case_transition(case=ta_request.case, name="acknowledge", actor=coordinator)

    def acknowledged():
        return [message for message in smtp.messages if "was acknowledged" in str(message["Subject"])]

    wait_for(lambda: len(acknowledged()) >= 2, timeout=30, what="the two acknowledgement emails")
    assert sorted(message["To"] for message in acknowledged()) == sorted([admin.email, member.email])
    email = acknowledged()[0]
    # Unfolded: a long subject with non-ASCII quotes is folded into encoded words on the wire.
    assert " ".join(str(email["Subject"]).split()) == f"Your TA request “{ta_request.case.title}” was acknowledged"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://127.0.0.1:8000/ta/{ta_request.pk}/" in email.get_body(("plain",)).get_content()
    assert viewer.email not in {message["To"] for message in smtp.messages}
