"""The materialised reach cannot drift from the access rule.

``workflow.models.Reach`` is written by database triggers only. Random sequences of changes, made every way the
code or an operator could make them (model saves, ``update()``, bulk deletes, raw SQL, many-to-many changes), are
applied to a small world, and after each change the table must give, for every user and action, exactly the cases
the rule gives when read from its source tables (``workflow.access.case_access_by_rule``).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Membership, MembershipStatus, Organization, OrganizationKind, Role, User
from workflow import access
from workflow.access import ACTIONS, case_access, case_access_by_rule, case_rights
from workflow.models import Case, CaseGroupPermission, CaseUserPermission, Participant, ParticipantRole, Reach

BASE_DIR = Path(__file__).resolve().parents[2]
USERS, ORGANIZATIONS, CASES = 4, 3, 3
CODENAMES = ["view_case", "change_case", "review_case", "manage_case"]

OPERATIONS = st.one_of(
    st.tuples(st.just("participant"), st.integers(0, ORGANIZATIONS - 1), st.integers(0, CASES - 1),
              st.sampled_from(list(ParticipantRole))),
    st.tuples(st.just("participant_delete"), st.integers(0, ORGANIZATIONS - 1), st.integers(0, CASES - 1)),
    st.tuples(st.just("participant_role_sql"), st.integers(0, ORGANIZATIONS - 1), st.integers(0, CASES - 1),
              st.sampled_from(list(ParticipantRole))),
    st.tuples(st.just("case_participants_delete"), st.integers(0, CASES - 1)),
    st.tuples(st.just("membership"), st.integers(0, USERS - 1), st.integers(0, ORGANIZATIONS - 1),
              st.sampled_from(list(Role)), st.booleans()),
    st.tuples(st.just("membership_delete"), st.integers(0, USERS - 1), st.integers(0, ORGANIZATIONS - 1)),
    st.tuples(st.just("memberships_deactivate"), st.integers(0, ORGANIZATIONS - 1)),
    st.tuples(st.just("membership_move"), st.integers(0, USERS - 1), st.integers(0, ORGANIZATIONS - 1)),
    st.tuples(st.just("organization_active"), st.integers(0, ORGANIZATIONS - 1), st.booleans()),
    st.tuples(st.just("grant"), st.integers(0, USERS - 1), st.integers(0, CASES - 1), st.sampled_from(CODENAMES)),
    st.tuples(st.just("revoke"), st.integers(0, USERS - 1), st.integers(0, CASES - 1)),
    st.tuples(st.just("group_grant"), st.integers(0, CASES - 1), st.sampled_from(CODENAMES)),
    st.tuples(st.just("group_revoke"), st.integers(0, CASES - 1)),
    st.tuples(st.just("group_join"), st.integers(0, USERS - 1)),
    st.tuples(st.just("group_leave"), st.integers(0, USERS - 1)),
    st.tuples(st.just("case_reopened"), st.integers(0, CASES - 1)),
)  # fmt: skip


class World:
    """Users, organizations and cases with no access between them yet (rows made directly, no services)."""

    def __init__(self) -> None:
        self.organizations = [
            Organization.objects.create(name=f"Reach org {n}", kind=kind, state="IL", jurisdiction="Springfield")
            for n, kind in enumerate([OrganizationKind.LAW_ENFORCEMENT, OrganizationKind.BEHAVIORAL_HEALTH,
                                      OrganizationKind.FEDERAL])
        ]  # fmt: skip
        self.users = [User.objects.create_user(email=f"reach{n}@example.org", password=None) for n in range(USERS)]
        self.cases = [
            Case.objects.create(kind="partnership", title=f"Reach case {n}", stage="draft",
                                organization=self.organizations[0])
            for n in range(CASES)
        ]  # fmt: skip
        self.group = Group.objects.create(name="Reach consultants")
        self.permissions = {p.codename: p for p in Permission.objects.filter(codename__in=CODENAMES)}

    def apply(self, operation: tuple) -> None:
        name, *arguments = operation
        getattr(self, name)(*arguments)

    # Participants: a save, a delete, raw SQL, a bulk delete.
    def participant(self, organization: int, case: int, role: str) -> None:
        Participant.objects.update_or_create(
            case=self.cases[case], organization=self.organizations[organization], defaults={"role": role}
        )

    def participant_delete(self, organization: int, case: int) -> None:
        Participant.objects.filter(case=self.cases[case], organization=self.organizations[organization]).delete()

    def participant_role_sql(self, organization: int, case: int, role: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Participant._meta.db_table} SET role = %s WHERE case_id = %s AND organization_id = %s",
                [role, self.cases[case].pk, self.organizations[organization].pk],
            )

    def case_participants_delete(self, case: int) -> None:
        Participant.objects.filter(case=self.cases[case]).delete()

    # Memberships: a save, a delete, a bulk update, a move to another organization.
    def membership(self, user: int, organization: int, role: str, active: bool) -> None:
        Membership.objects.update_or_create(
            user=self.users[user],
            organization=self.organizations[organization],
            defaults={"role": role, "is_active": active, "status": MembershipStatus.ACCEPTED},
        )

    def membership_delete(self, user: int, organization: int) -> None:
        Membership.objects.filter(user=self.users[user], organization=self.organizations[organization]).delete()

    def memberships_deactivate(self, organization: int) -> None:
        Membership.objects.filter(organization=self.organizations[organization]).update(is_active=False)

    def membership_move(self, user: int, organization: int) -> None:
        target = self.organizations[organization]
        elsewhere = Membership.objects.filter(user=self.users[user]).exclude(organization=target).first()
        if elsewhere and not Membership.objects.filter(user=self.users[user], organization=target).exists():
            Membership.objects.filter(pk=elsewhere.pk).update(organization=target)

    def organization_active(self, organization: int, active: bool) -> None:
        Organization.objects.filter(pk=self.organizations[organization].pk).update(is_active=active)

    # Grants to a user, to a group, and the group's members.
    def grant(self, user: int, case: int, codename: str) -> None:
        CaseUserPermission.objects.get_or_create(
            user=self.users[user], content_object=self.cases[case], permission=self.permissions[codename]
        )

    def revoke(self, user: int, case: int) -> None:
        CaseUserPermission.objects.filter(user=self.users[user], content_object=self.cases[case]).delete()

    def group_grant(self, case: int, codename: str) -> None:
        CaseGroupPermission.objects.get_or_create(
            group=self.group, content_object=self.cases[case], permission=self.permissions[codename]
        )

    def group_revoke(self, case: int) -> None:
        CaseGroupPermission.objects.filter(group=self.group, content_object=self.cases[case]).delete()

    def group_join(self, user: int) -> None:
        self.users[user].groups.add(self.group)

    def group_leave(self, user: int) -> None:
        User.groups.through.objects.filter(user=self.users[user], group=self.group).delete()

    def case_reopened(self, case: int) -> None:
        Case.objects.filter(pk=self.cases[case].pk).update(opened_at=F("opened_at") + timedelta(days=1))

    def check(self, step: object = None) -> None:
        """The table gives what the rule gives, for every user and action, with each case's opening time."""
        for user in self.users:
            expected = {
                action: set(Case.objects.filter(case_access_by_rule(user, action)).values_list("pk", flat=True))
                for action in ACTIONS
            }
            for action in ACTIONS:
                found = set(Case.objects.filter(case_access(user, action)).values_list("pk", flat=True))
                assert found == expected[action], (step, user.email, action)
            for case in self.cases:
                rights = {action for action in ACTIONS if case.pk in expected[action]}
                assert case_rights(user=user, case=case) == rights, (step, user.email, case.pk)
        opened = dict(Case.objects.values_list("pk", "opened_at"))
        assert all(row.opened_at == opened[row.case_id] for row in Reach.objects.all()), step


def run_random_steps(seed: int, steps: int = 30) -> None:
    """A seeded sequence of changes, checked after each (also run on SQLite, below)."""
    draw = random.Random(seed)
    world = World()
    for step in range(steps):
        operation = _operation(draw)
        world.apply(operation)
        world.check((step, operation))


def _operation(draw: random.Random) -> tuple:
    name = draw.choice([name for name in dir(World) if not name.startswith("_") and name not in ("apply", "check")])
    roles = list(ParticipantRole) if name in ("participant", "participant_role_sql") else list(Role)
    arguments = {
        "participant": lambda: (draw.randrange(ORGANIZATIONS), draw.randrange(CASES), draw.choice(roles)),
        "participant_delete": lambda: (draw.randrange(ORGANIZATIONS), draw.randrange(CASES)),
        "participant_role_sql": lambda: (draw.randrange(ORGANIZATIONS), draw.randrange(CASES), draw.choice(roles)),
        "case_participants_delete": lambda: (draw.randrange(CASES),),
        "membership": lambda: (draw.randrange(USERS), draw.randrange(ORGANIZATIONS), draw.choice(roles),
                               draw.random() < 0.8),
        "membership_delete": lambda: (draw.randrange(USERS), draw.randrange(ORGANIZATIONS)),
        "memberships_deactivate": lambda: (draw.randrange(ORGANIZATIONS),),
        "membership_move": lambda: (draw.randrange(USERS), draw.randrange(ORGANIZATIONS)),
        "organization_active": lambda: (draw.randrange(ORGANIZATIONS), draw.random() < 0.7),
        "grant": lambda: (draw.randrange(USERS), draw.randrange(CASES), draw.choice(CODENAMES)),
        "revoke": lambda: (draw.randrange(USERS), draw.randrange(CASES)),
        "group_grant": lambda: (draw.randrange(CASES), draw.choice(CODENAMES)),
        "group_revoke": lambda: (draw.randrange(CASES),),
        "group_join": lambda: (draw.randrange(USERS),),
        "group_leave": lambda: (draw.randrange(USERS),),
        "case_reopened": lambda: (draw.randrange(CASES),),
    }[name]()  # fmt: skip
    return (name, *arguments)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=25))
def test_reach_follows_the_rule_after_any_changes(operations):
    with transaction.atomic():
        world = World()
        world.check("start")
        for step, operation in enumerate(operations):
            world.apply(operation)
            world.check((step, operation))
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_kind_of_change_is_covered():
    """Each operation the property test draws from moves some reach (none is a no-op by mistake)."""
    world = World()
    world.membership(0, 0, Role.ADMIN, True)
    world.participant(0, 0, ParticipantRole.LEAD)
    assert case_rights(user=world.users[0], case=world.cases[0]) == {"view", "edit", "manage"}
    world.participant_role_sql(0, 0, ParticipantRole.REVIEWER)
    assert case_rights(user=world.users[0], case=world.cases[0]) == {"view"}
    world.organization_active(0, False)
    assert case_rights(user=world.users[0], case=world.cases[0]) == set()
    world.organization_active(0, True)
    world.group_grant(1, "review_case")
    world.group_join(0)
    assert case_rights(user=world.users[0], case=world.cases[1]) == {"view", "score"}
    world.group_leave(0)
    assert case_rights(user=world.users[0], case=world.cases[1]) == set()
    world.check()


@pytest.mark.django_db
def test_a_rule_change_in_the_code_rebuilds_the_table(monkeypatch):
    """The triggers carry the rights of the code: change the rights, and the next migrate derives the rows again."""
    world = World()
    world.membership(0, 1, Role.VIEWER, True)
    world.participant(1, 0, ParticipantRole.PARTNER)
    assert case_rights(user=world.users[0], case=world.cases[0]) == {"view"}
    changed = {
        role: {action: set(holders) for action, holders in table.items()} for role, table in access.RIGHTS.items()
    }
    changed[ParticipantRole.PARTNER]["edit"].add(Role.VIEWER)
    monkeypatch.setattr(access, "RIGHTS", changed)
    assert access.reach_install() is True
    assert case_rights(user=world.users[0], case=world.cases[0]) == {"view", "edit"}
    assert access.reach_install() is False  # Installed and unchanged: nothing to do.
    monkeypatch.undo()
    assert access.reach_install() is True
    assert case_rights(user=world.users[0], case=world.cases[0]) == {"view"}


SQLITE_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import transaction
from tests.workflow.test_reach import run_random_steps
for seed in range(2):
    with transaction.atomic():
        run_random_steps(seed)
        transaction.set_rollback(True)
print("ok")
"""


def test_the_triggers_keep_reach_on_sqlite_too(tmp_path):
    """`make run`'s embedded default is SQLite: the same triggers, in its dialect, keep the same rows."""
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'reach.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
    )
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")
