"""Forms of the notification pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.conf import settings

from reminders.emails import kind_label
from reminders.models import Channel

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"),
            (6, "Sunday")]  # fmt: skip


class PreferenceForm(forms.Form):
    days_before = forms.TypedMultipleChoiceField(
        label="Remind me before a due date", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    on_due_day = forms.BooleanField(label="On the due day", required=False)
    overdue = forms.BooleanField(label="While overdue, every few days", required=False)
    quiet_days = forms.TypedMultipleChoiceField(
        label="No email on", required=False, coerce=int, choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple,
        help_text="Reminders on these days wait for the next morning that is not quiet.",
    )  # fmt: skip

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days_before"].choices = [
            (day, "1 day before" if day == 1 else f"{day} days before") for day in settings.REMINDER_DAYS_BEFORE_CHOICES
        ]
        self.kinds = kinds
        for kind in kinds:
            self.fields[f"channel_{kind}"] = forms.ChoiceField(
                label=kind_label(kind), choices=Channel.choices, initial=Channel.EMAIL
            )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "days_before": data["days_before"],
            "on_due_day": data["on_due_day"],
            "overdue": data["overdue"],
            "quiet_days": data["quiet_days"],
            "channels": {kind: data[f"channel_{kind}"] for kind in self.kinds},
        }


class CalendarFeedForm(forms.Form):
    name = forms.CharField(label="Name (for you to recognise it)", max_length=100, required=False)
