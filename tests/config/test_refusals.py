"""The pages refuse in one place: `config.refusals.refusal` renders `templates/refused.html` at the error's status.

A service error raised by a page view reaches it through `RefusalMiddleware`; the views that know the item the
person acted on call it themselves. No app keeps a refusal template or a refusal helper of its own.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import path

from config.errors import Conflict, NotAllowed, NotFound, ServiceError
from config.refusals import refusal
from config.urls import urlpatterns as site_urlpatterns
from tests.helpers import api_client
from workflow.errors import GuardFailed

ERRORS = {
    "not-allowed": (lambda: NotAllowed("Only an administrator of this organization can do this."), 403),
    "not-found": (lambda: NotFound("Case not found."), 404),
    "conflict": (lambda: Conflict("The case changed since you loaded it."), 409),
    "guard-failed": (lambda: GuardFailed(["Every required preparation milestone must be approved."]), 409),
    "invalid": (lambda: ServiceError("The amount must be positive."), 400),
}


def raising_view(request: HttpRequest, kind: str):
    """A page view that lets its service's error escape, as a view with nothing to add would."""
    raise ERRORS[kind][0]()


# This module is also the URLconf of the tests marked below: the site's pages plus the raising view.
urlpatterns = [*site_urlpatterns, path("refusal-test/<str:kind>/", raising_view)]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_refusal_page(response, status: int, message: str, back_url: str, back_label: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response.templates[0].name == "refused.html"
    assert message in page
    assert f'<a class="usa-link" href="{back_url}">Back to {back_label}</a>' in page
    # base.html's landmarks and a single h1: the page is whole without JavaScript.
    assert page.count("<h1") == 1 and '<main id="main-content"' in page and "usa-alert--error" in page
    return page


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("kind", ERRORS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_error_raised_by_a_page_view_renders_the_refusal_page(member, kind, method):
    make, status = ERRORS[kind]
    response = getattr(client_for(member), method)(f"/refusal-test/{kind}/")
    page = assert_refusal_page(response, status, make().message, "/", "your dashboard")
    shown = "Your request was not carried out" if method == "post" else "This page cannot be shown"
    assert shown in page


@pytest.mark.urls(__name__)
def test_each_status_says_what_was_refused(member):
    headings = {
        "not-allowed": "You may not do this",
        "not-found": "This was not found",
        "conflict": "This cannot be done now",
        "invalid": "This was not accepted",
    }
    client = client_for(member)
    for kind, heading in headings.items():
        assert f"<h1>{heading}</h1>" in client.post(f"/refusal-test/{kind}/").content.decode()


def test_the_link_goes_back_to_the_item_but_never_after_not_found(member):
    request = RequestFactory().post("/cases/7/transitions/")
    request.user = member
    back = ("/cases/7/", "Springfield co-responder pilot")

    refused = refusal(request, NotAllowed("Only a BJA reviewer can approve this item."), back=back)
    assert refused.status_code == 403
    assert '<a class="usa-link" href="/cases/7/">Back to Springfield co-responder pilot</a>' in refused.content.decode()

    unseen = refusal(request, NotFound("Case not found."), back=back)
    assert unseen.status_code == 404
    assert "Springfield co-responder pilot" not in unseen.content.decode()
    assert '<a class="usa-link" href="/">Back to your dashboard</a>' in unseen.content.decode()


def test_a_viewer_managing_members_gets_the_refusal_page_back_to_the_members(organization, viewer):
    response = client_for(viewer).post(
        f"/organizations/{organization.id}/members/", {"email": "new@example.org", "role": "member"}
    )
    assert_refusal_page(
        response,
        403,
        "Only an administrator of this organization can manage its members.",
        f"/organizations/{organization.id}/members/",
        f"the members of {organization}",
    )


def test_a_member_handing_over_tasks_gets_the_refusal_page_back_to_the_tasks(organization, member):
    response = client_for(member).post(
        f"/organizations/{organization.id}/tasks/reassign/", {"from_user": member.pk, "to_user": ""}
    )
    assert_refusal_page(
        response,
        403,
        "Only an administrator of this organization",
        f"/organizations/{organization.id}/tasks/",
        f"the tasks of {organization}",
    )


def test_a_viewer_opening_a_partnership_gets_the_refusal_page(viewer):
    response = client_for(viewer).get("/partnerships/new/")
    message = "Only staff (admins and members) of a law enforcement agency can open a partnership."
    assert_refusal_page(response, 403, message, "/", "your dashboard")


def test_api_errors_keep_their_json_shape(organization, viewer):
    response = api_client(viewer).post(
        f"/api/v1/organizations/{organization.id}/members/", {"email": "new@example.org", "role": "member"}
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


# The rest reads the source: one refusal template and one refusal function, in config only.

PROJECT = Path(settings.BASE_DIR)
THE_TEMPLATE = PROJECT / "templates" / "refused.html"
THE_MODULE = PROJECT / "config" / "refusals.py"


def project_apps() -> list[Path]:
    return [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(PROJECT) and ".venv" not in Path(config.path).parts
    ]


def project_modules() -> list[Path]:
    folders = [*project_apps(), PROJECT / "config"]
    return sorted({module for folder in folders for module in folder.rglob("*.py") if "migrations" not in module.parts})


def is_page_module(module: Path) -> bool:
    return module.name in ("pages.py", "views.py") or module.name.startswith("views_") or module.parent.name == "views"


def test_the_project_apps_are_found():
    names = {folder.name for folder in project_apps()}
    assert {"accounts", "workflow", "grants", "partnerships", "tasks"} <= names
    assert any(is_page_module(module) for module in project_modules())


def test_no_app_ships_a_refusal_template_of_its_own():
    own = [
        template
        for folder in [*project_apps(), PROJECT / "templates"]
        for template in folder.rglob("*.html")
        if "refus" in template.name and template != THE_TEMPLATE
    ]
    assert own == [], f"the refusal page is templates/refused.html only: {own}"


def _names(node: ast.AST | None) -> set[str]:
    """The names an `except` clause, a `raise` or a call mentions (`NotAllowed`, `errors.NotFound`, a tuple)."""
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def refusal_problems(source: str, *, where: str, page_module: bool) -> list[str]:
    """What in one module's source renders a refusal besides config.refusals, in the order of the lines."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith("refused.html"):
            problems.append((node.lineno, f"names the template {node.value!r}"))
        if not page_module:
            continue  # Services may refuse (raise); only the pages turn a refusal into a response.
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and re.search("refus", node.name, re.I):
            problems.append((node.lineno, f"defines {node.name}()"))
        if isinstance(node, ast.ExceptHandler):
            caught = _names(node.type) & {"NotAllowed", "NotFound", "REFUSALS"}
            called = {name for call in ast.walk(node) if isinstance(call, ast.Call) for name in _names(call.func)}
            raised = {name for r in ast.walk(node) if isinstance(r, ast.Raise) for name in _names(r.exc)}
            # A refusal goes to config.refusals.refusal; only a lookup's NotFound may still be Django's 404.
            if caught and "refusal" not in called and not (caught == {"NotFound"} and raised == {"Http404"}):
                problems.append((node.lineno, f"handles {sorted(caught)} without config.refusals.refusal"))
    return [f"{where}:{line} {problem}" for line, problem in sorted(problems)]


def test_no_module_renders_a_refusal_of_its_own():
    problems = [
        problem
        for module in project_modules()
        if module != THE_MODULE
        for problem in refusal_problems(
            module.read_text(), where=str(module.relative_to(PROJECT)), page_module=is_page_module(module)
        )
    ]
    assert problems == [], "\n".join(problems)


def test_the_source_check_finds_a_refusal_of_its_own():
    source = """
def refused(request, error):
    return render(request, "partnerships/refused.html", {"message": error.message}, status=403)


def view(request):
    try:
        act()
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except NotFound:
        raise Http404 from None
"""
    problems = refusal_problems(source, where="views.py", page_module=True)
    assert [problem.split(" ", 1)[1] for problem in problems] == [
        "defines refused()",
        "names the template 'partnerships/refused.html'",
        "handles ['NotAllowed'] without config.refusals.refusal",
    ]
