"""The API answers what its OpenAPI schema says, on every operation: schemathesis over the whole schema.

An outside run of schemathesis once found server errors and answers the schema did not describe; this module
runs the same probe in the suite, signed in, against the app in-process (WSGI, no server):

- the schema is the one ``/api/v1/schema/`` serves (drf-spectacular, ``config.schema.AutoSchema``);
- each operation is one pytest item (xdist spreads them), its cases generated from the schema (positive data,
  ``MAX_EXAMPLES`` per operation, derandomized: the same cases every run);
- the data is realistic and small: the demo (``manage.py load_demo``) plus one application taken to an accepted
  award, built once per module and rolled back after it; each operation's writes are rolled back after it too;
- ids in paths are taken in turn from that data (so answers about real objects are checked) and as generated
  (mostly unknown ids: the 404 answer is checked too);
- the caller is the demo's site staff account (a superuser, who sees every object) with an API token;
- every answer must not be a server error, must have a status the schema lists, and a body matching it.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from werkzeug.test import Client

from tests.security.api_data import api_dataset

MAX_EXAMPLES = 25
CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, response_schema_conformance]
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "positive", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
    }
)


# Faults being fixed elsewhere, each named with why; only the check that finds it is skipped, on that operation.
# Empty: keep it so, and a new entry says why and until when.
KNOWN: dict[tuple[str, str], list] = {}


def _schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
_PARAMETER = re.compile(r"([\w-]+)/\{(\w+)\}")


@contextmanager
def _in_process():
    """Requests share the test's connection and transaction, as Django's test client makes them do."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo and an accepted award, built once for the module inside a transaction that is rolled back."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, DEBUG=True), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield api_dataset(media=media)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The token endpoint's throttle counts in the cache: this module's sign-ins must not count against others."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Examples:
    """Which id each example of an operation takes: the real ones in turn, then the generated one."""

    seen: dict = field(default_factory=lambda: defaultdict(int))

    def fill(self, case, ids: dict[str, list[int]]) -> None:
        turn = self.seen[case.operation.label]
        self.seen[case.operation.label] += 1
        for resource, name in _PARAMETER.findall(case.operation.path):
            choices = ids.get(resource, [])
            if turn % (len(choices) + 1) < len(choices):
                case.path_parameters[name] = choices[turn % (len(choices) + 1)]


EXAMPLES = Examples()


@pytest.mark.django_db
@schema.parametrize()
def test_the_api_answers_as_its_schema_says(case, dataset):
    EXAMPLES.fill(case, dataset.ids)
    with _in_process(), override_settings(MEDIA_ROOT=dataset.media):  # Where the dataset's documents are.
        response = case.call(app=WSGIHandler(), headers={"Authorization": f"Token {dataset.token}"})
    skipped = KNOWN.get((case.operation.method.upper(), case.operation.path), [])
    case.validate_response(response, checks=[check for check in CHECKS if check not in skipped])


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Answer:
    """One request whose answer an outside probe once found wrong, made with data that succeeds."""

    method: str
    path: str
    status: int
    ids: dict = field(default_factory=dict)  # Path parameter -> a name in ApiDataset.refs.
    caller: str | None = None  # A demo account with a token in ApiDataset.tokens; the site staff otherwise.
    query: str = ""
    json: object = None
    upload: str | None = None  # A file name: sent as multipart with a small PDF.


ANSWERS = [
    # Lists bounded by their case, answered whole: documented unpaged.
    Answer("GET", "/api/v1/cases/{id}/participants/", 200, {"id": "award_case"}),
    Answer("GET", "/api/v1/cases/{id}/transitions/", 200, {"id": "award_case"}, caller="police.admin"),
    Answer("GET", "/api/v1/cases/{id}/milestones/", 200, {"id": "partnership_case"}),
    Answer("GET", "/api/v1/applications/{id}/reviews/", 200, {"id": "application"}),
    Answer("GET", "/api/v1/solicitations/{id}/stages/", 200, {"id": "solicitation"}),
    Answer("GET", "/api/v1/partnerships/{id}/trend/", 200, {"id": "partnership"}),
    # Roles nobody holds and reports nobody drafted are null.
    Answer("GET", "/api/v1/awards/{id}/", 200, {"id": "award"}),
    Answer("GET", "/api/v1/award-reports/{id}/", 200, {"id": "report"}),
    Answer("GET", "/api/v1/awards/calendar/", 200, caller="police.admin"),
    Answer(
        "POST", "/api/v1/awards/{id}/roles/", 200, {"id": "award"}, "police.admin", json={"financial_manager": None}
    ),
    # Writes that create answer 201, and say so.
    Answer(
        "POST", "/api/v1/awards/{id}/match/", 201, {"id": "award"}, "police.admin", json={"year": 1, "amount": "9.50"}
    ),
    Answer(
        "POST",
        "/api/v1/awards/{id}/modifications/",
        201,
        {"id": "award"},
        "police.admin",
        json={"kind": "scope", "description": "Add the county's second district."},
    ),
    Answer(
        "POST",
        "/api/v1/cases/{id}/documents/",
        201,
        {"id": "award_case"},
        "police.admin",
        upload="Memorandum of understanding " + "with the county " * 12 + ".pdf",  # Past 150 characters.
    ),
    Answer("DELETE", "/api/v1/tasks/{id}/watch/", 200, {"id": "task"}, caller="police.admin"),
    # A time of day has no offset: not OpenAPI's "time" format.
    Answer("PATCH", "/api/v1/tasks/{id}/", 200, {"id": "task"}, "police.admin", json={"due_time": "17:30"}),
    # Lists built in Python are counted; pages and writes that find nothing are a documented 404.
    Answer("GET", "/api/v1/ta-requests/queue/", 200, caller="sheriff.ta", query="count=true"),
    Answer("GET", "/api/v1/solicitations/{id}/ranking/", 200, {"id": "solicitation"}, query="count=true"),
    Answer("GET", "/api/v1/solicitations/{id}/reviewers/", 200, {"id": "solicitation"}, query="count=true"),
    Answer("GET", "/api/v1/tasks/", 404, query="page=99999999999999999999"),
    Answer("POST", "/api/v1/tasks/", 404, json={"case": 2147483647, "title": "Call the clinic"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ANSWERS, ids=lambda a: f"{a.method} {a.path}?{a.query}")
def test_known_answers_are_as_documented(answer, dataset):
    values = {name: dataset.refs[ref] for name, ref in answer.ids.items()}
    token = dataset.tokens[answer.caller] if answer.caller else dataset.token
    kwargs = {"json": answer.json} if answer.json is not None else {}
    if answer.upload:
        kwargs["data"] = {"file": (io.BytesIO(PDF), answer.upload), "kind": "other", "visibility": "all"}
    with _in_process(), override_settings(MEDIA_ROOT=dataset.media):
        response = Client(WSGIHandler()).open(
            answer.path.format(**values), method=answer.method, query_string=answer.query,
            headers={"Authorization": f"Token {token}"}, **kwargs,
        )  # fmt: skip
    assert response.status_code == answer.status, response.get_data(as_text=True)[:500]
    operation = schema[answer.path][answer.method]
    operation.Case(path_parameters=values).validate_response(response, checks=CHECKS)
