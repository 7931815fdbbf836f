"""The client information guard (config/phi.py): its corpus, and that every free-text field passes through it."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django import forms
from rest_framework import serializers

from config.phi import (
    CODE,
    GuardedFormMixin,
    GuardedSerializerMixin,
    client_information_find,
    form_field_guarded,
    serializer_field_guarded,
)

CORPUS = json.loads((Path(__file__).parent / "client_information_corpus.json").read_text())
# Where people write about their program; accounts (people's own names, passwords) and reminders (preferences) are not.
APPS = ("grants", "partnerships", "tasks", "workflow")


def test_the_corpus_is_large_enough():
    assert len(CORPUS["pass"]) >= 50
    assert len(CORPUS["refuse"]) >= 50


@pytest.mark.parametrize("text", CORPUS["pass"])
def test_program_text_passes(text):
    assert client_information_find(text) == []


@pytest.mark.parametrize("text", CORPUS["refuse"])
def test_client_information_is_refused(text):
    assert client_information_find(text)


def test_the_issue_examples_are_named_in_the_message():
    findings = client_information_find("ISA re client John Smith DOB 03/14/1980, Dx schizophrenia, MRN 445566")
    kinds = {finding.kind for finding in findings}
    assert "a date of birth" in kinds
    assert "a medical record number" in kinds
    assert "a diagnosis or treatment next to a person's name" in kinds


def _modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)


def _subclasses(base):
    seen = set()
    stack = [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [cls for cls in seen if cls.__module__.split(".")[0] in APPS]


def test_every_serializer_with_free_text_is_guarded():
    _modules()
    unguarded = []
    for cls in _subclasses(serializers.Serializer):
        try:
            fields = cls().fields
        except Exception as error:  # pragma: no cover - a serializer that cannot be built bare says so here
            pytest.fail(f"{cls.__module__}.{cls.__name__} cannot be built without arguments: {error}")
        exempt = getattr(cls, "client_information_exempt", ())
        texts = [name for name, field in fields.items() if serializer_field_guarded(field) and name not in exempt]
        if texts and not issubclass(cls, GuardedSerializerMixin):
            unguarded.append(f"{cls.__module__}.{cls.__name__}: {', '.join(texts)}")
    assert not unguarded, "Serializers taking free text without the guard:\n" + "\n".join(sorted(unguarded))


def test_every_form_with_free_text_is_guarded():
    _modules()
    unguarded = []
    for cls in _subclasses(forms.BaseForm):
        exempt = getattr(cls, "client_information_exempt", ())
        texts = [name for name, field in cls.base_fields.items() if form_field_guarded(field) and name not in exempt]
        if texts and not issubclass(cls, GuardedFormMixin):
            unguarded.append(f"{cls.__module__}.{cls.__name__}: {', '.join(texts)}")
    assert not unguarded, "Forms taking free text without the guard:\n" + "\n".join(sorted(unguarded))


class _Note(GuardedSerializerMixin, serializers.Serializer):
    note = serializers.CharField()
    email = serializers.EmailField(required=False)


class _NoteForm(GuardedFormMixin, forms.Form):
    note = forms.CharField()


def test_the_serializer_guard_names_the_field_and_the_code():
    serializer = _Note(data={"note": "Client Maria Lopez was diagnosed with bipolar disorder."})
    assert not serializer.is_valid()
    error = serializer.errors["note"][0]
    assert error.code == CODE
    assert "a diagnosis or treatment next to a person's name" in str(error)
    assert _Note(data={"note": "Crisis intervention training for co-responders."}).is_valid()


def test_the_form_guard_puts_the_error_next_to_the_field():
    form = _NoteForm(data={"note": "DOB 03/14/1980"})
    assert not form.is_valid()
    assert "a date of birth" in form.errors["note"][0]
    assert _NoteForm(data={"note": "People with mental illness"}).is_valid()
