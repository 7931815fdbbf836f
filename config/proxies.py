"""The address a request comes from, when reverse proxies may stand in front (docs/security.md).

X-Forwarded-For is a list anyone can start: a client sends whatever it likes and each proxy on the way appends
the address it saw. Reading its first entry (or, as DRF does by default, the whole header) lets a client pick
a new address per request and walk past every per-address limit. So the header is read only

1. when ``TRUSTED_PROXY_COUNT`` proxies are declared (0, the default, means none: the client is REMOTE_ADDR),
2. when the request came from one of ``FORWARDED_ALLOW_IPS`` (a proxy, not a client that reached gunicorn
   directly), and then
3. for the entry the outermost trusted proxy appended: ``TRUSTED_PROXY_COUNT`` from the right, as DRF's
   ``NUM_PROXIES`` counts.

The token throttle and django-axes' login lockout (``AXES_CLIENT_IP_CALLABLE``) both use ``client_ip``, so a
person is counted under one address everywhere.
"""

from __future__ import annotations

from ipaddress import ip_address, ip_network

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle


def _from_trusted_proxy(address: str | None) -> bool:
    allowed = settings.FORWARDED_ALLOW_IPS
    if "*" in allowed:
        return True
    try:
        peer = ip_address(address or "")
    except ValueError:
        return False
    return any(peer in ip_network(network, strict=False) for network in allowed)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the one the outermost trusted proxy saw."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1 or not forwarded.strip() or not _from_trusted_proxy(remote):
        return remote
    addresses = [address.strip() for address in forwarded.split(",")]
    return addresses[-min(count, len(addresses))] or remote


class ClientRateThrottle(ScopedRateThrottle):
    """DRF's scoped rate limit, counted per ``client_ip`` (DRF's own ident trusts X-Forwarded-For by default)."""

    def get_ident(self, request) -> str | None:
        return client_ip(request)
