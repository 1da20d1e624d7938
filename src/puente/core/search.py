"""Full-text search over a table's folded ``search_text`` column, per database.

SQLite (embedded mode) uses an FTS5 external-content table kept current by triggers;
PostgreSQL uses a generated ``tsvector`` column with a GIN index. Both index accent-folded,
lower-cased words (see :func:`puente.core.text.search_document`) with the language-neutral
``simple`` configuration, so a Spanish word matches whatever its accents, and every query term
matches as a prefix ("agri" finds "agritech").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from puente.core.text import words

M = TypeVar("M", bound=Model)

MAX_QUERY_TERMS = 12
MAX_TERM_LENGTH = 40


def query_terms(query: str) -> list[str]:
    """The folded words of a user query, bounded so no query can be made expensive."""
    terms: list[str] = []
    for word in words(query or ""):
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
        if len(terms) == MAX_QUERY_TERMS:
            break
    return terms


@dataclass(frozen=True)
class FullTextIndex:
    """A full-text index on ``table.column`` (rowid = the table's integer ``id``)."""

    table: str
    column: str = "search_text"

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    # --- schema ---------------------------------------------------------------------------
    def _create(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        t, c, f = self.table, self.column, self.fts_table
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            statements = [
                f"CREATE VIRTUAL TABLE {f} USING fts5({c}, content='{t}', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')",
                f"CREATE TRIGGER {f}_ai AFTER INSERT ON {t} BEGIN "
                f"INSERT INTO {f}(rowid, {c}) VALUES (new.id, new.{c}); END",
                f"CREATE TRIGGER {f}_ad AFTER DELETE ON {t} BEGIN "
                f"INSERT INTO {f}({f}, rowid, {c}) VALUES ('delete', old.id, old.{c}); END",
                f"CREATE TRIGGER {f}_au AFTER UPDATE OF {c} ON {t} BEGIN "
                f"INSERT INTO {f}({f}, rowid, {c}) VALUES ('delete', old.id, old.{c}); "
                f"INSERT INTO {f}(rowid, {c}) VALUES (new.id, new.{c}); END",
                f"INSERT INTO {f}({f}) VALUES ('rebuild')",
            ]
        elif vendor == "postgresql":
            statements = [
                f"ALTER TABLE {t} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('simple', coalesce({c}, ''))) STORED",
                f"CREATE INDEX {t}_search_gin ON {t} USING gin (search_vector)",
            ]
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise NotImplementedError(vendor)
        for statement in statements:
            schema_editor.execute(statement)

    def _drop(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        t, f = self.table, self.fts_table
        if schema_editor.connection.vendor == "sqlite":
            for statement in (
                f"DROP TRIGGER IF EXISTS {f}_ai",
                f"DROP TRIGGER IF EXISTS {f}_ad",
                f"DROP TRIGGER IF EXISTS {f}_au",
                f"DROP TABLE IF EXISTS {f}",
            ):
                schema_editor.execute(statement)
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {t}_search_gin")
            schema_editor.execute(f"ALTER TABLE {t} DROP COLUMN IF EXISTS search_vector")

    def migration_operation(self) -> migrations.RunPython:
        """The migration operation that creates (and on reverse drops) this index."""

        def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            self._create(schema_editor)

        def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            self._drop(schema_editor)

        return migrations.RunPython(forward, backward)

    # --- queries --------------------------------------------------------------------------
    def _match(self, terms: list[str]) -> tuple[str, str]:
        if connection.vendor == "sqlite":
            return "sqlite", " AND ".join(f'"{term}"*' for term in terms)
        return "postgresql", " & ".join(f"{term}:*" for term in terms)

    def filter(self, queryset: QuerySet[M], query: str) -> QuerySet[M]:
        """Keep the rows matching every term of ``query`` (safe to use inside subqueries).

        A query without words (only punctuation or emoji) matches nothing.
        """
        terms = query_terms(query)
        if not terms:
            return queryset.none()
        vendor, match = self._match(terms)
        if vendor == "sqlite":
            ids = RawSQL(
                f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s", [match]
            )
        else:
            ids = RawSQL(
                f"SELECT id FROM {self.table} WHERE search_vector @@ to_tsquery('simple', %s)",
                [match],
            )
        return queryset.filter(id__in=ids)

    def ranked(self, queryset: QuerySet[M], query: str) -> QuerySet[M]:
        """Like :meth:`filter`, and annotate ``fts_rank`` (lower is better) for ordering.

        Use it for the top-level listing query only, not inside subqueries or grouped counts.
        """
        terms = query_terms(query)
        if not terms:
            return queryset.none()
        vendor, match = self._match(terms)
        if vendor == "sqlite":
            return queryset.extra(
                tables=[self.fts_table],
                where=[f"{self.fts_table}.rowid = {self.table}.id", f"{self.fts_table} MATCH %s"],
                params=[match],
                select={"fts_rank": f"{self.fts_table}.rank"},
            )
        return queryset.extra(
            where=[f"{self.table}.search_vector @@ to_tsquery('simple', %s)"],
            params=[match],
            select={"fts_rank": f"-ts_rank({self.table}.search_vector, to_tsquery('simple', %s))"},
            select_params=[match],
        )
