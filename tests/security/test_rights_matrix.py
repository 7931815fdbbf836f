"""Every id-bearing API operation, as every kind of actor, answers what the rights matrix declares.

The operations come from the OpenAPI schema (every path with a ``{…}`` parameter) and are resolved through the
URL configuration to their view and action; each must declare its right (``action_rights``, see
``workflow.matrix``), or its test fails. The world is the demo (``manage.py load_demo``) plus an application
taken to an accepted award (``tests/security/api_data.py``), built once for the module and rolled back after it.

For each operation one object of the world stands in its path; each actor sends the request (GET for reads, an
empty JSON body for writes) inside a savepoint that is rolled back, so no write changes the world. The actor's
kinds on that object's case are read from the participants and grants and looked up in ``workflow.matrix.ACTORS``
(not in ``workflow.access``), and the answer must be:

- 404 when the actor may not see the object (an outsider, or someone who takes part in another case of the
  world: each actor is "own" on some objects and "foreign" on others),
- 403 when they see it but the declared right is not theirs, before any input is read,
- anything else, never a server error, when it is theirs.
"""

from __future__ import annotations

import functools
import io
import json
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import resolve
from django.utils.module_loading import import_string
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.test import APIClient

from accounts import services as accounts
from accounts.demo import DEMO_DOMAIN
from accounts.models import Membership, Organization, OrganizationKind, Role, User
from partnerships.models import Agreement, Assessment, Partnership, TARequest
from reminders.calendar import calendar_feed_create
from reminders.models import Notification
from tasks.services.task import task_create
from tests.security.api_data import _accepted_award, _organization
from workflow.matrix import (
    ACTOR,
    ACTORS,
    AGENCY_GRANT_MANAGER,
    AGENCY_STAFF,
    LEARNING_SITE_STAFF,
    ORGANIZATION_ADMIN,
    ORGANIZATION_MEMBER,
    OWN,
    SIGNED_IN,
    VIEW,
    Ability,
    declared_right,
    is_case_right,
    transition_rights,
    write_rights,
)
from workflow.models import Case, CaseUserPermission, Document, Milestone, Participant

WRITES = {"post", "put", "patch", "delete"}
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def _schema() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def id_bearing_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation whose path has a parameter, as the schema lists them."""
    return [
        (method, path)
        for path, operations in _schema()["paths"].items()
        if "{" in path
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


OPERATIONS = id_bearing_operations()
_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass
class World:
    users: dict[str, User]
    #: The object in each path, by the path's first segment after /api/v1/ (and the organization for the nested ones).
    objects: dict[str, object]
    media: object = None


def _user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


def _member(email: str, organization: Organization, role: str, **extra) -> User:
    user = User.objects.create_user(email, "not-used-here-1", full_name=email.split("@")[0], **extra)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def _build() -> World:
    award = _accepted_award()
    application = award.application
    pd, bh, bja = _organization("pd"), _organization("bh"), _organization("bja")
    outsiders = Organization.objects.create(
        name="Elsewhere Police", kind=OrganizationKind.LAW_ENFORCEMENT, state="OR", jurisdiction="Elsewhere"
    )
    users = {
        name: _user(name)
        for name in (
            "police.admin", "police.member", "police.viewer", "bh.admin", "bh.member", "county.admin",
            "bja.manager", "bja.reviewer1", "sheriff.ta", "staff",
        )
    }  # fmt: skip
    users["bh.viewer"] = _member(f"bh.viewer@{DEMO_DOMAIN}", bh, Role.VIEWER)
    users["bja.viewer"] = _member(f"bja.viewer@{DEMO_DOMAIN}", bja, Role.VIEWER)
    users["outsider"] = _member("outsider@elsewhere.example", outsiders, Role.ADMIN)
    owner = users["police.member"]
    feed, _ = calendar_feed_create(user=owner, name="Deadlines")
    notification = Notification.objects.create(
        recipient=owner, kind="task_activity", target=f"award:{award.pk}", window="now", case=award.case,
        subject="A report was drafted",
    )  # fmt: skip
    invitation = accounts.membership_invite(
        actor=users["county.admin"], organization=_organization("county"), email=owner.email, role=Role.VIEWER
    )
    task = task_create(
        case=application.case, actor=users["police.admin"], title="Collect letters of support", assignee_organization=pd
    )
    partnership = Partnership.objects.order_by("pk").first()
    objects = {
        "agreements": Agreement.objects.filter(partnership=partnership).order_by("pk").first(),
        "applications": application,
        "assessments": Assessment.objects.filter(partnership=partnership).order_by("pk").first(),
        "award-reports": award.reports.order_by("due_date", "pk").first(),
        "awards": award,
        "calendar-feeds": feed,
        "cases": application.case,
        "documents": Document.objects.filter(case=application.case).order_by("pk").first(),
        "learning-sites": _organization("so"),
        "me": invitation,
        "milestones": Milestone.objects.filter(case=partnership.case).order_by("pk").first(),
        "modifications": award.modifications.order_by("pk").first(),
        "notifications": notification,
        "organizations": pd,
        "members": Membership.objects.get(organization=pd, user=users["police.viewer"]),
        "partnerships": partnership,
        "solicitations": application.solicitation,
        "ta-requests": TARequest.objects.filter(matched_site=_organization("so")).order_by("pk").first(),
        "tasks": task,
    }
    missing = [name for name, row in objects.items() if row is None]
    assert not missing, f"The world lacks {missing}"
    return World(users=users, objects=objects)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = override_settings(MEDIA_ROOT=media, DEBUG=True, PASSWORD_HASHERS=[FAST_HASHER])  # The demo's passwords.
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        built = _build()
        built.media = media
        yield built
        transaction.set_rollback(True)
    actor_kinds_on.cache_clear()


def _target(path: str, world: World):
    """The object that stands in the path, and the path with its ids."""
    segments = path.removeprefix("/api/v1/").split("/")
    if segments[0] == "organizations" and "{organization_pk}" in path:
        organization = world.objects["organizations"]
        row = world.objects["members"] if "{id}" in path else organization
        return row, path.replace("{organization_pk}", str(organization.pk)).replace("{id}", str(row.pk))
    row = world.objects[segments[0]]
    return row, _PARAMETER.sub(str(row.pk), path)


def _case_of(row) -> Case | None:
    for path in ("case", "award.case", "partnership.case"):
        value = row
        for name in path.split("."):
            value = getattr(value, name, None)
        if isinstance(value, Case):
            return value
    return row if isinstance(row, Case) else None


@functools.cache
def actor_kinds_on(user_id: int, case_id: int) -> frozenset[str]:
    return frozenset(actor_kinds(User.objects.get(pk=user_id), Case.objects.get(pk=case_id)))


def actor_kinds(user: User, case: Case) -> set[str]:
    """The matrix's actor kinds this user is on this case: from its participants, their memberships, the grants."""
    kinds = {"site_staff"} if user.is_superuser else set()
    participations = Participant.objects.filter(
        case=case, organization__is_active=True, organization__memberships__user=user,
        organization__memberships__is_active=True,
    ).values_list("role", "organization__memberships__role", "organization__is_learning_site")  # fmt: skip
    for participant, role, learning_site in participations:
        for actor in ACTORS:
            narrowed = not actor.kinds or (case.kind in actor.kinds and learning_site)
            if actor.participant == participant and role in actor.roles and narrowed:
                kinds.add(actor.key)
    codenames = CaseUserPermission.objects.filter(user=user, content_object=case).values_list(
        "permission__codename", flat=True
    )
    kinds |= {actor.key for actor in ACTORS if actor.grant in set(codenames)}
    return kinds


def _holds(right, kinds: set[str], actions: set[str], user: User, case: Case, row) -> bool:
    if isinstance(right, Ability):
        if not (kinds & right.holders()):
            return False
        if right.rule is None:
            return True
        return import_string(right.rule)(user, row if right.on_object else case)
    return right in actions


def expected_for_case(wanted: tuple, method: str, user: User, case: Case, row) -> str:
    kinds = set(actor_kinds_on(user.pk, case.pk))
    actions = set().union(*(ACTOR[kind].actions for kind in kinds)) if kinds else set()
    if VIEW not in actions:
        return "404"
    usable = write_rights(actions) if method in WRITES else actions
    return "ok" if any(_holds(right, kinds, usable, user, case, row) for right in wanted) else "403"


def expected_for_other(right: str, user: User, row, world: World) -> str:
    """What the rights on things that are not cases answer."""
    organization = row if isinstance(row, Organization) else getattr(row, "organization", None)
    member = organization is not None and Membership.objects.filter(
        user=user, organization=organization, is_active=True
    )
    if right == SIGNED_IN:
        return "ok"
    if right == OWN:
        owner = getattr(row, "recipient", None) or getattr(row, "user", None)
        return "ok" if owner == user else "404"
    if right in (ORGANIZATION_MEMBER, ORGANIZATION_ADMIN):
        if not (member and member.exists()) and not user.is_staff:
            return "404"
        if right == ORGANIZATION_MEMBER or user.is_staff:
            return "ok"
        return "ok" if member.filter(role=Role.ADMIN).exists() else "403"
    if right in (AGENCY_GRANT_MANAGER, AGENCY_STAFF):
        agency = Membership.objects.filter(user=user, organization=row.agency, is_active=True)
        if right == AGENCY_GRANT_MANAGER:
            return "ok" if agency.filter(role=Role.GRANT_MANAGER).exists() else "403"
        if agency.exclude(role=Role.PEER_REVIEWER).exists():
            return "ok"
        return "403" if agency.exists() else "404"
    if right == LEARNING_SITE_STAFF:
        # The directory is public, but the profile form is not: who is not of the site is answered 404.
        site = Membership.objects.filter(user=user, organization=row, is_active=True)
        if user.is_staff or site.filter(role__in=[Role.ADMIN, Role.MEMBER]).exists():
            return "ok"
        return "403" if site.exists() else "404"
    raise AssertionError(f"No expectation for {right!r}")


def _answer(status: int) -> str:
    return str(status) if status in (403, 404) else "ok"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS])
def test_operation_answers_as_the_matrix_declares(world, method, path, settings):
    settings.MEDIA_ROOT = world.media  # Where the world's documents are (not this test's own folder).
    row, url = _target(path, world)
    match = resolve(url)
    view_class = getattr(match.func, "cls", None) or match.func.view_class
    action = (getattr(match.func, "actions", None) or {}).get(method)
    wanted = declared_right(view_class, action, method)
    assert wanted is not None, f"{view_class.__name__}.action_rights declares nothing for {action or method}"
    case = _case_of(row) if is_case_right(wanted) else None
    if is_case_right(wanted):
        assert case is not None, f"{path}: a case right on something that is not in a case"
        if action == "transitions" and method == "post":
            wanted = transition_rights(case.kind)
    wrong, expectations = [], set()
    for name, user in world.users.items():
        if case is not None:
            expected = expected_for_case(wanted, method, user, case, row)
        else:
            expected = expected_for_other(wanted[0], user, row, world)
        expectations.add(expected)
        client = APIClient()
        client.force_authenticate(user)  # As an API token does, without its queries: the answer is the view's.
        with transaction.atomic():
            if method == "get":
                response = client.get(url)
            else:
                response = client.generic(method.upper(), url, "{}", content_type="application/json")
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{method.upper()} {url} as {name}: {response.status_code}"
        if _answer(response.status_code) != expected:
            body = getattr(response, "data", None) or response.content[:200]
            wrong.append(f"{name}: expected {expected}, got {response.status_code} {body}")
    # Each operation is tried by someone who may and (unless every signed-in user may) by someone who may not.
    refused = expectations - {"ok"} or wanted == (SIGNED_IN,)
    assert "ok" in expectations and refused, f"{path}: the world has no actor for {expectations}"
    assert not wrong, f"{method.upper()} {path} ({view_class.__name__}.{action}, needs {wanted}):\n" + "\n".join(wrong)


def _api_routes(patterns=None, prefix: str = ""):
    """(route, view class, action or None, method) of every URLconf entry under /api/v1/ with a parameter."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_routes(entry.url_patterns, route)
            continue
        ids = set(entry.pattern.regex.groupindex) - {"format"}  # A format suffix is not an id.
        if not isinstance(entry, URLPattern) or not route.startswith("api/v1/") or not ids:
            continue
        view = entry.callback
        if getattr(view, "actions", None):
            for method, action in view.actions.items():
                if method in view.cls.http_method_names:  # A mixin's method the viewset does not answer.
                    yield route, view.cls, action, method
        elif getattr(view, "view_class", None):
            for method in ("get", "post", "put", "patch", "delete"):
                if hasattr(view.view_class, method):
                    yield route, view.view_class, None, method


def test_every_id_bearing_operation_is_covered():
    """Every id-bearing URLconf entry declares its right, and the schema's operations are all walked above."""
    routes = [(route, method) for route, view_class, action, method in _api_routes() if method != "head"]
    undeclared = [
        f"{method.upper()} {route} ({view_class.__name__}.{action})"
        for route, view_class, action, method in _api_routes()
        if method not in ("head", "options") and declared_right(view_class, action, method) is None
    ]
    print(f"\nrights matrix: {len(OPERATIONS)} id-bearing operations in the schema, {len(routes)} URLconf entries")
    assert not undeclared, "Declare these in action_rights (workflow.matrix):\n" + "\n".join(undeclared)
    in_schema = sum(1 for path, ops in _schema()["paths"].items() if "{" in path for m in ops if m != "parameters")
    assert len(OPERATIONS) >= in_schema > 100
