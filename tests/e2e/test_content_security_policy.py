"""The production Content-Security-Policy in a real browser: the pages and Swagger UI work under it and break none
of its rules (Chromium reports each blocked script, style or image as a `securitypolicyviolation` event)."""

from __future__ import annotations

import pytest

from accounts.services import membership_invite
from tests.e2e.test_login import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def enforced(settings, page):
    """The policy production enforces (the test settings, like DJANGO_DEBUG, only report it)."""
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.cspViolations")


def test_pages_break_no_rule_of_the_policy(enforced, admin, organization, outsider):
    page = enforced
    invitation = membership_invite(actor=admin, organization=organization, email=outsider.email, role="member")
    response = page.goto("/accounts/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert violations(page) == []

    sign_in(page, outsider.email, TEST_PASSWORD)
    assert violations(page) == []
    page.goto(f"/invitations/{invitation.id}/")
    assert violations(page) == []
    page.goto(f"/organizations/{organization.id}/members/")
    assert violations(page) == []


def test_swagger_ui_runs_under_the_policy(enforced, member):
    page = enforced
    sign_in(page, member.email, TEST_PASSWORD)

    response = page.goto("/api/v1/docs/")

    policy = response.headers["content-security-policy"]
    assert "img-src 'self' data:" in policy and "unsafe" not in policy, policy
    assert "JMHCP Workflow API" in page.locator(".swagger-ui .information-container .title").inner_text()
    page.locator(".opblock-tag").first.wait_for()  # The schema loaded and Swagger UI drew its operations.
    assert violations(page) == []
