"""Alembic's environment: migrations run on the connection ``coach.records.migrate`` passes,
inside its transaction."""

from alembic import context

from coach.records.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations through coach.records.migrate (the coach applies them).")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
