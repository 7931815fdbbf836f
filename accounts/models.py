from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The zones of the United States and its territories first, most people's first, then every other zone by name.
US_TIME_ZONES = [
    ("America/New_York", "Eastern Time (New York)"),
    ("America/Chicago", "Central Time (Chicago)"),
    ("America/Denver", "Mountain Time (Denver)"),
    ("America/Phoenix", "Mountain Time without daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific Time (Los Angeles)"),
    ("America/Anchorage", "Alaska Time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii Time (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic Time (Puerto Rico)"),
    ("America/St_Thomas", "Atlantic Time (U.S. Virgin Islands)"),
    ("Pacific/Guam", "Chamorro Time (Guam)"),
    ("Pacific/Saipan", "Chamorro Time (Northern Mariana Islands)"),
    ("Pacific/Pago_Pago", "Samoa Time (American Samoa)"),
]
_US_ZONE_NAMES = {name for name, _ in US_TIME_ZONES}
TIME_ZONE_CHOICES = US_TIME_ZONES + sorted(
    (name, name.replace("_", " "))
    for name in zoneinfo.available_timezones()
    if "/" in name and name not in _US_ZONE_NAMES
)
US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
    ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
    ("AS", "American Samoa"), ("GU", "Guam"), ("MP", "Northern Mariana Islands"), ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
]  # fmt: skip


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. One account may belong to several organizations (unlike DOJ's one email per entity)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="America/New_York")
    # Until a person picks a zone (profile page or API), theirs follows their first organization's: it is set
    # when they join one (`membership_accept`). Stored rather than looked up, so a sweep reads no memberships.
    # db_default: the demo and benchmark loaders insert users with raw SQL.
    time_zone_chosen = models.BooleanField(
        default=False, db_default=False, help_text="The person picked their time zone themselves."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the admin site and act as site staff.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganizationKind(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement agency"
    BEHAVIORAL_HEALTH = "behavioral_health", "Behavioral health provider"
    GOVERNMENT = "government", "Government (city, county, state, tribe)"
    FEDERAL = "federal", "Federal (BJA)"
    OTHER = "other", "Other"


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganizationQuerySet:
        """Organizations the user belongs to (all of them for site staff)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(
            id__in=Membership.objects.filter(user=user, is_active=True).values("organization_id"), is_active=True
        )


class Organization(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices)
    state = models.CharField("U.S. state", max_length=2, choices=US_STATES, blank=True)
    jurisdiction = models.CharField(max_length=200, blank=True, help_text="City, county, tribe or state served.")
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="America/New_York")
    is_learning_site = models.BooleanField(
        "Learning Site", default=False, help_text="A BJA Law Enforcement–Mental Health Learning Site."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "state"], name="organization_unique_name_per_state"),
            models.CheckConstraint(
                condition=Q(is_learning_site=False) | Q(kind="law_enforcement"),
                name="organization_learning_site_is_law_enforcement",
                violation_error_message="Only a law enforcement agency can be a Learning Site.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# What an organization is, as opposed to its details: only site staff may set these. The kind decides which
# roles it holds (a federal one has BJA grant managers and peer reviewers, who see every application of their
# program) and the Learning Site designation is BJA's to give. `organization_update` enforces it for the API
# and the pages alike.
STAFF_ONLY_FIELDS = frozenset({"kind", "is_learning_site"})


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"
    GRANT_MANAGER = "grant_manager", "Grant manager (BJA)"
    PEER_REVIEWER = "peer_reviewer", "Peer reviewer (BJA)"


FEDERAL_ONLY_ROLES = frozenset({Role.GRANT_MANAGER, Role.PEER_REVIEWER})


def roles_for_kind(kind: str) -> list[str]:
    """The roles a member of an organization of this kind may hold."""
    return [role for role in Role.values if kind == OrganizationKind.FEDERAL or role not in FEDERAL_ONLY_ROLES]


def validate_role_for_kind(role: str, organization: Organization) -> None:
    if role not in roles_for_kind(organization.kind):
        message = f"“{role}” is not a role in a {organization.get_kind_display()} organization."
        raise ValidationError({"role": ValidationError(message, code="invalid_role")})


class MembershipStatus(models.TextChoices):
    """Where the invitation behind a membership stands.

    Nobody joins an organization without saying yes: membership of an applicant makes a BJA peer reviewer
    conflicted out of its applications, so an admin must not be able to make anyone a member by naming them.
    Only an accepted membership can be active (a constraint says so); a pending, declined or withdrawn one is
    simply not active, so every rule that reads active memberships ignores it.
    """

    PENDING = "pending", "Invitation pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Invitation declined"
    WITHDRAWN = "withdrawn", "Invitation withdrawn"


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True, organization__is_active=True)

    def pending(self) -> MembershipQuerySet:
        """Invitations waiting for their invitee's answer (none from an organization that was since deactivated)."""
        return self.filter(status=MembershipStatus.PENDING, organization__is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    # Rows made before invitations had to be accepted, by site staff in the admin, and by the demo and benchmark
    # loaders (raw SQL, hence db_default) are accepted; membership_invite makes pending ones.
    status = models.CharField(
        max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACCEPTED,
        db_default=MembershipStatus.ACCEPTED,
    )  # fmt: skip
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_organization"),
            models.CheckConstraint(
                condition=Q(is_active=False) | Q(status=MembershipStatus.ACCEPTED),
                name="membership_active_only_when_accepted",
                violation_error_message="A membership is active only once its invitation is accepted.",
            ),
        ]
        indexes = [models.Index(fields=["organization", "role", "is_active"], name="membership_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.organization_id:
            validate_role_for_kind(self.role, self.organization)

    @property
    def is_pending(self) -> bool:
        """Invited, and the invitee has not answered yet."""
        return self.status == MembershipStatus.PENDING


class AppendOnlyError(Exception):
    pass


class SecurityEventKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    MFA_ENROLLED = "mfa_enrolled", "Two-step verification set up"
    MFA_REMOVED = "mfa_removed", "Two-step verification turned off"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    RECOVERY_CODES_CREATED = "recovery_codes_created", "New recovery codes made"
    API_TOKEN_CREATED = "api_token_created", "API token created"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
    MEMBER_ADDED = "member_added", "Member added"
    ROLE_CHANGED = "role_changed", "Role changed"
    MEMBER_REMOVED = "member_removed", "Member removed"
    CASE_ACCESS_GRANTED = "case_access_granted", "Case access granted"
    CASE_ACCESS_REVOKED = "case_access_revoked", "Case access revoked"
    EXPORT = "export", "Data exported"


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The security log is append-only.")

    def delete(self):
        raise AppendOnlyError("The security log is append-only.")


class AppendOnlyLogRow(models.Model):
    """A row of the security log: written once, never changed or deleted (a PostgreSQL trigger refuses it too)."""

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The security log is append-only.")


class SecurityEvent(AppendOnlyLogRow):
    """One line of the security log: who signed in, failed to, changed a factor, a token, a role or a grant.

    Append-only like the case event log: refused by the queryset, by ``save()`` and, on PostgreSQL, by a
    trigger. ``actor`` did it; ``user`` is the account it concerns (the same person for a sign-in, the member
    for a role change); ``email`` is what was typed, kept for failures of addresses that have no account.
    """

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, choices=SecurityEventKind.choices)
    # PROTECT, not SET_NULL: nulling would be an UPDATE, which the log refuses. Users are deactivated.
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="security_events")
    email = models.CharField(max_length=254, blank=True)
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wrote unless a trusted proxy set it.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    organizations = models.ManyToManyField(
        Organization, through="SecurityEventOrganization", related_name="security_events", blank=True
    )

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "kind", "at"], name="security_event_user_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class SecurityEventOrganization(AppendOnlyLogRow):
    """An organization an event concerns: its admins read the event in the organization's security log."""

    event = models.ForeignKey(SecurityEvent, on_delete=models.PROTECT, related_name="organization_links")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="security_event_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "event"], name="security_event_org_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.organization_id}"
