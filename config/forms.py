"""Helpers that put service errors where people look: next to the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

from config.errors import ServiceError


def apply_error(form: forms.Form, error: ServiceError | ValidationError) -> None:
    """Attach a service's error to the form field it names, or to the form as a whole."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)


class USWDSBoundField(forms.BoundField):
    """Give every widget its USWDS class and point it at its error message, for every form in the site."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = getattr(widget, "input_type", None) or type(widget).__name__.lower()
        css = {"select": "usa-select", "textarea": "usa-textarea", "checkbox": "usa-checkbox__input"}.get(
            kind, "usa-input"
        )
        described_by = [f"{self.auto_id}-hint"] if self.help_text else []
        if self.errors and css != "usa-checkbox__input":
            css += f" {css.split('__')[0]}--error"
            described_by.append(f"{self.auto_id}-error")
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs

    def value(self):
        """A required drop-down with one possible answer starts on that answer, not on "---------"."""
        value = super().value()
        single = value in (None, "") and not self.form.is_bound and self.field.required
        if single and type(self.field.widget) is forms.Select:
            if isinstance(self.field, forms.ModelChoiceField):
                # Two rows tell "one" from "several" without reading a long list twice.
                options = list(self.field.queryset[:2])
            else:
                options = [choice for choice, _ in self.field.choices if choice not in (None, "")]
            if len(options) == 1:
                return self.field.prepare_value(options[0])
        return value


class FormRenderer(DjangoTemplates):
    bound_field_class = USWDSBoundField
