"""Domain errors that every interface maps to its own form (HTTP status, form error, exit code)."""


class Conflict(Exception):
    """The change clashes with the current state (409)."""


class PreconditionFailed(Exception):
    """The change was based on a version that is no longer current (412)."""


class PreconditionRequired(Exception):
    """A change came without the version it was based on (428)."""


class RateLimited(Exception):
    """Too many requests in the window (429)."""

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after
