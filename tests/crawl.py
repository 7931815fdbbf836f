"""The crawler's eyes: what a page shows (links, POST forms, ids, labels, visible text) and the checks on it.

Used by tests/config/test_crawl.py (every demo role, every page reachable from the dashboard, in the test
client) and tests/e2e/test_crawl_browser.py (a sample of those pages in Chromium). Plain standard library:
the pages are our own, well-formed HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# Not pages of this product's UI: the API and its docs, Django's admin, files, and signing out (which would end
# the walk). Everything else a signed-in person can reach from the dashboard is walked.
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/accounts/logout")
TEMPLATE_SYNTAX = ("{#", "#}", "{{", "}}", "{%", "%}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Submitter:
    """One way to send a form: its action and method, with the pressed button's name and value if it has one."""

    action: str
    label: str
    data: dict[str, list[str]]
    pressed: tuple[str, str] = ("", "")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[dict] = field(default_factory=list)
    select: dict | None = None

    def submitters(self, page_url: str) -> list[Submitter]:
        """The form's enabled submit buttons, each with the form's default values (as a browser would send)."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        # A form with no button is sent by Enter; one whose every button is disabled cannot be sent.
        buttons = [button for button in self.buttons if "disabled" not in button]
        if not self.buttons:
            buttons = [{}]
        found = []
        for button in buttons:
            sent = {name: list(values) for name, values in data.items()}
            if button.get("name"):
                sent.setdefault(button["name"], []).append(button.get("value", ""))
            action = urljoin(page_url, button.get("formaction") or self.action or page_url)
            label = re.sub(r"\s+", " ", button.get("text", "")).strip() or "(submit)"
            pressed = (button.get("name", ""), button.get("value", ""))
            found.append(Submitter(action=action, label=label, data=sent, pressed=pressed))
        return found


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: list[str] = []
        self.label_fors: list[str] = []
        self.text: list[str] = []
        self.forms: list[Form] = []
        self._skip_text = 0
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._option: dict | None = None
        self._button: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag in ("script", "style", "template"):
            self._skip_text += 1
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "label" and "for" in attributes:
            self.label_fors.append(attributes["for"])
        elif tag == "form":
            self._form = Form(action=attributes.get("action", ""), method=attributes.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is not None:
            self._form_field(tag, attributes)

    def _form_field(self, tag: str, attributes: dict) -> None:
        name, kind = attributes.get("name"), attributes.get("type", "").lower()
        if tag == "input":
            if kind in ("submit", "image"):
                self._form.buttons.append({**attributes, "text": attributes.get("value", "")})
            elif name and kind not in ("button", "reset", "file") and "disabled" not in attributes:
                if kind in ("checkbox", "radio") and "checked" not in attributes:
                    return
                default = "on" if kind in ("checkbox", "radio") else ""
                self._form.fields.append((name, attributes.get("value", default)))
        elif tag == "button" and kind in ("", "submit"):
            self._button = {**attributes, "text": ""}
            self._form.buttons.append(self._button)
        elif tag == "textarea" and name and "disabled" not in attributes:
            self._textarea = (name, [])
        elif tag == "select" and name and "disabled" not in attributes:
            self._form.select = {"name": name, "multiple": "multiple" in attributes, "options": []}
        elif tag == "option" and self._form.select is not None:
            self._option = {"value": attributes.get("value"), "selected": "selected" in attributes, "text": ""}
            self._form.select["options"].append(self._option)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip_text = max(0, self._skip_text - 1)
        elif tag == "form":
            self._form = None
        elif tag == "button":
            self._button = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form.fields.append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._form is not None and self._form.select is not None:
            select = self._form.select
            chosen = [option for option in select["options"] if option["selected"]]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = select["options"][:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self._form.fields.append((select["name"], value))
            self._form.select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option["text"] += data
        if self._button is not None:
            self._button["text"] += data
        if not self._skip_text:
            self.text.append(data)


@dataclass
class Page:
    url: str
    links: list[str]
    forms: list[Form]
    ids: list[str]
    label_fors: list[str]
    text: str


def page_read(url: str, html: str) -> Page:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    text = re.sub(r"\s+", " ", " ".join(parser.text))
    return Page(url, parser.links, parser.forms, parser.ids, parser.label_fors, text)


def same_origin_path(page_url: str, href: str) -> str | None:
    """The link as a path with its query (no fragment), or None when it leaves the site or is not walked."""
    if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(page_url, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(url: str) -> str:
    """The URL pattern a link goes to, plus its query's parameter names: the crawler visits a few of each."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = f"(unresolved) {parts.path}"
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return route + (f"?{'&'.join(names)}" if names else "")


@cache
def _case_kind(case_id: int) -> str:
    from workflow.models import Case

    return Case.objects.filter(pk=case_id).values_list("kind", flat=True).first() or "unknown"


def page_kind(url: str) -> str:
    """The URL pattern, and for the engine's generic case pages the case's kind: one case page of an award
    shows what one of an application does not (its reports), so each kind counts as a pattern of its own."""
    route = route_of(url)
    try:
        kwargs = resolve(urlsplit(url).path).kwargs
    except Resolver404:
        return route
    return f"{route} [{_case_kind(kwargs['case_id'])}]" if "case_id" in kwargs else route


def template_syntax(page: Page) -> list[str]:
    return [
        f"{token!r} in the text near “{_around(page.text, token)}”" for token in TEMPLATE_SYNTAX if token in page.text
    ]


def id_problems(page: Page) -> list[str]:
    counts = Counter(page.ids)
    problems = [f"id “{name}” is used {n} times" for name, n in sorted(counts.items()) if n > 1]
    problems += [f"<label for=“{target}”> points at no element" for target in page.label_fors if not counts[target]]
    return problems


def times_without_zone(page: Page) -> list[str]:
    """Clock times shown with no zone after them (the pages show each time in a named zone): the one checker
    of tests/helpers.py, which knows every abbreviation the time zone list can print."""
    from tests.helpers import times_without_zone as unzoned

    return [f"“{found}”" for found in unzoned(page.text)]


def _around(text: str, token: str, width: int = 40) -> str:
    at = text.find(token)
    return text[max(0, at - width) : at + len(token) + width].strip()
