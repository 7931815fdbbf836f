"""Forms of the award pages. They only parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from accounts.models import Organization
from config.phi import GuardedFormMixin
from grants.awards.services.award import GRANTEE_ROLES
from grants.awards.services.modifications import BUDGET_CATEGORIES
from grants.forms import DATE, SHORT_TEXT
from grants.models import ModificationKind

BUDGET_CHOICES = [("", "—")] + [(name, name.replace("_", " ").capitalize()) for name in BUDGET_CATEGORIES]


class DeclineForm(GuardedFormMixin, forms.Form):
    reason = forms.CharField(label="Why the award is declined", widget=SHORT_TEXT, max_length=2000)
    confirm = forms.BooleanField(label="I understand that declining is final", required=False)


class ReportTextForm(GuardedFormMixin, forms.Form):
    text = forms.CharField(label="Report", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class CommentForm(GuardedFormMixin, forms.Form):
    comment = forms.CharField(label="Comment", widget=SHORT_TEXT, max_length=5000, required=False)


class ModificationForm(GuardedFormMixin, forms.Form):
    prefix = "modification"
    kind = forms.ChoiceField(label="Kind of modification", choices=ModificationKind.choices)
    description = forms.CharField(label="What changes and why", widget=SHORT_TEXT, max_length=5000)
    new_end = forms.DateField(label="New end date (no-cost extension)", widget=DATE, required=False)
    move_from = forms.ChoiceField(label="Move from (budget change)", choices=BUDGET_CHOICES, required=False)
    move_to = forms.ChoiceField(label="Move to (budget change)", choices=BUDGET_CHOICES, required=False)
    move_amount = forms.DecimalField(label="Amount moved ($)", min_value=0, decimal_places=2, required=False)
    partner_leaving = forms.ModelChoiceField(
        label="Partner that leaves the award (scope change)",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="None",
        help_text="It stays on the award until BJA approves the modification; then its staff lose access at once.",
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        if partners.exists():
            self.fields["partner_leaving"].queryset = partners
        else:  # An award without partners: nothing to choose.
            del self.fields["partner_leaving"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        moves = []
        if data["move_from"] or data["move_to"] or data["move_amount"]:
            moves = [{"from": data["move_from"], "to": data["move_to"], "amount": data["move_amount"]}]
        fields = {"kind": data["kind"], "description": data["description"], "new_end": data["new_end"], "moves": moves}
        return fields | {"partner_leaving": data.get("partner_leaving")}


class MatchForm(GuardedFormMixin, forms.Form):
    prefix = "match"
    year = forms.IntegerField(label="Project year", min_value=0)
    amount = forms.DecimalField(label="Match spent ($)", decimal_places=2)
    note = forms.CharField(label="Note", max_length=300, required=False)


class PlanningSpendingForm(GuardedFormMixin, forms.Form):
    prefix = "planning"
    amount = forms.DecimalField(label="Planning spending ($)", decimal_places=2)
    description = forms.CharField(label="What it paid for", max_length=300, required=False)


class AwardRolesForm(forms.Form):
    """The grantee roles, each held by an admin or member of the lead agency (the service checks it again)."""

    prefix = "roles"

    def __init__(self, *args, members, award=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in GRANTEE_ROLES.items():
            required = field in ("authorized_representative", "award_administrator")
            self.fields[field] = forms.ModelChoiceField(
                queryset=members,
                label=label[:1].upper() + label[1:],
                required=required,
                empty_label="Not assigned" if not required else "---------",
                initial=getattr(award, f"{field}_id", None) if award else None,
            )
