"""Small readers for settings that come from the environment.

Every reader accepts ``<NAME>_FILE`` as well as ``<NAME>``: container platforms
mount secrets as files, and reading them here saves a wrapper script.
A missing or malformed value stops start-up with one line naming the variable
(``ConfigurationError`` is a ``SystemExit``), never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

_UNSET = object()


class ConfigurationError(SystemExit):
    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Configuration error: {name} {problem}")


def env_str(name: str, default: str | object | None = _UNSET) -> str | None:
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value is None and file_name:
        try:
            value = Path(file_name).read_text().strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE", f"cannot be read ({exc.strerror}: {file_name})") from None
    if value is None or value == "":
        if default is _UNSET:
            raise ConfigurationError(name, "is required but not set")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, None)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(name, f"must be a boolean (1/0, true/false, yes/no), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name, None)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(name, f"must be an integer, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name, None)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
