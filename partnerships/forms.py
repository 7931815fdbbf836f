"""Forms of the partnership and TA pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from accounts.models import Organization, OrganizationKind
from config.phi import GuardedFormMixin
from partnerships.choices import AgreementKind, Answer, DeliveryType, ResponseModel, TATopic
from partnerships.models import AWARD_KIND
from workflow.models import Case

NO_HEALTH_DATA = (
    "Record the agreement itself — parties, dates and the signed file — never client names, diagnoses or any "
    "other client-level health information."
)


def award_cases(user) -> QuerySet[Case]:
    """Awards the user sees, to link a partnership to the one that funds it."""
    return Case.objects.visible_to(user).filter(kind=AWARD_KIND).order_by("-opened_at")


def _active(**filters) -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True, **filters).order_by("name")


class Checkboxes(forms.CheckboxSelectMultiple):
    """Marks the field for the USWDS checkbox-group include (fieldset, legend, usa-checkbox)."""

    is_checkbox_group = True


class PartnershipForm(GuardedFormMixin, forms.Form):
    title = forms.CharField(max_length=200, help_text="E.g. “Springfield co-responder partnership”.")
    lead = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Lead law enforcement agency")
    behavioral_health = forms.ModelMultipleChoiceField(
        queryset=_active(kind=OrganizationKind.BEHAVIORAL_HEALTH),
        widget=Checkboxes,
        required=False,
        label="Behavioral health partners",
        help_text="At least one.",
    )
    government = forms.ModelChoiceField(
        queryset=_active(kind=OrganizationKind.GOVERNMENT), required=False, label="Jurisdiction government (optional)"
    )
    jurisdiction = forms.CharField(max_length=200, help_text="City, county, tribe or state served.")
    population_served = forms.CharField(max_length=200, required=False, help_text="E.g. “City residents (114,000)”.")
    response_models = forms.MultipleChoiceField(
        choices=ResponseModel.choices, widget=Checkboxes, required=False, label="Response models"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    award = forms.ModelChoiceField(
        queryset=Case.objects.none(), required=False, empty_label="Not funded by an award (yet)", label="Funded by"
    )

    def __init__(self, *args, leads: QuerySet[Organization], awards: QuerySet[Case], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        if leads.count() == 1:
            self.fields["lead"].initial = leads.first()
        if awards.exists():
            self.fields["award"].queryset = awards
        else:
            del self.fields["award"]

    def members(self) -> list[tuple[Organization, str]]:
        data = self.cleaned_data
        members = [(organization, "behavioral_health") for organization in data["behavioral_health"]]
        return members + ([(data["government"], "government")] if data["government"] else [])


class AgreementForm(GuardedFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=AgreementKind.choices, label="Kind of agreement")
    title = forms.CharField(max_length=200)
    parties = forms.ModelMultipleChoiceField(queryset=Organization.objects.none(), widget=Checkboxes)
    effective_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    expiry_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), required=False, help_text="Leave empty if it does not expire."
    )
    file = forms.FileField(required=False, label="Signed agreement (PDF or Word)", help_text=NO_HEALTH_DATA)

    def __init__(self, *args, members: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = members


class SignForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=_active(), widget=forms.HiddenInput)
    signed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False, label="Signed on")


class AssessmentStartForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=_active(), widget=forms.HiddenInput)


class AssessmentForm(forms.Form):
    """One radio group and one note per checklist item, named after the item's id."""

    def __init__(self, *args, answers, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in answers:
            answer = forms.ChoiceField(
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.answer,
                label=row.item.text,
            )
            note = forms.CharField(required=False, max_length=2000, initial=row.note, label="Note")
            answer.disabled = note.disabled = locked
            self.fields[f"answer_{row.item_id}"] = answer
            self.fields[f"note_{row.item_id}"] = note
            self.rows.append((row, self[f"answer_{row.item_id}"], self[f"note_{row.item_id}"]))

    def answers(self) -> dict[int, dict]:
        return {
            row.item_id: {
                "answer": self.cleaned_data[f"answer_{row.item_id}"],
                "note": self.cleaned_data[f"note_{row.item_id}"],
            }
            for row, _, _ in self.rows
        }


class GapForm(forms.Form):
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False, label="Due (optional)")


class TARequestForm(GuardedFormMixin, forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Requesting organization")
    topic = forms.ChoiceField(choices=TATopic.choices)
    preferred_delivery = forms.ChoiceField(choices=DeliveryType.choices, label="Preferred delivery")
    preferred_site = forms.ModelChoiceField(
        queryset=_active(is_learning_site=True),
        required=False,
        empty_label="Any Learning Site",
        label="Preferred Learning Site",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="What you want to achieve and by when. Do not include client names or health information.",
    )

    def __init__(self, *args, requesters: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = requesters
        if requesters.count() == 1:
            self.fields["organization"].initial = requesters.first()


class MatchForm(GuardedFormMixin, forms.Form):
    site = forms.ModelChoiceField(queryset=_active(is_learning_site=True), label="Learning Site")
    comment = forms.CharField(required=False, max_length=2000)


class ScheduleForm(GuardedFormMixin, forms.Form):
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    comment = forms.CharField(required=False, max_length=2000)


class DeliveryForm(GuardedFormMixin, forms.Form):
    delivered_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Delivered on")
    delivery_type = forms.ChoiceField(choices=DeliveryType.choices, label="Type")
    attendees = forms.IntegerField(required=False, help_text="Required for trainings and webinars.")
    hours = forms.DecimalField(max_digits=5, decimal_places=1)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class LearningSiteProfileForm(GuardedFormMixin, forms.Form):
    response_models = forms.MultipleChoiceField(choices=ResponseModel.choices, widget=Checkboxes, required=False)
    topics = forms.MultipleChoiceField(
        choices=TATopic.choices, widget=Checkboxes, required=False, label="Topics we can help with"
    )
    capacity_per_quarter = forms.IntegerField(
        label="Capacity per quarter", help_text="TA engagements (consultations, visits, trainings) per quarter."
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
    contact_name = forms.CharField(label="Contact person", required=False, max_length=200)
    contact_email = forms.EmailField(label="Contact email", required=False)
    contact_phone = forms.CharField(label="Contact phone", required=False, max_length=40)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class AgreementTitleForm(GuardedFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)


class AssessmentNoteForm(GuardedFormMixin, forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your organization's practice, never a client. Leave it empty to remove the note.",
    )
