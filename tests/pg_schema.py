"""A throwaway PostgreSQL schema, so concurrent test runs on one server never collide."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


@contextmanager
def fresh_schema(base_url: str) -> Iterator[str]:
    """A URL whose search_path points to a new schema, dropped again afterwards."""
    schema = f"steer_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(base_url, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            # Fail instead of hanging if a test leaked a connection that holds a lock.
            connection.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
