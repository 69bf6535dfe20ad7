"""How often, after which pauses, each kind of I/O is tried again: one place per kind."""

from __future__ import annotations

# Our store, a writer that lost a race to another writer of the same values (an import and
# a value typed in at once): it starts over and reads again, this many times in all.
STORE_CONFLICT_ATTEMPTS = 3

# Our store, locked or unreachable while the outbox records a claim or an outcome (seconds):
# about a minute in all, well inside the lease, so nobody takes over a message whose
# outcome is still being recorded.
STORE_RECORD_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0, 15.0)

# Our store, locked or unreachable while a checkpoint stores its evaluation (seconds, the
# Prefect task's retries): one transaction, so a failed attempt leaves nothing behind.
STORE_TASK_PAUSES = (2.0, 15.0)

# A checkpoint step after a fault of our own (store, Prefect API, disk) while collecting or
# publishing (seconds; STEERING_RETRY_SECONDS overrides): rides out about two minutes, e.g.
# a PostgreSQL restart or a backup holding the SQLite lock.
FLOW_STEP_PAUSES = (10.0, 30.0, 60.0)

# An indicator source that could not be reached (a database down, a timeout), read again
# after these pauses (seconds) before its values count as missing; bad content is not.
SOURCE_PAUSES = (1.0, 3.0)

# The sender: a message that failed is tried again by later runs after a capped exponential
# backoff (1, 2, 4 ... minutes, at most every 6 hours); that is an outbox rule of the domain
# (steering.domain.notifications.delivery.retry_after), not a pause inside one run.
