"""A write checks access once, on the locked row: the query counts of two everyday writes stay put.

The numbers are ceilings measured when the one access gate landed (docs/architecture.md, "One access gate");
a change that adds an access check or a query per write shows up here.
"""

from tests.grants import flow
from tests.helpers import api_client, count_queries

WITHDRAWAL = {"name": "withdraw", "comment": "We will apply next year.", "confirm": True}


def test_withdraw_checks_access_once(application, admin):
    client = api_client(admin)
    client.get(f"/api/v1/cases/{application.case_id}/")  # Warm the session and content types.
    queries, sql, response = count_queries(
        lambda: client.post(f"/api/v1/cases/{application.case_id}/transitions/", WITHDRAWAL, format="json")
    )
    assert response.status_code == 200, response.content
    print(f"withdraw: {queries} queries")
    assert queries <= WITHDRAW_QUERIES, "\n".join(sql)


def test_submit_checks_access_once(application, admin, bh_admin):
    flow.prepare(application, admin, bh_admin)
    client = api_client(admin)
    client.get(f"/api/v1/applications/{application.pk}/")
    queries, sql, response = count_queries(
        lambda: client.post(f"/api/v1/applications/{application.pk}/submit/", {}, format="json")
    )
    assert response.status_code == 200, response.content
    print(f"submit: {queries} queries")
    assert queries <= SUBMIT_QUERIES, "\n".join(sql)


# Before the one access gate: 14 and 47, with three and four access checks; now one each (docs/architecture.md).
# Then 12 and 43; the hand-offs (reminders.services.handoffs) add, in the same transaction, the case's waiting
# items and the "it's your turn" notification: a withdraw only clears them (1), a submit hands the application
# to BJA's grant managers (16: items found, their holders, rows rewritten, recipients checked, outbox row).
# Then 60: the rights come from the reach table (one primary-key probe) and the abilities a submit needs (the
# Authorized Representative) from the participant roles, where one query used to serve both.
WITHDRAW_QUERIES = 13
SUBMIT_QUERIES = 60
