"""The site's form renderer (config.forms): a one-choice required drop-down starts on its choice, and every
form rendered through the shared include opens with the USWDS error summary linked to its fields (issue #16)."""

from django import forms
from django.template.loader import render_to_string


def _render(form) -> str:
    return render_to_string("includes/fields.html", {"form": form})


class _Pick(forms.Form):
    only = forms.ChoiceField(choices=[("", "---------"), ("a", "The only one")])
    either = forms.ChoiceField(choices=[("", "---------"), ("a", "A"), ("b", "B")])
    optional = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    name = forms.CharField()


def test_a_required_drop_down_with_one_choice_starts_on_it():
    html = _render(_Pick())
    assert '<option value="a" selected>The only one</option>' in html
    assert '<option value="a" selected>A</option>' not in html


def test_a_bound_form_keeps_what_was_sent():
    form = _Pick({"only": "", "either": "b", "name": "x"})
    assert form["only"].value() == ""


def test_a_form_rendered_by_the_shared_include_opens_with_the_error_summary():
    form = _Pick({"either": "b"})
    html = _render(form)
    summary = html[html.index("app-error-summary") : html.index("</ul>")]
    assert "There are 2 problems" in summary
    assert 'href="#id_only"' in summary and 'href="#id_name"' in summary


def test_a_required_model_drop_down_with_one_row_starts_on_it(organization):
    from accounts.models import Organization

    only = Organization.objects.filter(pk=organization.pk)

    class _Org(forms.Form):
        organization = forms.ModelChoiceField(queryset=only)

    assert f'<option value="{organization.pk}" selected>' in _render(_Org())
