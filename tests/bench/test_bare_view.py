"""The bare comparison view answers without any access check: it must not exist outside `make bench`."""

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve


def test_bench_is_off_by_default():
    assert settings.BENCH_ENABLED is False
    assert "bench" not in settings.INSTALLED_APPS


@pytest.mark.parametrize("url", ["/bench/bare/tasks/", "/bench/drf/tasks/"])
def test_bench_views_are_not_routable_with_default_settings(url):
    with pytest.raises(Resolver404):
        resolve(url)


@pytest.mark.django_db
def test_bare_view_url_answers_404(client):
    assert client.get("/bench/bare/tasks/?user=1").status_code == 404
