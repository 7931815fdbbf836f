from django.contrib import admin

from tasks.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "assignee", "assignee_organization", "due_date", "status", "priority"]
    list_filter = ["status", "priority"]
    search_fields = ["title", "case__title"]
    raw_id_fields = ["case", "assignee", "created_by", "completed_by", "milestone", "watchers"]
    readonly_fields = ["created_at", "updated_at", "completed_at", "completed_by"]

    def has_add_permission(self, request):
        return False  # Tasks are made through the site or the API, which record events and plan reminders.
