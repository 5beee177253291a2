"""API of the journal (oversight search) — filled in by the journal slice."""

from ninja import Router

router = Router(tags=["audit"])
