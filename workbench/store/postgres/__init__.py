"""The team workbench: the store port over a PostgreSQL server (SQLAlchemy 2 + psycopg 3)."""
