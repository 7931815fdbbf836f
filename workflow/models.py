"""The Case and everything that hangs off it: participants, events, grants, checklists, documents.

Every thing that moves through stages (an application, an award, a partnership,
a TA request) is one ``Case`` row; the domain model links to it one-to-one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Organization
from workflow.access import CaseQuerySet


class ParticipantRole(models.TextChoices):
    LEAD = "lead", "Lead applicant"
    CO_APPLICANT = "co_applicant", "Co-applicant"
    PARTNER = "partner", "Partner"
    REVIEWER = "reviewer", "Reviewing agency (BJA)"


class Case(models.Model):
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    stage = models.CharField(max_length=40)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="owned_cases", help_text="The owning (lead) organization."
    )
    participants = models.ManyToManyField(Organization, through="Participant", related_name="cases")
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every transition; clients send it back.")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        permissions = [
            ("review_case", "Review the case (score, approve milestones and reports)"),
            ("manage_case", "Manage the case (participants, grants)"),
        ]
        indexes = [
            models.Index(fields=["kind", "stage"], name="case_kind_stage_idx"),
            models.Index(fields=["organization", "kind"], name="case_org_kind_idx"),
            # The lists' order: "newest 50 of a grant manager's 13,000 cases" walks it (workflow/access.py).
            models.Index(fields=["-opened_at", "-id"], name="case_opened_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The case's page: its domain app's when the machine names one, else the generic case page."""
        from django.urls import reverse

        machine = self.machine
        return machine.page_url(self) if machine.page_url else reverse("case-detail", args=[self.pk])

    @property
    def machine(self):
        from workflow.machines import registry

        return registry.get(self.kind)

    @property
    def stage_label(self) -> str:
        return self.machine.stage(self.stage).label


class Participant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "organization"], name="participant_unique_org")]
        # The access filter starts from the user's organizations: (organization, case) drives it.
        indexes = [models.Index(fields=["organization", "role", "case"], name="participant_org_case_idx")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()}) in {self.case}"


class CaseUserPermission(UserObjectPermissionBase):
    """django-guardian per-object grant on a case (peer reviewer, consultant, delegate): a direct FK, not generic."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission", "content_object"], name="case_userperm_user_idx")]


class CaseGroupPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "permission", "content_object"], name="case_groupperm_group_idx")]


class Reach(models.Model):
    """Which cases each user reaches, and with which actions: the access rule, materialised.

    A row exists when the user may view the case (every right includes viewing); its flags say what more. It is
    derived from participants, memberships, organizations, the rights table and the per-object grants, and only
    database triggers write it, in the transaction of the change that moves it (``workflow.access``, which alone
    reads and writes it; docs/workflow.md "Who may see a case"). ``opened_at`` is the case's, so a list of the
    user's cases, newest first, walks one index.
    """

    pk = models.CompositePrimaryKey("user_id", "case_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.DO_NOTHING, db_constraint=False, related_name="reach")
    opened_at = models.DateTimeField()
    edit = models.BooleanField(default=False)
    review = models.BooleanField(default=False)
    manage = models.BooleanField(default=False)
    score = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-opened_at", "-case"], name="reach_user_opened_idx"),
            models.Index(fields=["case"], name="reach_case_idx"),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} reaches case {self.case_id}"


class AppendOnlyError(Exception):
    pass


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Events are append-only.")

    def delete(self):
        raise AppendOnlyError("Events are append-only.")


class Audience(models.TextChoices):
    ALL = "all", "Everyone on the case"
    REVIEWERS = "reviewers", "Reviewers and BJA only"


class Event(models.Model):
    """One line of a case's history. Append-only here and, on PostgreSQL, by a trigger.

    Most events are read by everyone on the case; some (who reviews an application) only by
    those with the review right, so peer reviewers stay anonymous to applicants.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    # PROTECT, not SET_NULL: nulling the actor would be an UPDATE, which the log refuses. Users are deactivated.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=60)
    data = models.JSONField(default=dict, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ALL, db_default=Audience.ALL)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="event_case_time_idx")]

    def __str__(self) -> str:
        return f"{self.verb} on {self.case_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Events are append-only.")


class ChecklistTemplate(models.Model):
    """A versioned checklist. Revising it makes a new version; running cases keep theirs."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=60, blank=True, help_text="Who answers it, e.g. law_enforcement.")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="checklist_template_key_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    due_offset_days = models.IntegerField(null=True, blank=True, help_text="Days after the start date it is due.")
    needs_bja_approval = models.BooleanField(default=False)
    joint = models.BooleanField(default=False, help_text="Every partner organization must sign off.")
    tags = models.JSONField(default=list, blank=True, help_text="E.g. the essential elements it serves.")

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="checklist_item_order")]

    def __str__(self) -> str:
        return self.text


class MilestoneStatus(models.TextChoices):
    OPEN = "open", "Open"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class Milestone(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    template = models.ForeignKey(ChecklistTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    needs_bja_approval = models.BooleanField(default=False)
    joint = models.BooleanField(default=False)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.OPEN)
    note = models.TextField(blank=True, help_text="Evidence: what was done.")
    reviewer_comment = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "order", "id"]
        indexes = [
            models.Index(fields=["case", "template", "status"], name="milestone_case_template_idx"),
            models.Index(fields=["due_date", "status"], name="milestone_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(decided_by__isnull=False),
                name="milestone_approved_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MilestoneSignoff(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="signoffs")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["milestone", "organization"], name="signoff_once_per_org")]

    def __str__(self) -> str:
        return f"{self.organization} signed {self.milestone}"


class Visibility(models.TextChoices):
    ALL = "all", "All participants"
    ORGANIZATION = "organization", "My organization only"
    ORGANIZATION_AND_BJA = "organization_bja", "My organization and BJA"


def _document_path(instance: Document, filename: str) -> str:
    # Never the user's file name: a random one, grouped by case.
    return f"documents/{instance.case_id}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        """Documents of cases the user sees, narrowed by each document's visibility."""
        from workflow.access import case_access

        return self.filter(case_access(user, "view", case_field="case_id")).readable_by(user)

    def readable_by(self, user) -> DocumentQuerySet:
        """Only the narrowing by each document's visibility: the case rule must come with it (``visible_to``, or
        ``workflow.viewsets.CaseScopedViewSet``, which adds it)."""
        from workflow.access import user_organization_ids

        if user.is_staff:
            return self.all()
        organizations = user_organization_ids(user)
        federal = user_organization_ids(user, kind="federal")
        # A withdrawn (or replaced) document is kept for the record; only site staff still read it.
        return (
            self.filter(withdrawn_at__isnull=True)
            .filter(
                Q(visibility=Visibility.ALL)
                | Q(organization__in=organizations)
                | Q(visibility=Visibility.ORGANIZATION_AND_BJA, case__participations__organization__in=federal)
            )
            .distinct()
        )


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=40, default="other")
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.ALL)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Withdrawn or replaced by a new version: kept for the record, out of every list and download but site staff's.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces")
    # Redacted by site staff: the bytes and the name are gone; the row says who did it and when.
    redacted_at = models.DateTimeField(null=True, blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="document_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_by__isnull=False),
                name="document_withdrawn_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
