"""Keeping the database's query planner informed.

SQLite has no statistics until ``ANALYZE`` runs; without them it assumes an equality on any
index selects about ten rows. On a large table it then reads ``status = 'published'`` through
its index (every row) instead of the dozen primary keys a page asks for: 20 ms at 20,000
opportunities, 100 ms at 100,000. ``ANALYZE`` after bulk loads and once a day fixes the plans.
PostgreSQL's autovacuum keeps its statistics current; an explicit ``ANALYZE`` after a bulk load
only spares the first minutes after it.
"""

from __future__ import annotations

from django.db import connection

#: Rows SQLite samples per index (approximate statistics in milliseconds, not seconds).
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_planner_statistics() -> str:
    """Refresh the planner statistics of the default database; returns the engine's vendor."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return connection.vendor
