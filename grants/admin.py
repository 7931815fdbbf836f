"""Site staff can read the pre-award data in the Django admin; changes go through the services and pages."""

from django.contrib import admin

from grants.models import Application, CompletenessReview, Decision, ReviewAssignment, Solicitation


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stage, sign-offs and scores have rules the admin's forms would bypass: look, do not touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Solicitation)
class SolicitationAdmin(ReadOnlyAdmin):
    list_display = ["number", "fiscal_year", "program", "title", "justgrants_deadline", "published_at"]
    list_filter = ["program", "fiscal_year"]
    search_fields = ["number", "title"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["case", "solicitation", "category", "amount_requested", "submitted_at"]
    list_select_related = ["case", "solicitation", "category"]
    search_fields = ["case__title"]


@admin.register(CompletenessReview)
class CompletenessReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "round", "outcome", "reviewer", "decided_at"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "status", "due_date", "total"]
    list_filter = ["status"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "amount", "decided_on", "decided_by"]
