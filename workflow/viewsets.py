"""The one base of every API endpoint whose rows belong to a case.

As NetBox's ``BaseViewSet.initial()`` restricts every queryset before a view runs, ``CaseScopedViewSet``
restricts its rows in ``get_queryset()`` from a declared ``case_field``, and a subclass cannot override that
method: it supplies its rows unrestricted, with the joins it needs, in ``rows()``. So no endpoint can forget
the access rule, and ``tests/workflow/test_viewsets.py`` fails when a case-scoped viewset does not use this base.

Reads and writes are checked differently, each once:

- a read (list, detail, ``get_object()``) sees only rows of cases the user may view (``workflow.access``);
- a write finds its object by id alone (``write_target()``) and hands it to its service, which locks the
  row and decides on the locked state with ``workflow.access.case_require``: 404 to who may not see the
  case, 403 to who may see it but not do this. Looking it up through the access rule first would check
  the same thing twice, on a row that may change before the lock. Its input is read with ``write_input()``,
  which checks that the user may see the case before it answers 400: bad input from an outsider is a 404, so
  no answer tells an outsider that an id exists.

Each operation declares the right it needs in ``action_rights`` (``workflow.matrix.declared_right``). Before an
id-bearing write reads its input, ``initial()`` asks ``case_require`` for that right on the target's case: an
outsider gets 404, someone who sees the case but lacks the right 403, even with an empty body, and only then
does bad input answer 400. The service's own ``case_require`` reuses that answer (``workflow.access.rights_scope``),
so a write still checks access once; it stays the gate of the web pages, which share the services.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import F, Model, QuerySet
from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS

from config.errors import NotAllowed, NotFound
from workflow.access import VIEW, case_access, case_require, case_rights, rights_scope
from workflow.matrix import Ability, declared_right, is_case_right, write_rights


def object_id(value, model: type[Model]) -> int | None:
    """An id from the URL, or None when it cannot be one (not a number, or beyond the column's range)."""
    try:
        number = int(value)
        model._meta.pk.run_validators(number)
    except (TypeError, ValueError, ValidationError):
        return None
    return number


class CaseScopedViewSet(viewsets.GenericViewSet):
    """Rows restricted to the cases the user may view; see the module's docstring."""

    #: The path from the model to its case: "pk" on Case itself, "case", "award__case"…
    case_field = "case"
    #: What a missing or hidden object is called in the 404 answer.
    not_found = "Not found."
    #: What each operation needs (``workflow.matrix.declared_right``): action name -> right, tuple of rights any of
    #: which will do, or {method: right}. tests/security/test_rights_matrix.py fails on an undeclared operation.
    action_rights: dict = {}
    #: The 403 answer of an operation refused by its declared right.
    refused = "You may not do this on this case."

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise ImproperlyConfigured(
                f"{cls.__name__} overrides get_queryset(): a case-scoped viewset gives its unrestricted rows in "
                "rows() and CaseScopedViewSet.get_queryset() restricts them."
            )

    @classmethod
    def case_column(cls) -> str:
        """The case id column, as ``workflow.access.case_access`` takes it."""
        return "pk" if cls.case_field == "pk" else f"{cls.case_field}_id"

    def rows(self) -> QuerySet:
        """Every row of this endpoint, unrestricted, with the joins its answers need."""
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} sets neither queryset nor rows().")
        return self.queryset.all()

    def dispatch(self, request, *args, **kwargs):
        with rights_scope():
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.right_require()

    def right_require(self) -> None:
        """404 or 403 before any input is read, when an id-bearing operation needs more than to see the case.

        Reads that need only ``view`` are left to ``get_queryset()`` (a hidden row is simply not found). A write
        that needs only ``view`` is still refused to a peer reviewer (``workflow.matrix.write_rights``).
        """
        wanted = self.right_needed()
        writes = self.request.method not in SAFE_METHODS
        if not self.kwargs or wanted is None or not is_case_right(wanted) or (VIEW in wanted and not writes):
            return
        if self.request.user.is_staff and any(isinstance(right, Ability) and right.staff for right in wanted):
            return  # Site staff act on what they may not see as participants (a redaction); the service decides.
        case_id = self.right_case_id()
        actions = tuple({right.action if isinstance(right, Ability) else right for right in wanted})
        rights = case_require(
            user=self.request.user, case=case_id, action=actions, message=self.refused, not_found=self.not_found
        )
        usable = write_rights(rights) if writes else rights
        if not any(
            right.action in usable and right.held(user=self.request.user, case_id=case_id, target=self.right_target())
            if isinstance(right, Ability)
            else right in usable
            for right in wanted
        ):
            if usable != rights:
                raise NotAllowed("Peer reviewers stay anonymous: they write nothing outside their review.")
            abilities = [right for right in wanted if isinstance(right, Ability)]
            if abilities:
                names = " or ".join(ability.name for ability in abilities)
                raise NotAllowed(f"Only {names} can do this.", code=abilities[0].code)
            raise NotAllowed(self.refused)

    def right_needed(self) -> tuple | None:
        return declared_right(type(self), self.action, self.request.method)

    def right_target(self):
        """The object in the path, for an ability whose rule is about it (``Ability.on_object``)."""
        return self.write_target()

    def right_case_id(self) -> int:
        """The case of the object in the path, whose rights ``right_require`` checks."""
        return self.write_target().scope_case_id

    def get_queryset(self) -> QuerySet:
        return self.rows().filter(case_access(self.request.user, VIEW, case_field=self.case_column()))

    def _lookup(self) -> int:
        value = object_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field), self.rows().model)
        if value is None:
            raise NotFound(self.not_found)
        return value

    def get_object(self):
        self._lookup()  # A non-numeric id is simply not found (never reaches filter(pk=…)).
        return super().get_object()

    def write_target(self):
        """The object a write acts on, by id only: its service checks access on the locked row (see above)."""
        if getattr(self, "_write_target", None) is not None:
            return self._write_target
        found = (
            self.rows()
            .annotate(scope_case_id=F(self.case_column()))
            .filter(**{self.lookup_field: self._lookup()})
            .first()
        )
        if found is None:
            raise NotFound(self.not_found)
        self._write_target = found
        return found

    def write_input(self, serializer_class, target, **kwargs) -> dict:
        """The validated input of a write on `target` (from ``write_target()``); 404 rather than 400 to outsiders."""
        serializer = serializer_class(data=self.request.data, **kwargs)
        with self.input_of(target):
            serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @contextmanager
    def input_of(self, target):
        """Input errors raised inside answer 404, not 400, to who may not see `target`'s case."""
        try:
            yield
        except serializers.ValidationError:
            if VIEW not in case_rights(user=self.request.user, case=target.scope_case_id):
                raise NotFound(self.not_found) from None
            raise
