"""The notification centre, reminder preferences, unsubscribe links and calendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.security_log import export_record
from config.errors import NotFound, ServiceError
from config.forms import apply_error
from config.paging import page_context
from reminders import calendar, selectors
from reminders.emails import kind_label, unsubscribe_read
from reminders.forms import CalendarFeedForm, PreferenceForm
from reminders.models import Channel
from reminders.services import inbox as services

PER_PAGE = 25


@require_safe
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notification_list_for_user(user=request.user)
    unread = request.GET.get("show") == "unread"
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    context = {"unread_only": unread, "unread_total": selectors.notification_unread_count(user=request.user)}
    context |= page_context(request, notifications, PER_PAGE)
    return render(request, "reminders/notification_list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; with ``open=1`` go on to the item it is about (the link in the list)."""
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFound:
        raise Http404 from None
    if request.POST.get("open") == "1" and notification.url:
        return redirect(notification.url)
    return redirect(request.POST.get("next") or reverse("notification-list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notification-list")


def _preference_initial(user) -> dict:
    preference = selectors.preference_for_user(user=user)
    from django.conf import settings

    days = preference.days_before if preference.days_before is not None else settings.REMINDER_DAYS_BEFORE
    initial = {
        "days_before": days,
        "on_due_day": preference.on_due_day,
        "overdue": preference.overdue,
        "quiet_days": preference.quiet_days,
    }
    for kind in services.notification_kinds():
        initial[f"channel_{kind}"] = (preference.channels or {}).get(kind, Channel.EMAIL)
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    kinds = services.notification_kinds()
    form = PreferenceForm(request.POST or None, kinds=kinds, initial=_preference_initial(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(user=request.user, **form.service_fields())
        except ServiceError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Your reminder preferences were saved.")
            return redirect("notification-preferences")
    status = 400 if request.method == "POST" else 200
    channel_fields = [form[f"channel_{kind}"] for kind in kinds]
    return render(
        request, "reminders/preferences.html", {"form": form, "channel_fields": channel_fields}, status=status
    )


@csrf_exempt  # The signed token is the credential; RFC 8058 one-click unsubscribe POSTs without a CSRF token.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Works without signing in. GET asks (link scanners must not unsubscribe anyone); POST does it."""
    found = unsubscribe_read(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    context = {"kind_label": kind_label(found[1]), "token": token, "done": False}
    if request.method == "POST":
        try:
            services.notification_unsubscribe(token=token)
        except NotFound:
            raise Http404 from None
        context["done"] = True
    return render(request, "reminders/unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    """List, and make, the user's secret calendar URLs. A new URL is shown once, on the page after making it."""
    form = CalendarFeedForm(request.POST or None)
    new_url = None
    if request.method == "POST" and form.is_valid():
        _feed, token = calendar.calendar_feed_create(user=request.user, name=form.cleaned_data["name"])
        new_url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
        form = CalendarFeedForm()
    context = {"form": form, "feeds": calendar.calendar_feed_list(user=request.user), "new_url": new_url}
    return render(request, "reminders/calendar_feeds.html", context, status=201 if new_url else 200)


@login_required
@require_POST
def calendar_feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    try:
        feed = calendar.calendar_feed_revoke(user=request.user, feed_id=feed_id)
    except NotFound:
        raise Http404("Not found.") from None
    messages.success(request, f"The calendar URL “{feed}” no longer works.")
    return redirect("calendar-feeds")


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no sign-in (calendar apps cannot), the secret in the URL is the key. Revoked: 404."""
    feed = calendar.calendar_feed_for_token(token=token)
    if feed is None:
        raise Http404("No such calendar.")
    calendar.calendar_feed_used(feed=feed)
    export_record(actor=feed.user, export="calendar_feed", feed=feed.pk)
    with timezone.override(feed.user.time_zone):
        deadlines = calendar.deadline_list_for_feed(user=feed.user)
        body = calendar.calendar_render(deadlines=deadlines, name=f"JMHCP deadlines ({feed.user})")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jmhcp-deadlines.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
