"""Forms of the grants pages. They only parse input; the services decide what is allowed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from accounts.models import TIME_ZONE_CHOICES, Membership, Organization, Role
from config.phi import GuardedFormMixin
from grants.models import Category, DocumentKind, Program
from grants.rules import CO_APPLICANT_KINDS, LEAD_KIND_CHOICES, accepted_type_names
from grants.services.solicitations import PUBLISHED_EDITABLE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


def wall_clock(data: dict) -> dict:
    """The browser sends wall-clock time and Django made it aware in the reader's zone; the service reads it
    in the solicitation's zone instead, so the deadlines go back naive."""
    for name in ("grants_gov_deadline", "justgrants_deadline"):
        if data.get(name):
            data[name] = timezone.make_naive(data[name])
    return data


class SolicitationForm(GuardedFormMixin, forms.Form):
    program = forms.ChoiceField(choices=Program.choices)
    fiscal_year = forms.IntegerField(min_value=2000, max_value=2100)
    number = forms.CharField(label="Solicitation number", max_length=40, help_text="E.g. O-BJA-2027-172345.")
    title = forms.CharField(max_length=200)
    summary = forms.CharField(required=False, widget=SHORT_TEXT)
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES, initial="America/New_York", help_text="Deadlines are stated in this time zone."
    )
    grants_gov_deadline = forms.DateTimeField(
        label="Grants.gov deadline (SF-424, SF-LLL)", widget=DATETIME, help_text="Date and time, to the second."
    )
    justgrants_deadline = forms.DateTimeField(label="JustGrants deadline (full application)", widget=DATETIME)
    earliest_project_start = forms.DateField(required=False, widget=DATE)
    eligible_lead_kinds = forms.MultipleChoiceField(
        label="Who may lead an application",
        choices=LEAD_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["law_enforcement", "government"],
    )
    required_document_kinds = forms.MultipleChoiceField(
        choices=[c for c in DocumentKind.choices if c[0] != DocumentKind.OTHER],
        widget=forms.CheckboxSelectMultiple,
        initial=[c for c in DocumentKind.values if c != DocumentKind.OTHER],
    )
    review_period_days = forms.IntegerField(label="Days for a peer review", min_value=1, max_value=90, initial=14)

    def clean(self):
        return wall_clock(super().clean())


class CategoryForm(GuardedFormMixin, forms.Form):
    code = forms.CharField(max_length=20)
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=SHORT_TEXT)
    award_ceiling = forms.DecimalField(max_digits=12, decimal_places=2, min_value=1)
    period_months = forms.IntegerField(label="Period of performance (months)", min_value=1, max_value=120)
    match_schedule = forms.CharField(
        label="Match by project year (%)", required=False, help_text="Percent of each year's total cost: 20, 20, 40."
    )
    planning_required = forms.BooleanField(label="A planning phase is required", required=False)
    planning_cap = forms.DecimalField(label="Planning spending cap", required=False, max_digits=12, decimal_places=2)
    planning_months = forms.IntegerField(label="Planning phase (months)", required=False, min_value=1)

    def clean_match_schedule(self) -> list[int]:
        text = self.cleaned_data["match_schedule"].replace("%", "")
        try:
            return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError("Whole percents separated by commas, e.g. 20, 20, 40.") from None

    @staticmethod
    def initial_for(category: Category) -> dict:
        """The edit page starts from the category as it is (its match schedule written as the field reads it)."""
        names = ("code", "title", "description", "award_ceiling", "period_months", "planning_required")
        initial = {name: getattr(category, name) for name in names}
        return initial | {
            "match_schedule": ", ".join(str(percent) for percent in category.match_schedule),
            "planning_cap": category.planning_cap,
            "planning_months": category.planning_months,
        }


class CriterionForm(GuardedFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=SHORT_TEXT)
    weight = forms.IntegerField(help_text="The criterion is scored from 0 to its weight; weights add up to 100.")


class SolicitationEditForm(SolicitationForm):
    """The solicitation as it is. Once published, only what an amendment may change: wording, deadlines, review
    period (``grants.services.solicitations.PUBLISHED_EDITABLE``); deadlines are wall-clock time in its zone."""

    def __init__(self, *args, solicitation, **kwargs):
        zone = ZoneInfo(solicitation.time_zone)
        initial = {name: getattr(solicitation, name) for name in self.base_fields}
        for name in ("grants_gov_deadline", "justgrants_deadline"):
            initial[name] = timezone.make_naive(getattr(solicitation, name), zone)
        super().__init__(*args, initial=initial, **kwargs)
        if solicitation.is_published:
            for name in [name for name in self.fields if name not in PUBLISHED_EDITABLE]:
                del self.fields[name]
        for name in ("grants_gov_deadline", "justgrants_deadline"):
            self.fields[
                name
            ].help_text = f"Date and time, to the second, in {solicitation.time_zone.replace('_', ' ')} time."


def _working_organizations(user) -> list[Organization]:
    memberships = Membership.objects.active().filter(user=user, role__in=[Role.ADMIN, Role.MEMBER])
    return list(Organization.objects.filter(id__in=memberships.values("organization_id")).order_by("name"))


class StartApplicationForm(GuardedFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label="Lead applicant", queryset=Organization.objects.none())
    category = forms.ModelChoiceField(queryset=Category.objects.none())
    title = forms.CharField(label="Project title", max_length=200)
    co_applicant = forms.ModelChoiceField(
        label="Co-applicant", required=False, queryset=Organization.objects.none(), help_text="You can add more later."
    )

    def __init__(self, *args, solicitation, user, any_organization: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        own = [org.id for org in _working_organizations(user) if org.kind in solicitation.eligible_lead_kinds]
        # A posted form takes any organization, so that the service can say why it may not lead.
        leads = (
            Organization.objects.filter(is_active=True) if any_organization else Organization.objects.filter(id__in=own)
        )
        self.fields["organization"].queryset = leads
        self.fields["category"].queryset = solicitation.categories.all()
        self.fields["co_applicant"].queryset = co_applicant_choices().exclude(id__in=own)

    @property
    def can_lead(self) -> bool:
        return self.fields["organization"].queryset.exists()


def co_applicant_choices():
    return Organization.objects.filter(is_active=True, kind__in=CO_APPLICANT_KINDS).order_by("name")


class DetailsForm(GuardedFormMixin, forms.Form):
    title = forms.CharField(label="Project title", max_length=200)
    category = forms.ModelChoiceField(queryset=Category.objects.none())
    abstract = forms.CharField(label="Project abstract", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    amount_requested = forms.DecimalField(label="Amount requested ($)", required=False, max_digits=12, decimal_places=2)
    project_start = forms.DateField(required=False, widget=DATE)
    project_end = forms.DateField(required=False, widget=DATE)

    def __init__(self, *args, application, **kwargs):
        initial = {
            "title": application.case.title,
            "category": application.category_id,
            "abstract": application.abstract,
            "amount_requested": application.amount_requested,
            "project_start": application.project_start,
            "project_end": application.project_end,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["category"].queryset = application.solicitation.categories.all()
        ceiling = application.category.award_ceiling
        self.fields["amount_requested"].help_text = f"At most ${ceiling:,.2f} in category {application.category.code}."


class BudgetForm(forms.Form):
    """Federal request and committed match for each project year."""

    def __init__(self, *args, years: int, lines: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in range(1, years + 1):
            line = lines.get(year)
            self.fields[f"federal_{year}"] = forms.DecimalField(
                label=f"Year {year}: federal request ($)",
                decimal_places=2,
                max_digits=12,
                min_value=0,
                initial=line.federal_amount if line else None,
            )
            self.fields[f"match_{year}"] = forms.DecimalField(
                label=f"Year {year}: match committed ($)",
                decimal_places=2,
                max_digits=12,
                min_value=0,
                initial=line.match_amount if line else None,
            )

    def lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"year": year, "federal_amount": data[f"federal_{year}"], "match_amount": data[f"match_{year}"]}
            for year in range(1, self.years + 1)
        ]


class CoApplicantForm(forms.Form):
    organization = forms.ModelChoiceField(label="Organization", queryset=Organization.objects.none())

    def __init__(self, *args, exclude=(), any_kind: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Posted forms accept any organization, so that the service can say why a kind is refused.
        choices = Organization.objects.filter(is_active=True) if any_kind else co_applicant_choices()
        self.fields["organization"].queryset = choices.exclude(id__in=exclude)


class UploadForm(GuardedFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Which document", choices=DocumentKind.choices)
    file = forms.FileField(label="File", allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = "; ".join(
            f"{label}: {accepted_type_names(value)}" for value, label in DocumentKind.choices
        )


class SubmitForm(GuardedFormMixin, forms.Form):
    comment = forms.CharField(required=False, max_length=2000)
    expected_version = forms.IntegerField(required=False, min_value=1)


class CompletenessForm(GuardedFormMixin, forms.Form):
    finding = forms.ChoiceField(
        label="Finding",
        choices=[("complete", "Complete: meets the basic minimum requirements"), ("incomplete", "Incomplete")],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="What is missing (one reason per line)",
        required=False,
        widget=SHORT_TEXT,
        help_text="Required when incomplete; the applicant reads them.",
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label="Peer reviewer", queryset=None)
    due_date = forms.DateField(label="Review due", required=False, widget=DATE, help_text="Empty: the usual period.")

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class DeclarationForm(GuardedFormMixin, forms.Form):
    declaration = forms.ChoiceField(
        label="Conflict of interest",
        choices=[
            ("no_conflict", "I have no conflict of interest with the applicants"),
            ("conflict", "I have a conflict of interest and recuse myself"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=SHORT_TEXT)


class ReviewForm(GuardedFormMixin, forms.Form):
    comment = forms.CharField(label="Overall comment", required=False, widget=SHORT_TEXT)

    def __init__(self, *args, criteria, draft: bool = False, **kwargs):
        # A draft may leave anything blank; a submitted review scores and explains every criterion.
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.title}: score (0 to {criterion.weight})",
                decimal_places=2,
                max_digits=5,
                required=not draft,
                widget=forms.NumberInput(attrs={"min": 0, "max": criterion.weight, "step": "0.5"}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.title}: comment",
                # Required by the service (comment_missing), which answers who may not score before any input error.
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Why this score: the applicants read it.",
            )
        self.order_fields([*(f for c in self.criteria for f in (f"score_{c.pk}", f"comment_{c.pk}")), "comment"])

    def scores(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {c.pk: {"score": data[f"score_{c.pk}"], "comment": data[f"comment_{c.pk}"]} for c in self.criteria}

    @staticmethod
    def draft_initial(draft: dict) -> dict:
        """The form's initial values from a saved draft (``ReviewAssignment.draft``)."""
        initial = {"comment": draft.get("comment", "")}
        for key, entry in (draft.get("scores") or {}).items():
            initial[f"score_{key}"] = entry.get("score") or None
            initial[f"comment_{key}"] = entry.get("comment", "")
        return initial


class AwardForm(GuardedFormMixin, forms.Form):
    amount = forms.DecimalField(label="Award amount ($)", max_digits=12, decimal_places=2)
    decided_on = forms.DateField(label="Decision date", required=False, widget=DATE, help_text="Empty: today.")
    conditions = forms.CharField(label="Award conditions", required=False, widget=SHORT_TEXT)


class NotFundedForm(GuardedFormMixin, forms.Form):
    conditions = forms.CharField(label="Reason", required=False, widget=SHORT_TEXT)


class DeadlinesForm(forms.Form):
    """A published solicitation's deadlines may move (BJA extends them); wall-clock time in its time zone."""

    grants_gov_deadline = forms.DateTimeField(label="Grants.gov deadline", widget=DATETIME)
    justgrants_deadline = forms.DateTimeField(label="JustGrants deadline", widget=DATETIME)

    def __init__(self, *args, solicitation, **kwargs):
        zone = ZoneInfo(solicitation.time_zone)
        initial = {
            name: timezone.make_naive(getattr(solicitation, name), zone)
            for name in ("grants_gov_deadline", "justgrants_deadline")
        }
        super().__init__(*args, initial=initial, **kwargs)
        for field in self.fields.values():
            field.help_text = f"In {solicitation.time_zone.replace('_', ' ')} time."

    def clean(self):
        return wall_clock(super().clean())
