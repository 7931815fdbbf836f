"""Notification, preference and calendar feed endpoints: /api/v1/notifications/…, /notification-preferences/,
/calendar-feeds/. Each person sees only their own."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from reminders import calendar, selectors
from reminders.models import CalendarFeed, Channel, Notification
from reminders.services import inbox as services
from workflow.matrix import OWN


class NotificationSerializer(serializers.ModelSerializer):
    case_title = serializers.CharField(source="case.title", default=None, allow_null=True, read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id", "kind", "window", "subject", "body", "url", "case", "case_title", "due_date", "status",
            "created_at", "sent_at", "read_at", "unread",
        ]  # fmt: skip
        read_only_fields = fields

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your notifications, newest first; ``?unread=true`` for the unread ones."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    action_rights = {"list": OWN, "retrieve": OWN, "unread_count": OWN, "read": OWN, "read_all": OWN}

    def get_queryset(self):
        notifications = selectors.notification_list_for_user(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true", "True"):
            notifications = notifications.filter(read_at__isnull=True)
        return notifications

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.notification_unread_count(user=request.user)})

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(user=request.user, notification_id=self.get_object().pk)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


class PreferenceSerializer(serializers.Serializer):
    days_before = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, required=False, help_text="null: the site's default."
    )
    on_due_day = serializers.BooleanField(default=True)
    overdue = serializers.BooleanField(default=True)
    quiet_days = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), default=list)
    channels = serializers.DictField(child=serializers.ChoiceField(choices=Channel.choices), default=dict)
    days_before_choices = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    kinds = serializers.ListField(child=serializers.CharField(), read_only=True)


class PreferenceView(APIView):
    """Your reminder windows, quiet days (0 = Monday) and channel per kind (email, digest, in_app)."""

    def _body(self, request) -> dict:
        preference = selectors.preference_for_user(user=request.user)
        return {
            "days_before": preference.days_before,
            "on_due_day": preference.on_due_day,
            "overdue": preference.overdue,
            "quiet_days": preference.quiet_days,
            "channels": {
                kind: (preference.channels or {}).get(kind, Channel.EMAIL) for kind in services.notification_kinds()
            },
            "days_before_choices": settings.REMINDER_DAYS_BEFORE_CHOICES,
            "kinds": services.notification_kinds(),
        }

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response(self._body(request))

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request):
        data = PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.preference_update(user=request.user, **data.validated_data)
        return Response(self._body(request))


class CalendarFeedSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Only in the answer to POST: the secret is not kept.")

    class Meta:
        model = CalendarFeed
        fields = ["id", "name", "created_at", "last_used_at", "url"]
        read_only_fields = ["id", "created_at", "last_used_at", "url"]

    def get_url(self, feed: CalendarFeed) -> str | None:
        return self.context.get("url")


class CalendarFeedViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your secret calendar (iCalendar) URLs. POST makes one and answers its URL once; DELETE revokes it."""

    serializer_class = CalendarFeedSerializer
    queryset = CalendarFeed.objects.none()
    action_rights = {"list": OWN, "create": OWN, "destroy": OWN}

    def get_queryset(self):
        return calendar.calendar_feed_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        data = CalendarFeedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feed, token = calendar.calendar_feed_create(user=request.user, name=data.validated_data.get("name", ""))
        url = settings.SITE_URL + reverse("calendar-feed", args=[token])
        return Response(CalendarFeedSerializer(feed, context={"url": url}).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        calendar.calendar_feed_revoke(user=request.user, feed_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
