"""Forms of the case pages. They only parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from config.phi import GuardedFormMixin
from workflow.machines import registry
from workflow.models import Visibility

# Generic kinds a document on any case may have. A domain page may pass its own list.
DOCUMENT_KINDS = [
    ("other", "Other"),
    ("narrative", "Narrative"),
    ("budget", "Budget"),
    ("agreement", "Agreement (MOU, information sharing)"),
    ("letter", "Letter of support"),
    ("report", "Report"),
    ("evidence", "Evidence for a milestone"),
]


def _stage_choices(kind: str | None) -> list[tuple[str, str]]:
    """Stages of one kind, or of every registered kind (each stage name once)."""
    machines = [machine for machine in registry if not kind or machine.kind == kind]
    seen: dict[str, str] = {}
    for machine in machines:
        for stage in machine.stages:
            seen.setdefault(stage.name, stage.label)
    return list(seen.items())


class CaseFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", required=False)
    stage = forms.ChoiceField(label="Stage", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds"), *registry.kinds()]
        kind = self.data.get("kind") if self.is_bound else None
        self.fields["stage"].choices = [("", "All stages"), *_stage_choices(kind)]


class TransitionForm(GuardedFormMixin, forms.Form):
    name = forms.CharField(max_length=60)
    comment = forms.CharField(required=False, max_length=2000)
    expected_version = forms.IntegerField(required=False, min_value=1)
    confirm = forms.BooleanField(required=False)


class TransitionConfirmForm(GuardedFormMixin, forms.Form):
    """The confirmation page of one transition; the service decides whether the comment and the box are needed."""

    comment = forms.CharField(
        label="Comment", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    confirm = forms.BooleanField(label="I understand, go ahead", required=False)
    expected_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, transition, case, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields["comment"]
        if transition.needs_comment(case):
            comment.label = "Reason (required; everyone on the case will read it)"
            comment.widget.attrs["required"] = True
        else:
            comment.label = "Comment (optional)"
        if transition.confirm:
            self.fields["confirm"].widget.attrs["required"] = True
        else:
            del self.fields["confirm"]


class MilestoneSubmitForm(GuardedFormMixin, forms.Form):
    note = forms.CharField(required=False, max_length=5000)


class MilestoneDecisionForm(GuardedFormMixin, forms.Form):
    # Not required here: the service says "Say what needs to change." when a request for changes has none.
    comment = forms.CharField(required=False, max_length=5000)


class DocumentUploadForm(GuardedFormMixin, forms.Form):
    file = forms.FileField(
        label="File",
        allow_empty_file=True,
        help_text="PDF, Word (DOCX), Excel (XLSX), PNG, JPEG, plain text or CSV.",
    )
    kind = forms.ChoiceField(label="Kind of document", choices=DOCUMENT_KINDS, initial="other")
    visibility = forms.ChoiceField(label="Who may see it", choices=Visibility.choices, initial=Visibility.ALL)
    milestone = forms.TypedChoiceField(label="Evidence for milestone", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, milestones=(), kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = kinds
        self.fields["milestone"].choices = [("", "None"), *((m.pk, m.title) for m in milestones)]


class DocumentChangeForm(GuardedFormMixin, forms.Form):
    """Withdraw a document, or replace it with a new version (a file given)."""

    reason = forms.CharField(
        label="Why",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to withdraw. Everyone who sees the document reads it in the timeline.",
    )
    file = forms.FileField(
        label="New version (to replace it)",
        required=False,
        allow_empty_file=True,
        help_text="Leave empty to withdraw the document without a new version.",
    )


class NoteCorrectionForm(GuardedFormMixin, forms.Form):
    note = forms.CharField(label="Note", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))


class RedactionForm(GuardedFormMixin, forms.Form):
    """Site staff's reason for a redaction: required, and read by everyone on the case in the timeline."""

    reason = forms.CharField(
        label="Why it is redacted",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone on the case reads it in the timeline: say why without repeating what is removed.",
    )
