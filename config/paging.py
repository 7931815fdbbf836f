"""Numbered pages for the server-rendered lists, counting at most CAP rows.

Page headings say how many rows a list holds ("12 tasks") and the pager numbers the pages, which needs a
count. Counting every row a grant manager may see is a second pass over 13,000 cases on every page (about
240 ms on the national data, more than the page itself), so the count stops at ``CAP``: past it the heading
says "1,000+" and the list invites the filters, and the pages up to the cap stay numbered. The API does
the same job without any count unless asked (config/api.py).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    cap = CAP

    def __init__(self, object_list, per_page, *, counted=None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        #: Rows as many as the list's, cheaper to count (the user's reach for their unfiltered case list).
        self.counted = object_list if counted is None else counted

    @cached_property
    def _found(self) -> int:
        # COUNT over `LIMIT cap + 1`: an ordered walk can stop there instead of reaching the end.
        return self.counted[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.cap)

    @property
    def capped(self) -> bool:
        """More rows exist than were counted (and than the pages reach)."""
        return self._found > self.cap


def page_context(request: HttpRequest, queryset, per_page: int, *, counted=None) -> dict:
    """`page` (the requested page, or the nearest valid one) and `page_range` for includes/pagination.html.
    `counted`: rows as many as `queryset`'s and cheaper to count."""
    page = CappedPaginator(queryset, per_page, counted=counted).get_page(request.GET.get("page"))
    return {"page": page, "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)}
