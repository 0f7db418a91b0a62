"""Alembic environment: runs migrations on the connection handed in by `migrate.upgrade`,
or on DATABASE_URL when alembic is run from the command line."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from data_access.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from config import Settings
    from data_access.engine import make_engine

    engine = make_engine(Settings.from_env().database_url)
    with engine.connect() as conn:
        _run(conn)


run_migrations_online()
