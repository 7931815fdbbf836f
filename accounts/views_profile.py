"""One's own profile: name and time zone."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone

from accounts import selectors, services
from accounts.forms import ProfileForm
from accounts.models import TIME_ZONE_CHOICES
from config.errors import ServiceError
from config.forms import apply_error
from config.times import moment_text

_ZONE_LABELS = dict(TIME_ZONE_CHOICES)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Name and time zone. The zone is the first organization's until the person picks one here (or by API)."""
    user = request.user
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "time_zone": user.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_profile_update(user=user, **form.cleaned_data)
        except ServiceError as error:
            apply_error(form, error)
        else:
            label = _ZONE_LABELS.get(user.time_zone, user.time_zone)
            messages.success(request, f"Saved. Times are now shown in {label}.")
            return redirect("account-profile")
    first = selectors.user_memberships(user=user).order_by("created_at", "id").first()
    context = {
        "form": form,
        "zone_label": _ZONE_LABELS.get(user.time_zone, user.time_zone),
        "now_text": moment_text(timezone.now(), user.time_zone),
        "first_organization": first.organization if first else None,
        "reminder_hour": dateformat.format(time(settings.REMINDER_HOUR), "g A"),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)
