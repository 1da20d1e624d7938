"""Which organizations changed since a web process read its directory index.

Database triggers append the id of every organization written (insert, update, delete of
the organization or of its sectors, technologies and extra hubs; also bulk writes, imports,
the admin and raw SQL) to ``directory_index_change``, numbered by a sequence. A process
remembers the last number it applied; at each request one indexed query returns what came
after, and the process re-reads only those organizations (``facet_index.refreshed``).

Why no change can be missed: writers take a transaction-wide lock before numbering their
changes (PostgreSQL: an advisory lock held until commit; SQLite: the database's single
writer lock), so numbers are handed out in commit order and a reader never sees number n + 1
committed while n is still to come. A rolled-back write takes its numbers with it (a gap, no
change). The log keeps the last ``KEEP`` numbers; a process that fell further behind, a
``TRUNCATE`` (logged as NULL) or a bulk write of more than ``MAX_CHANGES`` organizations
makes that process rebuild its index from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations import RunPython

CHANGE_TABLE = "directory_index_change"
STAMP_TABLE = "directory_index_stamp"
# (table, column naming the organization)
WATCHED = (
    ("directory_organization", "id"),
    ("directory_organization_sectors", "organization_id"),
    ("directory_organization_technologies", "organization_id"),
    ("directory_organization_other_hubs", "organization_id"),
)
KEEP = 100_000
MAX_CHANGES = 500


def _create(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The log and its triggers (the one-row stamp table of migration 0003 stays)."""
    vendor = schema_editor.connection.vendor
    statements: list[str] = []
    if vendor == "sqlite":
        statements.append(
            f"CREATE TABLE {CHANGE_TABLE} (seq integer PRIMARY KEY AUTOINCREMENT, "
            "token text NOT NULL, organization_id integer)"
        )
        statements.append(
            f"CREATE TRIGGER {CHANGE_TABLE}_prune AFTER INSERT ON {CHANGE_TABLE} "
            f"WHEN new.seq % 1000 = 0 BEGIN "
            f"DELETE FROM {CHANGE_TABLE} WHERE seq <= new.seq - {KEEP}; END"
        )
        bump = f"UPDATE {STAMP_TABLE} SET token = lower(hex(randomblob(8))) WHERE id = 1;"

        def log(value: str) -> str:
            return (
                f"{bump} INSERT INTO {CHANGE_TABLE} (token, organization_id) "
                f"SELECT token, {value} FROM {STAMP_TABLE} WHERE id = 1;"
            )

        for table, column in WATCHED:
            statements += [
                f"CREATE TRIGGER {table}_change_insert AFTER INSERT ON {table} "
                f"BEGIN {log(f'new.{column}')} END",
                f"CREATE TRIGGER {table}_change_delete AFTER DELETE ON {table} "
                f"BEGIN {log(f'old.{column}')} END",
                f"CREATE TRIGGER {table}_change_update AFTER UPDATE ON {table} "
                f"BEGIN {log(f'new.{column}')} {log(f'old.{column}')} END",
            ]
    elif vendor == "postgresql":
        statements.append(
            f"CREATE TABLE {CHANGE_TABLE} (seq bigserial PRIMARY KEY, token text NOT NULL, "
            "organization_id bigint)"
        )
        # Updating the stamp row first locks it until commit, so numbers follow commit order.
        # Transition tables give every row a statement touched, in one trigger call.
        insert = f"INSERT INTO {CHANGE_TABLE} (token, organization_id) SELECT $1, %I FROM"
        statements.append(
            f"CREATE FUNCTION {CHANGE_TABLE}_log() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"DECLARE stamp text; BEGIN "
            f"UPDATE {STAMP_TABLE} SET token = md5(random()::text || clock_timestamp()::text) "
            f"WHERE id = 1 RETURNING token INTO stamp; "
            f"IF TG_OP = 'TRUNCATE' THEN "
            f"INSERT INTO {CHANGE_TABLE} (token, organization_id) VALUES (stamp, NULL); "
            f"ELSIF TG_OP = 'INSERT' THEN "
            f"EXECUTE format('{insert} new_rows', TG_ARGV[0]) USING stamp; "
            f"ELSIF TG_OP = 'DELETE' THEN "
            f"EXECUTE format('{insert} old_rows', TG_ARGV[0]) USING stamp; "
            f"ELSE "
            f"EXECUTE format('{insert} new_rows UNION SELECT $1, %I FROM old_rows', TG_ARGV[0], TG_ARGV[0]) USING stamp; "
            f"END IF; "
            f"DELETE FROM {CHANGE_TABLE} WHERE seq <= currval(pg_get_serial_sequence('{CHANGE_TABLE}', 'seq')) - {KEEP}; "
            f"RETURN NULL; END $$"
        )
        for table, column in WATCHED:
            function = f"{CHANGE_TABLE}_log('{column}')"
            statements += [
                f"CREATE TRIGGER {table}_change_insert AFTER INSERT ON {table} "
                f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}",
                f"CREATE TRIGGER {table}_change_delete AFTER DELETE ON {table} "
                f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}",
                f"CREATE TRIGGER {table}_change_update AFTER UPDATE ON {table} "
                f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
                f"CREATE TRIGGER {table}_change_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            ]
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(vendor)
    for statement in statements:
        # The PostgreSQL driver reads "%" as a placeholder (format()'s %I must reach the server).
        schema_editor.execute(statement.replace("%", "%%") if vendor == "postgresql" else statement)


def _drop(schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, _column in WATCHED:
        for event in ("insert", "delete", "update", "truncate"):
            on = f" ON {table}" if postgres else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_change_{event}{on}")
    if postgres:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {CHANGE_TABLE}_log()")
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {CHANGE_TABLE}_prune")
    schema_editor.execute(f"DROP TABLE IF EXISTS {CHANGE_TABLE}")


def change_log_operation() -> RunPython:
    """The migration operation that creates (and on reverse drops) the change log."""

    def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _create(schema_editor)

    def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _drop(schema_editor)

    return RunPython(forward, backward)


@dataclass(frozen=True)
class Mark:
    """The last change an index has applied: its number and the stamp token it wrote."""

    seq: int
    token: str


@dataclass(frozen=True)
class Changes:
    """What happened after a process's mark."""

    mark: Mark  # the newest change seen (the same mark when nothing happened)
    organization_ids: frozenset[int] = frozenset()
    rebuild: bool = False  # too many, a TRUNCATE, pruned, or the mark was rolled back


def current_mark() -> Mark:
    """The newest change (read before a full build).

    The triggers write the stamp token and the log row together, so in one snapshot the
    stamp's token is the token of the newest row (or the initial token of an empty log).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {STAMP_TABLE} WHERE id = 1), "
            f"(SELECT max(seq) FROM {CHANGE_TABLE})"
        )
        token, seq = cursor.fetchone() or (None, None)
    return Mark(seq=int(seq or 0), token=str(token or ""))


def changes_after(mark: Mark) -> Changes:
    """The organizations changed after ``mark``: one query when nothing changed.

    The stamp token changes with every write and returns to its old value when a write rolls
    back. When it differs, the log from the mark on says which organizations to re-read; if
    the mark's own row is gone (rolled back after the index saw it, or pruned), rebuild.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {STAMP_TABLE} WHERE id = 1")
        row = cursor.fetchone()
        if row is not None and str(row[0]) == mark.token:
            return Changes(mark=mark)
        cursor.execute(
            f"SELECT seq, token, organization_id FROM {CHANGE_TABLE} "
            "WHERE seq >= %s ORDER BY seq LIMIT %s",
            [mark.seq, MAX_CHANGES + 2],
        )
        rows = cursor.fetchall()
    if mark.seq:
        if not rows or (int(rows[0][0]), str(rows[0][1])) != (mark.seq, mark.token):
            return Changes(mark=mark, rebuild=True)
        rows = rows[1:]
    if not rows:  # e.g. the stamp moved without a logged change: nothing to re-read
        return Changes(mark=mark, rebuild=True)
    newest = Mark(seq=int(rows[-1][0]), token=str(rows[-1][1]))
    ids = {row[2] for row in rows}
    if len(rows) > MAX_CHANGES or None in ids:
        return Changes(mark=newest, rebuild=True)
    return Changes(mark=newest, organization_ids=frozenset(int(pk) for pk in ids))
