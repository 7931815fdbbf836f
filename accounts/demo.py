"""Demo organizations and one account per role, all with one documented password.

Used by ``manage.py load_demo`` (and so by ``make run`` on an empty database).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Membership, Organization, OrganizationKind, Role, User

DEMO_PASSWORD = "jmhcp-demo-2026"
DEMO_DOMAIN = "demo.jmhcp.example"


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    name: str
    kind: str
    state: str
    jurisdiction: str
    time_zone: str
    is_learning_site: bool = False


@dataclass(frozen=True)
class DemoUser:
    local_part: str
    full_name: str
    organization: str
    role: str
    description: str
    is_staff: bool = False

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


ORGANIZATIONS = [
    DemoOrganization("pd", "Springfield Police Department", OrganizationKind.LAW_ENFORCEMENT, "IL",
                     "City of Springfield", "America/Chicago"),
    DemoOrganization("so", "Madison County Sheriff's Office", OrganizationKind.LAW_ENFORCEMENT, "TN",
                     "Madison County", "America/Chicago", is_learning_site=True),
    DemoOrganization("county", "Sangamon County Board", OrganizationKind.GOVERNMENT, "IL",
                     "Sangamon County", "America/Chicago"),
    DemoOrganization("bh", "Prairie Behavioral Health Center", OrganizationKind.BEHAVIORAL_HEALTH, "IL",
                     "Sangamon County", "America/Chicago"),
    DemoOrganization("bja", "Bureau of Justice Assistance", OrganizationKind.FEDERAL, "DC",
                     "United States", "America/New_York"),
    *[
        DemoOrganization(key, name, OrganizationKind.LAW_ENFORCEMENT, state, jurisdiction, zone, is_learning_site=True)
        for key, name, state, jurisdiction, zone in (
            ("houston", "Houston Police Department", "TX", "City of Houston", "America/Chicago"),
            ("lapd", "Los Angeles Police Department", "CA", "City of Los Angeles", "America/Los_Angeles"),
            ("madison", "Madison Police Department", "WI", "City of Madison", "America/Chicago"),
            ("portland", "Portland Police Department", "ME", "City of Portland", "America/New_York"),
            ("slc", "Salt Lake City Police Department", "UT", "Salt Lake City", "America/Denver"),
            ("ufpd", "University of Florida Police Department", "FL", "University of Florida", "America/New_York"),
            ("arlington", "Arlington Police Department", "MA", "Town of Arlington", "America/New_York"),
            ("tucson", "Tucson Police Department", "AZ", "City of Tucson", "America/Phoenix"),
            ("ohio", "Gallia, Jackson and Meigs Counties Sheriffs' Offices with Hopewell Health Centers", "OH",
             "Gallia, Jackson and Meigs Counties", "America/New_York"),
        )
    ],
]  # fmt: skip
# BJA's ten Law Enforcement–Mental Health Learning Sites (2018 fact sheet): six named in 2010, four in 2018.
LEARNING_SITES = [spec for spec in ORGANIZATIONS if spec.is_learning_site]

USERS = [
    DemoUser("police.admin", "Dana Whitfield", "pd", Role.ADMIN, "Police department grant coordinator (admin)"),
    DemoUser("police.member", "Marcus Lee", "pd", Role.MEMBER, "CIT coordinator, police department (member)"),
    DemoUser("police.viewer", "Joan Ortiz", "pd", Role.VIEWER, "Deputy chief, read-only (viewer)"),
    DemoUser("sheriff.ta", "Ray Holloway", "so", Role.ADMIN, "Learning Site TA coordinator, sheriff's office"),
    DemoUser("county.admin", "Priya Natarajan", "county", Role.ADMIN, "County policymaker (admin)"),
    DemoUser("bh.admin", "Alicia Romero", "bh", Role.ADMIN, "Behavioral health partner director (admin)"),
    DemoUser("bh.member", "Sam Okafor", "bh", Role.MEMBER, "Behavioral health clinician lead (member)"),
    DemoUser("bja.manager", "Helen Brooks", "bja", Role.GRANT_MANAGER, "BJA grant manager"),
    DemoUser("bja.reviewer1", "Victor Chen", "bja", Role.PEER_REVIEWER, "BJA peer reviewer"),
    DemoUser("bja.reviewer2", "Grace Adeyemi", "bja", Role.PEER_REVIEWER, "BJA peer reviewer"),
    DemoUser("staff", "Site Staff", "bja", Role.VIEWER, "Site staff: Django admin at /admin/", is_staff=True),
]


def demo_is_loaded() -> bool:
    return User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists()


@transaction.atomic
def demo_load() -> int:
    """Create what is missing; leave what exists alone. Returns how many rows were created."""
    created = 0
    organizations = {}
    for spec in ORGANIZATIONS:
        organization, made = Organization.objects.get_or_create(
            name=spec.name,
            state=spec.state,
            defaults={
                "kind": spec.kind,
                "jurisdiction": spec.jurisdiction,
                "time_zone": spec.time_zone,
                "is_learning_site": spec.is_learning_site,
            },
        )
        organizations[spec.key] = organization
        created += made
    for spec in USERS:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User.objects.create_user(
                spec.email, DEMO_PASSWORD, full_name=spec.full_name, is_staff=spec.is_staff,
                is_superuser=spec.is_staff, time_zone=organizations[spec.organization].time_zone,
            )  # fmt: skip
            created += 1
        _, made = Membership.objects.get_or_create(
            user=user, organization=organizations[spec.organization], defaults={"role": spec.role}
        )
        created += made
    return created
