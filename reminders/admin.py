from django.contrib import admin, messages
from django.utils import timezone

from reminders.models import CalendarFeed, Deadline, Notification, NotificationStatus


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "object_id", "due_date", "time_zone", "next_remind_at", "closed_at"]
    list_filter = ["source"]
    search_fields = ["title"]
    readonly_fields = [field.name for field in Deadline._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Site staff see failed deliveries here (filter by status) and can send them again."""

    list_display = ["subject", "recipient", "kind", "window", "status", "attempts", "last_error", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "recipient__email"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    # Every member of site staff sees the outbox (failed deliveries are an operations matter), not only
    # those granted the model permission.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    @admin.action(description="Send again (failed emails)")
    def retry(self, request, queryset):
        count = queryset.filter(status=NotificationStatus.FAILED).update(
            status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
        )
        self.message_user(request, f"{count} notification(s) will be sent again.", messages.SUCCESS)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "token_hash", "created_at", "last_used_at"]
