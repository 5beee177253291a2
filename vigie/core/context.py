"""Per-request context the journal reads (request id), without passing requests everywhere."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("vigie_request_id", default="")
