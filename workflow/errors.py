from __future__ import annotations

from config.errors import Conflict


class GuardFailed(Conflict):
    """A transition's conditions are not met; `reasons` lists every one that fails."""

    default_code = "guard_failed"

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons

    def details(self) -> list[dict]:
        return [{"field": None, "code": self.code, "message": reason} for reason in self.reasons]
