"""The calendar address is shown whole, selectable without JavaScript, with a copy button (issue #16)."""

import re
from html import unescape

from django.test import Client


def test_a_new_calendar_address_is_readable_whole_and_has_a_copy_button(member):
    client = Client()
    client.force_login(member)
    response = client.post("/calendar/", {"name": "Work calendar"})
    page = response.content.decode()
    address = re.search(r'<textarea[^>]*id="new-feed-url"[^>]*readonly>([^<]+)</textarea>', page)
    assert address and unescape(address.group(1)).startswith("http://testserver/calendar/")
    assert 'data-copy-target="new-feed-url"' in page
    assert re.search(r'<script src="/static/js/copy\.js" defer>', page)
