"""The one way a page writes a moment: ``{{ moment|when }}`` → "Mar 5, 2027, 10:00 AM EST" in the reader's zone.

A built-in library (settings ``TEMPLATES`` ``builtins``): every template has it without ``{% load %}``.
"""

from __future__ import annotations

from django import template

from config.times import moment_text

register = template.Library()


@register.filter
def when(moment, zone=None) -> str:
    """The moment in the active zone (or `zone`, a zone name), with the zone's abbreviation."""
    return moment_text(moment, zone or None)
