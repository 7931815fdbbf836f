"""What a redaction rewrites here: the copies of a case's text in notifications, waiting items and deadlines.

A notification quotes a comment, a waiting item carries the event's comment, a deadline is titled after its task;
``workflow.redactions.text_redact`` hands each app that copies text the originals it removed, in its transaction.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from reminders.models import Deadline, Notification, WaitingItem
from workflow.redactions import text_replace

COPIES = ((Notification, ("subject", "body")), (WaitingItem, ("action", "comment")), (Deadline, ("title",)))


def copies_scrub(*, case_id: int, originals: set[str], marker: str) -> None:
    for model, fields in COPIES:
        quoting = reduce(or_, (Q(**{f"{field}__contains": text}) for field in fields for text in originals))
        for row in model.objects.filter(quoting, case_id=case_id).values("pk", *fields):
            changed = {}
            for field in fields:
                limit = model._meta.get_field(field).max_length
                value = text_replace(row[field], originals, marker)
                if value != row[field]:
                    changed[field] = value[:limit] if limit else value
            if changed:
                model.objects.filter(pk=row["pk"]).update(**changed)
