"""The checks an application's content must pass, shared by the services (which refuse) and the
readiness checklist (which shows what is missing before anyone tries to submit).

Each check returns the `ServiceError` it would raise, or None, so that the message a person reads on
the checklist is the one the API answers with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from config.errors import ServiceError
from grants.models import Category, Solicitation
from grants.rules import period_last_day, project_years


def money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"${amount:,.2f}"


def percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))}%"


def amount_problem(amount: Decimal | None, category: Category) -> ServiceError | None:
    if amount is None:
        return ServiceError("Enter the amount requested.", field="amount_requested", code="required")
    if amount <= 0:
        return ServiceError("The amount requested must be more than $0.", field="amount_requested", code="invalid")
    if amount > category.award_ceiling:
        return ServiceError(
            f"The amount requested ({money(amount)}) is above the award ceiling of category {category.code} "
            f"({money(category.award_ceiling)}).",
            field="amount_requested",
            code="above_ceiling",
        )
    return None


def period_problem(
    start: date | None, end: date | None, category: Category, solicitation: Solicitation
) -> ServiceError | None:
    if start is None or end is None:
        field = "project_start" if start is None else "project_end"
        return ServiceError("Enter the project start and end dates.", field=field, code="required")
    if end <= start:
        return ServiceError("The project must end after it starts.", field="project_end", code="end_before_start")
    earliest = solicitation.earliest_project_start
    if earliest and start < earliest:
        return ServiceError(
            f"The project cannot start before {earliest:%B} {earliest.day}, {earliest.year}.",
            field="project_start",
            code="outside_period",
        )
    last = period_last_day(start, category.period_months)
    if end > last:
        return ServiceError(
            f"Category {category.code} has a {category.period_months}-month period of performance: a project "
            f"starting {start:%B} {start.day}, {start.year} must end by {last:%B} {last.day}, {last.year}.",
            field="project_end",
            code="outside_period",
        )
    return None


@dataclass(frozen=True)
class YearLine:
    year: int
    federal_amount: Decimal
    match_amount: Decimal


def budget_problems(
    lines: list[YearLine], *, amount: Decimal | None, category: Category, start: date | None, end: date | None
) -> list[ServiceError]:
    """Every year of the project, no other; each year's match at least the schedule; federal shares add up."""
    if start is None or end is None or end <= start:
        return [ServiceError("Set the project dates before the budget.", field="budget", code="dates_first")]
    expected = project_years(start, end)
    years = sorted(line.year for line in lines)
    if years != list(range(1, expected + 1)):
        return [
            ServiceError(
                f"The budget needs one line for each of the project's {expected} years (years 1 to {expected}).",
                field="budget",
                code="budget_years",
            )
        ]
    problems = []
    for line in sorted(lines, key=lambda line: line.year):
        if line.federal_amount < 0 or line.match_amount < 0:
            problems.append(
                ServiceError(f"Year {line.year}: amounts cannot be negative.", field="budget", code="invalid")
            )
            continue
        required = category.match_percent(line.year)
        total = line.federal_amount + line.match_amount
        # Match is a share of the year's total project cost (federal + match), as BJA states it.
        if required and (total == 0 or 100 * line.match_amount < required * total):
            share = 100 * line.match_amount / total if total else Decimal(0)
            problems.append(
                ServiceError(
                    f"Year {line.year}: a match of {money(line.match_amount)} is {percent(share)} of the year's "
                    f"total cost; category {category.code} requires at least {percent(required)} in year {line.year} "
                    f"(schedule {category.match_schedule_text}).",
                    field="budget",
                    code="match_below_schedule",
                )
            )
    federal = sum((line.federal_amount for line in lines), Decimal(0))
    if amount is not None and federal != amount:
        problems.append(
            ServiceError(
                f"The federal share of the budget years adds up to {money(federal)}, "
                f"not the amount requested ({money(amount)}).",
                field="budget",
                code="budget_total",
            )
        )
    return problems
