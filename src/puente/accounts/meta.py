"""What the services record about the request that asked for a change."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from, recorded with consents and sign-in attempts."""

    ip_address: str | None = None
    user_agent: str = ""


# For calls that do not come from a web request (commands, tasks, tests).
NO_REQUEST = RequestMeta()
