"""Durable store: SQLAlchemy models, engines, migrations and the unit of work."""
