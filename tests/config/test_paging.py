"""Server-rendered lists count at most config.paging.CAP rows ("1000+ tasks") instead of every row."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.models import Organization
from config import paging
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_organizations(db):
    return [factories.OrganizationFactory(name=f"Org {n}") for n in range(5)]


def test_count_stops_at_the_cap_and_says_so(five_organizations, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(paging.CappedPaginator, "cap", 3)
    paginator = paging.CappedPaginator(Organization.objects.order_by("name"), 2)
    with django_assert_num_queries(1) as queries:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    assert "LIMIT 4" in queries.captured_queries[0]["sql"]
    assert [o.name for o in paginator.page(2).object_list] == ["Org 2"]
    assert not paginator.page(2).has_next()


def test_under_the_cap_the_count_is_exact(five_organizations):
    paginator = paging.CappedPaginator(Organization.objects.order_by("name"), 2)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)


def test_page_context_falls_back_to_a_valid_page(five_organizations):
    request = RequestFactory().get("/?page=99")
    context = paging.page_context(request, Organization.objects.order_by("name"), 2)
    assert context["page"].number == 3
    assert list(context["page_range"]) == [1, 2, 3]
