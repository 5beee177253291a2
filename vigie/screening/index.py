"""The per-process screening index: a `Matcher` built lazily from the listed persons, kept
fresh by change notifications (ARCHITECTURE.md, Scale).

- Registry writes (Entity, EntityName, IdentityDocument saved or deleted) write an
  `IndexChange` row in their transaction and, once it commits, `NOTIFY vigie_screening` on
  PostgreSQL. Writes that bypass signals (bulk loads) still move `Entity.updated_at`.
- Each process applies the changes past the last ones it saw: on PostgreSQL when a listener
  thread (LISTEN) was notified, and at the latest every SCREENING_INDEX_POLL_SECONDS, which is
  the whole mechanism on SQLite (a change counter and the newest `updated_at`).

The engine never removes a record in place before `Matcher.remove` lands: a change to a record
already indexed rebuilds the index from the database (cheap at a national body's size).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from vigie.registry import screening_selectors
from vigie.screening.engine import Matcher

log = logging.getLogger(__name__)
CHANNEL = "vigie_screening"


class ScreeningIndex:
    """One per process (`current()`); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.matcher: Matcher | None = None
        self.stamp: Any = None  # newest Entity.updated_at applied
        self.change_seq = 0  # last IndexChange id applied
        self.checked_at = 0.0
        self.notified = threading.Event()
        self.listening = False
        self.stopping = threading.Event()
        self.listener: threading.Thread | None = None
        self.rebuilds = 0

    # --- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        from vigie.screening.services import last_change_seq

        seq = last_change_seq()
        stamp = screening_selectors.change_stamp()
        matcher = Matcher.from_records(screening_selectors.screening_records(), on_error="skip")
        if matcher.rejected:
            log.warning("screening index: %d listed records not indexed", len(matcher.rejected))
        self.matcher, self.stamp, self.change_seq = matcher, stamp, seq
        self.rebuilds += 1

    def _apply(self, changes: screening_selectors.Changes) -> None:
        matcher = self.matcher
        assert matcher is not None
        for record_id in changes.removed:
            matcher.remove(record_id)  # False when it was never indexed: nothing to do
        # An id already indexed is replaced (a changed name, alias or date).
        matcher.add(changes.records, on_error="skip")

    def refresh(self, *, force: bool = False) -> None:
        """Apply what changed since the last look (or build the index the first time)."""
        from vigie.screening.services import changes_after, last_change_seq

        with self._lock:
            self.checked_at = time.monotonic()
            self.notified.clear()
            if self.matcher is None or force or self.stamp is None:
                self._build()  # first use, or built from an empty table
                return
            seq = last_change_seq()
            stamp = screening_selectors.change_stamp()
            if seq == self.change_seq and stamp == self.stamp:
                return
            touched = changes_after(self.change_seq) if seq != self.change_seq else []
            changes = screening_selectors.changed_since(self.stamp, touched)
            self._apply(changes)
            self.change_seq = max(self.change_seq, seq)
            self.stamp = changes.stamp

    def get(self) -> Matcher:
        """The matcher, fresh: rebuilt or updated when a notification came or the poll is due."""
        if settings.SCREENING_INDEX_LISTEN and not self.listening:
            start_listener(self)
        due = time.monotonic() - self.checked_at >= settings.SCREENING_INDEX_POLL_SECONDS
        if self.matcher is None or self.notified.is_set() or due:
            self.refresh()
        assert self.matcher is not None
        return self.matcher

    def stop_listener(self, timeout: float = 5.0) -> None:
        """End the LISTEN thread (tests; a process simply exits)."""
        self.stopping.set()
        if self.listener is not None:
            self.listener.join(timeout)
        self.listener = None
        self.listening = False
        self.stopping.clear()

    def reset(self) -> None:
        with self._lock:
            self.matcher = None
            self.stamp = None
            self.change_seq = 0
            self.checked_at = 0.0


_INDEX = ScreeningIndex()


def current() -> ScreeningIndex:
    return _INDEX


def matcher() -> Matcher:
    return _INDEX.get()


# --- PostgreSQL LISTEN ---------------------------------------------------------------------------


def start_listener(index: ScreeningIndex) -> None:
    """A daemon thread holding its own connection, LISTENing; sets `index.notified`."""
    if connection.vendor != "postgresql":
        index.listening = True  # nothing to listen to: polling is the mechanism
        return
    with index._lock:
        if index.listening:
            return
        index.listening = True
    thread = threading.Thread(target=_listen, args=(index,), name="screening-listen", daemon=True)
    index.listener = thread
    thread.start()


def _listen(index: ScreeningIndex) -> None:
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    while not index.stopping.is_set():
        try:
            with psycopg.connect(**params, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                while not index.stopping.is_set():
                    for _notify in conn.notifies(timeout=1.0):
                        index.notified.set()
        except Exception:  # the poll keeps the index fresh meanwhile
            log.warning("screening index: LISTEN lost; retrying in 5 s", exc_info=True)
            index.stopping.wait(5)


def notify() -> None:
    """After commit: tell every process listening (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


# --- Signals -------------------------------------------------------------------------------------


def _entity_id(instance: Any) -> Any:
    return getattr(instance, "entity_id", None) or getattr(instance, "pk", None)


def _on_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures
    from vigie.screening.services import index_change_record

    entity_id = _entity_id(instance)
    if entity_id is None:
        return
    index_change_record(entity_id=entity_id)
    transaction.on_commit(notify)


def connect_signals() -> None:
    from vigie.registry.models import Entity, EntityName, IdentityDocument, Person

    for model in (Entity, Person, EntityName, IdentityDocument):
        uid = f"screening-index-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete")
