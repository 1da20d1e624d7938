"""An exact in-memory index of the directory's filterable fields: facet counts and pages in O(N).

At 100,000 organizations, asking the database for the directory's facet counts costs one
grouped scan per facet (hub, type, stage, sector, technology, verified/stale) plus a
``COUNT(*)`` and an ordered scan for the page: seconds on a loaded machine. This index keeps,
per process, one row per organization in NumPy arrays (home hub, type, stage, profile
visibility, verification, last confirmation, position in each sort order) and one boolean
row per sector, technology and extra hub. A request then combines boolean masks: visibility
(the same rule as :meth:`Viewer.visibility_q`), filters, and the full-text matches the
database returns; counts are sums over the masks, so every number is exact.

Freshness: database triggers (see :func:`stamp_operation`) write a new random token into the
one-row table ``directory_index_stamp`` whenever an organization or its sectors,
technologies or extra hubs change (also bulk writes and imports). Every request reads the
token (one indexed single-row query) and rebuilds the index when it differs, so all web
processes see a write at their next request. A rolled-back write restores the old token
together with the old rows, so the token always names the data it was read with.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations import RunPython

from puente.core.text import word_count
from puente.directory.text_index import TextPostings

STAMP_TABLE = "directory_index_stamp"
ORGANIZATION_TABLE = "directory_organization"
# Tables whose writes change what the index holds.
WATCHED = (
    ORGANIZATION_TABLE,
    "directory_organization_sectors",
    "directory_organization_technologies",
    "directory_organization_other_hubs",
)
VISIBILITY_CODES = {"public": 0, "partner_hubs": 1, "members": 2, "private": 3}
NO_STAGE = -1


# --- schema ----------------------------------------------------------------------------------
def _create_stamp(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements: list[str] = []
    if vendor == "sqlite":
        statements.append(
            f"CREATE TABLE {STAMP_TABLE} (id integer PRIMARY KEY, token text NOT NULL)"
        )
        statements.append(
            f"INSERT INTO {STAMP_TABLE} (id, token) VALUES (1, lower(hex(randomblob(8))))"
        )
        bump = f"UPDATE {STAMP_TABLE} SET token = lower(hex(randomblob(8))) WHERE id = 1;"
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} BEGIN {bump} END"
                )
    elif vendor == "postgresql":
        statements.append(
            f"CREATE TABLE {STAMP_TABLE} (id integer PRIMARY KEY, token text NOT NULL)"
        )
        statements.append(f"INSERT INTO {STAMP_TABLE} (id, token) VALUES (1, md5(random()::text))")
        statements.append(
            f"CREATE FUNCTION {STAMP_TABLE}_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN UPDATE {STAMP_TABLE} SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1; RETURN NULL; END $$"
        )
        for table in WATCHED:
            statements.append(
                f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {STAMP_TABLE}_bump()"
            )
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(vendor)
    for statement in statements:
        schema_editor.execute(statement)


def _drop_stamp(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")
    else:
        for table in WATCHED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {STAMP_TABLE}_bump()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {STAMP_TABLE}")


def stamp_operation() -> RunPython:
    """The migration operation that creates (and on reverse drops) the stamp table and triggers."""

    def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _create_stamp(schema_editor)

    def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _drop_stamp(schema_editor)

    return RunPython(forward, backward)


# --- the index -------------------------------------------------------------------------------
@dataclass
class TermRows:
    """Which organizations carry each term (or hub) of a many-to-many relation."""

    term_ids: np.ndarray  # (T,) ids of the terms, ascending
    matrix: np.ndarray  # (T, N) booleans, row t = organizations carrying term_ids[t]

    def any_of(self, ids: set[int] | frozenset[int], size: int) -> np.ndarray:
        rows = np.flatnonzero(np.isin(self.term_ids, list(ids)))
        if len(rows) == 0:
            return np.zeros(size, dtype=bool)
        if len(rows) == 1:
            return self.matrix[rows[0]].copy()
        return np.logical_or.reduce(self.matrix[rows], axis=0)

    def counts(self, mask: np.ndarray) -> dict[int, int]:
        if not len(self.term_ids):
            return {}
        counts = np.count_nonzero(self.matrix & mask, axis=1)
        return {int(term): int(n) for term, n in zip(self.term_ids, counts, strict=True) if n}


def _term_rows(pairs: list[tuple[int, int]], positions: Any, size: int) -> TermRows:
    if not pairs:
        return TermRows(
            term_ids=np.zeros(0, dtype=np.int64), matrix=np.zeros((0, size), dtype=bool)
        )
    data = np.array(pairs, dtype=np.int64)
    term_ids, term_rows = np.unique(data[:, 1], return_inverse=True)
    matrix = np.zeros((len(term_ids), size), dtype=bool)
    matrix[term_rows, positions(data[:, 0])] = True
    return TermRows(term_ids=term_ids, matrix=matrix)


def one_of(values: np.ndarray, wanted: Any) -> np.ndarray:
    """``values`` is one of the few ``wanted`` values (cheaper than ``np.isin``'s sort)."""
    mask = np.zeros(len(values), dtype=bool)
    for value in wanted:
        mask |= values == value
    return mask


@dataclass
class Column:
    """A foreign-key column as compact codes, so counting per value is one ``bincount``."""

    values: np.ndarray  # (N,) the ids
    keys: np.ndarray  # (K,) the distinct ids, ascending
    codes: np.ndarray  # (N,) index of each row's id in ``keys``

    @classmethod
    def of(cls, values: np.ndarray) -> Column:
        keys, codes = np.unique(values, return_inverse=True)
        return cls(values=values, keys=keys, codes=codes.reshape(-1))

    def counts(self, mask: np.ndarray) -> dict[int, int]:
        counts = np.bincount(self.codes[mask], minlength=len(self.keys))
        return {int(self.keys[k]): int(counts[k]) for k in np.flatnonzero(counts)}


@dataclass
class DirectoryIndex:
    """The filterable fields of every organization; position i is the i-th by (name, id)."""

    token: str
    ids: np.ndarray
    hub: np.ndarray
    type: np.ndarray
    stage: np.ndarray
    visibility: np.ndarray
    verified: np.ndarray
    confirmed_us: np.ndarray
    recent_order: np.ndarray  # positions by (-created_at, -id)
    updated_order: np.ndarray  # positions by (-last_confirmed_at, -id)
    other_hubs: TermRows
    sectors: TermRows
    technologies: TermRows
    id_order: np.ndarray  # argsort of ids, to find positions of ids
    text: TextPostings  # the words of each organization's search_text, by position
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def positions(self, ids: Any) -> np.ndarray:
        """Positions of these ids (each must be indexed)."""
        return self.id_order[np.searchsorted(self.ids, ids, sorter=self.id_order)]

    def locate(self, ids: Any) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the indexed ones among ``ids``, and which of ``ids`` are indexed."""
        wanted = np.asarray(ids, dtype=np.int64)
        if not len(wanted) or not self.size:
            return np.zeros(0, dtype=np.int64), np.zeros(len(wanted), dtype=bool)
        found = np.minimum(np.searchsorted(self.ids, wanted, sorter=self.id_order), self.size - 1)
        positions = self.id_order[found]
        known = self.ids[positions] == wanted
        return positions[known], known

    def mask_of_ids(self, ids: Any) -> np.ndarray:
        """A mask of the indexed organizations among ``ids`` (unknown ids are ignored)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[self.locate(ids)[0]] = True
        return mask

    def in_hubs(self, hub_ids: set[int] | frozenset[int]) -> np.ndarray:
        """Home hub or presence in one of the hubs."""
        return one_of(self.hub, hub_ids) | self.other_hubs.any_of(hub_ids, self.size)

    def stale(self, cutoff_us: int) -> np.ndarray:
        return self.confirmed_us < cutoff_us

    def counts(self, column: str, mask: np.ndarray) -> dict[int, int]:
        """Rows of ``mask`` per value of ``column`` ("hub", "type" or "stage")."""
        if column not in self.columns:
            self.columns[column] = Column.of(getattr(self, column))
        return self.columns[column].counts(mask)


def _epoch_us(column: str) -> str:
    """SQL for a datetime column as integer microseconds since 1970 (UTC), exactly."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    # SQLite stores 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC): whole seconds, then the fraction.
    return (
        f"(CAST(strftime('%s', {column}) AS INTEGER) * 1000000 "
        f"+ CAST(substr({column} || '.000000', 21, 6) AS INTEGER))"
    )


def current_token() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {STAMP_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def build(token: str) -> DirectoryIndex:
    """Read the index from the database (read the token first: a later write forces a rebuild)."""
    visibility = " ".join(f"WHEN '{name}' THEN {code}" for name, code in VISIBILITY_CODES.items())
    with connection.cursor() as cursor:
        # Only integers, so no value goes through a Python datetime or string.
        cursor.execute(
            f"SELECT id, hub_id, type_id, COALESCE(stage_id, {NO_STAGE}), "
            f"CASE profile_visibility {visibility} ELSE {VISIBILITY_CODES['private']} END, "
            "CASE WHEN verification_status = 'verified' THEN 1 ELSE 0 END, "
            f"{_epoch_us('last_confirmed_at')}, {_epoch_us('created_at')} "
            f"FROM {ORGANIZATION_TABLE} ORDER BY name, id"
        )
        rows = cursor.fetchall()
        pairs = {}
        for table, column in (
            ("sectors", "taxonomyterm_id"),
            ("technologies", "taxonomyterm_id"),
            ("other_hubs", "hub_id"),
        ):
            cursor.execute(f"SELECT organization_id, {column} FROM {ORGANIZATION_TABLE}_{table}")
            pairs[table] = cursor.fetchall()
        cursor.execute(f"SELECT id, name, search_text FROM {ORGANIZATION_TABLE}")
        texts = cursor.fetchall()
    size = len(rows)
    data = np.array(rows, dtype=np.int64).reshape(size, 8)
    ids = np.ascontiguousarray(data[:, 0])
    confirmed = np.ascontiguousarray(data[:, 6])
    created = data[:, 7]
    empty = TermRows(np.zeros(0, dtype=np.int64), np.zeros((0, size), dtype=bool))
    index = DirectoryIndex(
        token=token,
        ids=ids,
        hub=np.ascontiguousarray(data[:, 1]),
        type=np.ascontiguousarray(data[:, 2]),
        stage=np.ascontiguousarray(data[:, 3]),
        visibility=data[:, 4].astype(np.int8),
        verified=data[:, 5].astype(bool),
        confirmed_us=confirmed,
        recent_order=np.lexsort((-ids, -created)),
        updated_order=np.lexsort((-ids, -confirmed)),
        other_hubs=empty,
        sectors=empty,
        technologies=empty,
        id_order=np.argsort(ids, kind="stable"),
        text=TextPostings.build([], [], [], size),
    )
    for name in ("sectors", "technologies", "other_hubs"):
        setattr(index, name, _term_rows(pairs[name], index.positions, size))
    index.text = _text_postings(index, texts)
    return index


def _text_postings(index: DirectoryIndex, rows: list[tuple[int, str, str]]) -> TextPostings:
    """Postings of every organization's ``search_text`` (its name's words come first)."""
    positions, found = index.locate([row[0] for row in rows])
    # A row inserted between the two reads is not in the index yet (the token changed with
    # it, so the next request rebuilds); one deleted in between simply has no words.
    kept = [row for row, ok in zip(rows, found, strict=True) if ok]
    return TextPostings.build(
        [row[2] or "" for row in kept],
        [word_count(row[1] or "") for row in kept],
        positions,
        index.size,
    )


_lock = threading.Lock()
_current: dict[str, DirectoryIndex] = {}


def directory_index() -> DirectoryIndex:
    """The index matching the database now (one query when nothing changed)."""
    token = current_token()
    key = connection.settings_dict["NAME"] or ""
    index = _current.get(key)
    if index is not None and index.token == token:
        return index
    with _lock:
        index = _current.get(key)
        if index is None or index.token != token:
            index = build(token)
            _current[key] = index
    return index


def forget() -> None:
    """Drop the process's index (the next request rebuilds it)."""
    _current.clear()


def visible_mask(index: DirectoryIndex, viewer: Any) -> np.ndarray:
    """Organizations whose profile the viewer may see: :meth:`Viewer.visibility_q` on the index.

    Keep both in step: ``tests/directory/test_facet_index.py`` compares them on every level.
    """
    if viewer.is_staff:
        return np.ones(index.size, dtype=bool)
    visible = index.visibility == VISIBILITY_CODES["public"]
    if viewer.managed_hub_ids:
        visible |= index.in_hubs(viewer.managed_hub_ids)
    if viewer.organization_ids:
        visible |= index.mask_of_ids(sorted(viewer.organization_ids))
    if viewer.network_hub_ids:
        visible |= (index.visibility == VISIBILITY_CODES["partner_hubs"]) & index.in_hubs(
            viewer.network_hub_ids
        )
    if viewer.member_hub_ids:
        visible |= (index.visibility == VISIBILITY_CODES["members"]) & index.in_hubs(
            viewer.member_hub_ids
        )
    return visible
