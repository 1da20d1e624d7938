"""The database refuses overlapping bookings of the same unit of a space.

PostgreSQL: an exclusion constraint over ``tstzrange(starts_at, blocked_until)`` (btree_gist
for the equality parts) on holding bookings; concurrent inserts wait for each other and the
loser fails. SQLite: triggers refusing an insert or update that overlaps; writes are
serialized by SQLite's single writer (``BEGIN IMMEDIATE`` in the settings), so the check and
the insert cannot interleave.
"""

from django.db import migrations

HOLDING = "('tentative', 'approved')"

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE spaces_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
        space_id WITH =, unit WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&
    ) WHERE (status IN {HOLDING})""",
]
POSTGRES_DOWN = ["ALTER TABLE spaces_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]

_SQLITE_CHECK = f"""
    WHEN NEW.status IN {HOLDING} AND EXISTS (
        SELECT 1 FROM spaces_booking AS other
        WHERE other.space_id = NEW.space_id AND other.unit = NEW.unit AND other.id IS NOT NEW.id
          AND other.status IN {HOLDING}
          AND other.starts_at < NEW.blocked_until AND NEW.starts_at < other.blocked_until
    )
    BEGIN SELECT RAISE(ABORT, 'booking_no_overlap'); END
"""
SQLITE_UP = [
    f"CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON spaces_booking {_SQLITE_CHECK}",
    "CREATE TRIGGER booking_no_overlap_update BEFORE UPDATE OF space_id, unit, starts_at, "
    f"blocked_until, status ON spaces_booking {_SQLITE_CHECK}",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS booking_no_overlap_insert",
    "DROP TRIGGER IF EXISTS booking_no_overlap_update",
]


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
