"""``GET /api/v1/me/queue/``: what waits on the caller, most urgent first (``reminders.queue``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from reminders.models import WaitingItem
from reminders.queue import queue_for_user, queue_items


class QueueItemSerializer(serializers.Serializer):
    """For the schema: the rows are built by ``reminders.queue.queue_item`` (one query per page, no instances)."""

    kind = serializers.CharField(help_text="The step that declared it, e.g. report or application.submitted.")
    kind_label = serializers.CharField()
    action = serializers.CharField(help_text="What clears it.")
    url = serializers.CharField(help_text="Where it is done (a path on this site).")
    case = serializers.IntegerField(allow_null=True)
    case_title = serializers.CharField(allow_null=True)
    case_url = serializers.CharField(allow_null=True)
    object_id = serializers.IntegerField(help_text="The row it is about within the case; 0: the case itself.")
    comment = serializers.CharField(help_text="The reason that came with it (a report sent back), or empty.")
    since = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    clock = serializers.CharField(help_text="“overdue by 3 days”, “due in 2 days”, or empty.")


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter("kind", str, description="One kind of item (a step key).")])
)
class QueueView(ListAPIView):
    """Everything waiting on you across the cases you may see: overdue first, then due soonest, then oldest.
    ``?kind=`` narrows to one kind of item."""

    serializer_class = QueueItemSerializer
    # Names the rows' model (tests/workflow/test_viewsets.py); the rows come from reminders.queue, restricted there.
    queryset = WaitingItem.objects.none()

    def list(self, request, *args, **kwargs):
        rows = queue_for_user(user=request.user, kind=request.query_params.get("kind") or None)
        page = self.paginate_queryset(rows)
        items = queue_items(page, user=request.user)
        for item in items:
            for field in ("since", "due_at"):
                item[field] = item[field].isoformat() if item[field] else None
            item["due_date"] = item["due_date"].isoformat() if item["due_date"] else None
        return self.get_paginated_response(items)
