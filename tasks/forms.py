"""Forms of the task pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from accounts.models import Organization, User
from config.phi import GuardedFormMixin
from tasks.models import TaskPriority, TaskStatus
from workflow.models import Visibility


class AssigneeField(forms.ChoiceField):
    """One select for "a person (acting for an organization)" or "a whole organization".

    Values are ``org:<id>`` or ``user:<user id>:<organization id>``; `choices` come from
    ``selectors_assignable`` grouped by organization.
    """

    def __init__(self, *, groups: list[tuple[Organization, list[User]]], **kwargs):
        choices = [("", "Choose who does it")]
        for organization, people in groups:
            options = [(f"org:{organization.pk}", f"Anyone at {organization.name}")]
            options += [(f"user:{person.pk}:{organization.pk}", str(person)) for person in people]
            choices.append((organization.name, options))
        super().__init__(choices=choices, **kwargs)
        self.lookup = {str(organization.pk): organization for organization, _ in groups}
        self.people = {str(person.pk): person for _, people in groups for person in people}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None, None
        parts = value.split(":")
        if parts[0] == "org":
            return None, self.lookup[parts[1]]
        return self.people[parts[1]], self.lookup[parts[2]]


class TaskForm(GuardedFormMixin, forms.Form):
    title = forms.CharField(label="Task", max_length=200)
    description = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(
        label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="In the time zone of the case's lead organization.",
    )  # fmt: skip
    due_time = forms.TimeField(label="Due time", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    priority = forms.TypedChoiceField(
        label="Priority", choices=TaskPriority.choices, coerce=int, initial=TaskPriority.NORMAL
    )
    milestone = forms.TypedChoiceField(label="For milestone", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, groups, milestones=(), initial_assignee: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assign_to"] = AssigneeField(label="Assigned to", groups=groups, initial=initial_assignee)
        self.order_fields(["title", "assign_to", "due_date", "due_time", "priority", "milestone", "description"])
        self.fields["milestone"].choices = [("", "None"), *((m.pk, m.title) for m in milestones)]

    def service_fields(self, milestones) -> dict:
        data = dict(self.cleaned_data)
        data["assignee"], data["assignee_organization"] = data.pop("assign_to")
        by_id = {milestone.pk: milestone for milestone in milestones}
        data["milestone"] = by_id.get(data["milestone"])
        return data


class TaskStatusForm(GuardedFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=TaskStatus.choices)
    reason = forms.CharField(
        label="Why is it blocked?", required=False, max_length=500, help_text="Needed only when the task is blocked."
    )


class CommentForm(GuardedFormMixin, forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    visibility = forms.ChoiceField(label="Who may read it", choices=Visibility.choices, initial=Visibility.ALL)


class ReassignForm(forms.Form):
    from_user = forms.ModelChoiceField(label="Tasks of", queryset=User.objects.none())
    to_user = forms.ModelChoiceField(
        label="Give them to", queryset=User.objects.none(), required=False, empty_label="The organization (anyone)"
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = members
        self.fields["to_user"].queryset = members
