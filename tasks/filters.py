"""Task list filters, shared by the API (django-filter backend) and the pages (its form, USWDS-rendered)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from config.params import Param, field_filter
from tasks.models import OPEN_STATUSES, TaskStatus
from tasks.selectors import mine_condition
from workflow.machines import registry as machines

ACTIVE = "active"
STATUS_CHOICES = [(ACTIVE, "Not finished (open, in progress, blocked)"), *TaskStatus.choices, ("all", "Any status")]


def _case_kinds() -> list[tuple[str, str]]:
    # A function, not the bound method `machines.kinds`: every FilterSet deep-copies its filters, and a
    # bound method would drag a deep copy of the whole machine registry into every request.
    return machines.kinds()


class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number an id column can hold. Anything else is a 400 (a decimal or a number past the
    column was sent to the database, and SQLite cannot even bind it: a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, method="filter_status", empty_label=None, null_label=None
    )
    assignee = IdFilter(label="Assigned to", field_name="assignee_id")
    assignee_organization = IdFilter(label="Organization", field_name="assignee_organization_id")
    case = IdFilter(label="Case", field_name="case_id")
    # A callable, read on every use: kinds register at start-up, after this class is built (and cached by the schema).
    case_kind = django_filters.ChoiceFilter(label="Kind of case", field_name="case__kind", choices=_case_kinds)
    due_after = django_filters.DateFilter(
        label="Due on or after",
        field_name="due_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = django_filters.DateFilter(
        label="Due on or before",
        field_name="due_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(label="Only overdue", method="filter_overdue", widget=forms.CheckboxInput)
    mine = django_filters.BooleanFilter(label="Only mine", method="filter_mine", widget=forms.CheckboxInput)

    def __init__(self, data=None, *args, assignee_choices=None, organization_choices=None, hide=(), **kwargs):
        # With no status asked for, a list shows unfinished tasks: what people act on.
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = ACTIVE
        super().__init__(data, *args, **kwargs)
        if assignee_choices is not None:
            self.filters["assignee"].extra["widget"] = forms.Select(choices=[("", "Anyone"), *assignee_choices])
        if organization_choices is not None:
            self.filters["assignee_organization"].extra["widget"] = forms.Select(
                choices=[("", "Any organization"), *organization_choices]
            )
        for name in hide:
            self.filters.pop(name, None)

    def filter_status(self, queryset, name, value):
        return status_filter(queryset, value)

    def filter_mine(self, queryset, name, value):
        return mine_filter(queryset, value, self.request)

    def filter_overdue(self, queryset, name, value):
        return overdue_filter(queryset, value)


def status_filter(queryset, value, request=None):
    if value == ACTIVE:
        return queryset.filter(status__in=OPEN_STATUSES)
    if value == "all":
        return queryset
    return queryset.filter(status=value)


def mine_filter(queryset, value, request):
    """Tasks for the requesting user, or for one of their organizations with nobody assigned."""
    if not value or request is None:
        return queryset
    return queryset.filter(mine_condition(request.user))


def overdue_filter(queryset, value, request=None):
    if not value:
        return queryset
    return queryset.filter(Q(due_date__lt=timezone.localdate()), status__in=OPEN_STATUSES)


def _id_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


# TaskFilter's parameters for the API's task lists (config/params.py): the same form fields, without a FilterSet per
# request. tests/tasks/test_filters.py compares the two on valid and invalid query strings.
TASK_PARAMS = {
    "status": Param(forms.ChoiceField(required=False, choices=STATUS_CHOICES), status_filter),
    "assignee": Param(_id_field(), field_filter("assignee_id")),
    "assignee_organization": Param(_id_field(), field_filter("assignee_organization_id")),
    "case": Param(_id_field(), field_filter("case_id")),
    "case_kind": Param(
        forms.ChoiceField(required=False, choices=lambda: [("", "---------"), *_case_kinds()]),
        field_filter("case__kind"),
    ),
    "due_after": Param(forms.DateField(required=False), field_filter("due_date__gte")),
    "due_before": Param(forms.DateField(required=False), field_filter("due_date__lte")),
    "overdue": Param(forms.BooleanField(required=False, widget=forms.CheckboxInput), overdue_filter),
    "mine": Param(forms.BooleanField(required=False, widget=forms.CheckboxInput), mine_filter),
}
TASK_DEFAULTS = {"status": ACTIVE}
