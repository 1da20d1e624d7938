"""An exact in-memory index of the directory's filterable fields: facet counts and pages in O(N).

At 100,000 organizations, asking the database for the directory's facet counts costs one
grouped scan per facet (hub, type, stage, sector, technology, verified/stale) plus a
``COUNT(*)`` and an ordered scan for the page: seconds on a loaded machine. This index keeps,
per process, one slot per organization in NumPy arrays (home hub, type, stage, profile
visibility, verification, last confirmation, creation) with the slots in each sort order,
one boolean row per sector, technology and extra hub, and the words of every organization
(``text_index``). A request combines boolean masks: visibility (the same rule as
:meth:`Viewer.visibility_q`), filters, and the text matches; counts are sums over the
masks, so every number is exact.

Freshness: database triggers log the id of every organization written (``index_changes``).
Each request asks for the changes after the last one the process applied (one indexed
query); when there are some, the process re-reads only those organizations and the name
order (``refreshed``), and rebuilds everything only after a bulk write. The first index of
a process is a full build.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations import RunPython

from puente.core.text import word_count
from puente.directory import index_changes
from puente.directory.text_index import TextIndex

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


def _drop_stamp_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")
    else:
        for table in WATCHED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {STAMP_TABLE}_bump()")


def _drop_stamp(schema_editor: BaseDatabaseSchemaEditor) -> None:
    _drop_stamp_triggers(schema_editor)
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
    matrix: np.ndarray  # (T, N) booleans, row t = slots carrying term_ids[t]

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

    def updated(
        self, slots: np.ndarray, pairs: list[tuple[int, int]], slot_of: dict[int, int], size: int
    ) -> TermRows:
        """A copy over ``size`` slots where ``slots`` carry exactly the terms of ``pairs``."""
        term_ids = np.union1d(
            self.term_ids, np.array([term for _org, term in pairs], dtype=np.int64)
        )
        matrix = np.zeros((len(term_ids), size), dtype=bool)
        if len(self.term_ids):
            matrix[np.searchsorted(term_ids, self.term_ids), : self.matrix.shape[1]] = self.matrix
        matrix[:, slots] = False
        if pairs:
            data = np.array(pairs, dtype=np.int64)
            matrix[
                np.searchsorted(term_ids, data[:, 1]), [slot_of[int(pk)] for pk in data[:, 0]]
            ] = True
        return TermRows(term_ids=term_ids, matrix=matrix)


def _term_rows(pairs: list[tuple[int, int]], slots: Any, size: int) -> TermRows:
    if not pairs:
        return TermRows(
            term_ids=np.zeros(0, dtype=np.int64), matrix=np.zeros((0, size), dtype=bool)
        )
    data = np.array(pairs, dtype=np.int64)
    term_ids, term_rows = np.unique(data[:, 1], return_inverse=True)
    matrix = np.zeros((len(term_ids), size), dtype=bool)
    matrix[term_rows, slots(data[:, 0])] = True
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


# The scalar columns of a slot, in the order the queries read them.
SCALARS = ("hub", "type", "stage", "visibility", "verified", "confirmed_us", "created_us")
TERM_TABLES = (
    ("sectors", "taxonomyterm_id"),
    ("technologies", "taxonomyterm_id"),
    ("other_hubs", "hub_id"),
)


@dataclass
class DirectoryIndex:
    """The filterable fields of every organization, one slot each.

    A full build numbers the slots in (name, id) order; a refresh overwrites the slots of
    changed organizations, appends new ones and marks deleted ones dead, so the orders are
    kept as arrays of slots (``name_order`` read from the database, collation included).
    """

    mark: index_changes.Mark  # the last change applied
    ids: np.ndarray  # (N,) organization id of each slot
    alive: np.ndarray  # (N,) bool: the slot's organization exists
    hub: np.ndarray
    type: np.ndarray
    stage: np.ndarray
    visibility: np.ndarray
    verified: np.ndarray
    confirmed_us: np.ndarray
    created_us: np.ndarray
    name_order: np.ndarray  # live slots by (name, id)
    name_rank: np.ndarray  # (N,) place of each slot in name_order
    recent_order: np.ndarray  # live slots by (-created_at, -id)
    updated_order: np.ndarray  # live slots by (-last_confirmed_at, -id)
    other_hubs: TermRows
    sectors: TermRows
    technologies: TermRows
    lookup_ids: np.ndarray  # live ids, ascending
    lookup_slots: np.ndarray  # their slots
    text: TextIndex  # the words of each slot's search_text
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def locate(self, ids: Any) -> tuple[np.ndarray, np.ndarray]:
        """Slots of the indexed ones among ``ids``, and which of ``ids`` are indexed."""
        wanted = np.asarray(ids, dtype=np.int64)
        if not len(wanted) or not len(self.lookup_ids):
            return np.zeros(0, dtype=np.int64), np.zeros(len(wanted), dtype=bool)
        found = np.minimum(np.searchsorted(self.lookup_ids, wanted), len(self.lookup_ids) - 1)
        known = self.lookup_ids[found] == wanted
        return self.lookup_slots[found[known]], known

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
    # strftime gets the seconds alone: given the fraction it rounds to milliseconds first,
    # so '...:01.9997' would count as second 02 (and sort after '...:02.0005').
    return (
        f"(CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000000 "
        f"+ CAST(substr({column} || '.000000', 21, 6) AS INTEGER))"
    )


def _scalar_sql() -> str:
    """id and the SCALARS, as integers only (no value goes through a datetime or string)."""
    visibility = " ".join(f"WHEN '{name}' THEN {code}" for name, code in VISIBILITY_CODES.items())
    return (
        f"SELECT id, hub_id, type_id, COALESCE(stage_id, {NO_STAGE}), "
        f"CASE profile_visibility {visibility} ELSE {VISIBILITY_CODES['private']} END, "
        "CASE WHEN verification_status = 'verified' THEN 1 ELSE 0 END, "
        f"{_epoch_us('last_confirmed_at')}, {_epoch_us('created_at')} "
        f"FROM {ORGANIZATION_TABLE}"
    )


def _orders(
    ids: np.ndarray, alive: np.ndarray, confirmed: np.ndarray, created: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    live = np.flatnonzero(alive)
    recent = live[np.lexsort((-ids[live], -created[live]))]
    updated = live[np.lexsort((-ids[live], -confirmed[live]))]
    return recent, updated


# Up to this many changed slots, move each in the date orders by binary search (a few
# Python calls each) instead of sorting 100,000 slots again (~25 ms per order).
REORDER_ONE_BY_ONE = 64


def _reordered(
    order: np.ndarray, touched: np.ndarray, alive: np.ndarray, ids: np.ndarray, when: np.ndarray
) -> np.ndarray:
    """``order`` (slots by (-when, -id)) with the touched slots taken out and put back in place."""
    kept = order[~np.isin(order, touched)]
    moving = [int(slot) for slot in touched if alive[slot]]
    if not moving:
        return kept

    def key(slot: Any) -> tuple[int, int]:
        return (-int(when[slot]), -int(ids[slot]))

    moving.sort(key=key)
    places = [bisect_left(kept, key(slot), key=key) for slot in moving]
    return np.insert(kept, places, moving)


def _lookup(ids: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    live = np.flatnonzero(alive)
    order = np.argsort(ids[live], kind="stable")
    return ids[live][order], live[order]


def build(mark: index_changes.Mark) -> DirectoryIndex:
    """Read the whole index (read ``mark`` first: a later write is applied again next time)."""
    with connection.cursor() as cursor:
        cursor.execute(_scalar_sql() + " ORDER BY sort_name, id")
        rows = cursor.fetchall()
        pairs = {}
        for table, column in TERM_TABLES:
            cursor.execute(f"SELECT organization_id, {column} FROM {ORGANIZATION_TABLE}_{table}")
            pairs[table] = cursor.fetchall()
        cursor.execute(f"SELECT id, name, search_text FROM {ORGANIZATION_TABLE}")
        texts = cursor.fetchall()
    size = len(rows)
    data = np.array(rows, dtype=np.int64).reshape(size, 8)
    ids = np.ascontiguousarray(data[:, 0])
    alive = np.ones(size, dtype=bool)
    confirmed = np.ascontiguousarray(data[:, 6])
    created = np.ascontiguousarray(data[:, 7])
    recent, updated = _orders(ids, alive, confirmed, created)
    lookup_ids, lookup_slots = _lookup(ids, alive)
    empty = TermRows(np.zeros(0, dtype=np.int64), np.zeros((0, size), dtype=bool))
    index = DirectoryIndex(
        mark=mark,
        ids=ids,
        alive=alive,
        hub=np.ascontiguousarray(data[:, 1]),
        type=np.ascontiguousarray(data[:, 2]),
        stage=np.ascontiguousarray(data[:, 3]),
        visibility=data[:, 4].astype(np.int8),
        verified=data[:, 5].astype(bool),
        confirmed_us=confirmed,
        created_us=created,
        name_order=np.arange(size),
        name_rank=np.arange(size),
        recent_order=recent,
        updated_order=updated,
        other_hubs=empty,
        sectors=empty,
        technologies=empty,
        lookup_ids=lookup_ids,
        lookup_slots=lookup_slots,
        text=TextIndex.build([], [], [], size),
    )
    for name, _column in TERM_TABLES:
        setattr(index, name, _term_rows(pairs[name], lambda pks: index.locate(pks)[0], size))
    slots, found = index.locate([row[0] for row in texts])
    # A row inserted between the reads is not indexed yet (its change is applied next time);
    # one deleted in between simply has no words.
    kept = [row for row, ok in zip(texts, found, strict=True) if ok]
    index.text = TextIndex.build(
        [row[2] or "" for row in kept], [word_count(row[1] or "") for row in kept], slots, size
    )
    return index


class StaleRead(Exception):
    """The database changed between the reads of a refresh: build from scratch instead."""


def _chunks(values: list[int], size: int = 400) -> list[list[int]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def refreshed(
    index: DirectoryIndex, organization_ids: frozenset[int], mark: index_changes.Mark
) -> DirectoryIndex:
    """A new index with these organizations re-read (the old one stays valid for other threads)."""
    changed = sorted(organization_ids)
    rows: list[tuple[Any, ...]] = []
    texts: list[tuple[Any, ...]] = []
    pairs: dict[str, list[tuple[int, int]]] = {name: [] for name, _column in TERM_TABLES}
    with connection.cursor() as cursor:
        for chunk in _chunks(changed):
            # Integers written inline: with parameters, the SQLite backend would also rewrite
            # the '%s' of strftime in _scalar_sql.
            marks = ", ".join(str(int(pk)) for pk in chunk)
            cursor.execute(_scalar_sql() + f" WHERE id IN ({marks})")
            rows += cursor.fetchall()
            for table, column in TERM_TABLES:
                cursor.execute(
                    f"SELECT organization_id, {column} FROM {ORGANIZATION_TABLE}_{table} "
                    f"WHERE organization_id IN ({marks})"
                )
                pairs[table] += cursor.fetchall()
            cursor.execute(
                f"SELECT id, name, search_text FROM {ORGANIZATION_TABLE} WHERE id IN ({marks})"
            )
            texts += cursor.fetchall()
        cursor.execute(f"SELECT id FROM {ORGANIZATION_TABLE} ORDER BY sort_name, id")
        ordered = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
    present = {int(row[0]): row for row in rows}
    old_slots, known = index.locate(changed)
    slot_of = {pk: int(slot) for pk, slot in zip(np.array(changed)[known], old_slots, strict=True)}
    new_ids = [pk for pk in changed if pk in present and pk not in slot_of]
    size = index.size + len(new_ids)
    for number, pk in enumerate(new_ids):
        slot_of[pk] = index.size + number

    def grown(values: np.ndarray) -> np.ndarray:
        return np.concatenate([values, np.zeros(len(new_ids), dtype=values.dtype)])

    ids = np.concatenate([index.ids, np.array(new_ids, dtype=np.int64)])
    alive = np.concatenate([index.alive, np.ones(len(new_ids), dtype=bool)])
    columns = {name: grown(getattr(index, name)) for name in SCALARS}
    for pk in changed:
        if pk in slot_of and pk not in present:
            alive[slot_of[pk]] = False  # deleted
    if rows:
        data = np.array(rows, dtype=np.int64).reshape(len(rows), 8)
        slots = np.array([slot_of[int(pk)] for pk in data[:, 0]])
        for number, name in enumerate(SCALARS, start=1):
            columns[name][slots] = data[:, number].astype(columns[name].dtype)
    touched = np.array(sorted(slot_of.values()), dtype=np.int64)
    lookup_ids, lookup_slots = _lookup(ids, alive)
    if len(ordered) != len(lookup_ids) or not np.array_equal(np.sort(ordered), lookup_ids):
        raise StaleRead
    name_order = lookup_slots[np.searchsorted(lookup_ids, ordered)]
    name_rank = np.full(size, size, dtype=np.int64)
    name_rank[name_order] = np.arange(len(name_order))
    if len(touched) <= REORDER_ONE_BY_ONE:
        recent = _reordered(index.recent_order, touched, alive, ids, columns["created_us"])
        updated = _reordered(index.updated_order, touched, alive, ids, columns["confirmed_us"])
    else:
        recent, updated = _orders(ids, alive, columns["confirmed_us"], columns["created_us"])
    text_rows = {int(row[0]): row for row in texts}
    text_changes: dict[int, tuple[str, int] | None] = {}
    for pk, slot in slot_of.items():
        row = text_rows.get(pk)
        text_changes[slot] = (
            (row[2] or "", word_count(row[1] or "")) if row and alive[slot] else None
        )
    terms = {
        name: getattr(index, name).updated(
            touched, [(pk, term) for pk, term in pairs[name] if pk in slot_of], slot_of, size
        )
        for name, _column in TERM_TABLES
    }
    return replace(
        index,
        mark=mark,
        ids=ids,
        alive=alive,
        hub=columns["hub"],
        type=columns["type"],
        stage=columns["stage"],
        visibility=columns["visibility"],
        verified=columns["verified"],
        confirmed_us=columns["confirmed_us"],
        created_us=columns["created_us"],
        name_order=name_order,
        name_rank=name_rank,
        recent_order=recent,
        updated_order=updated,
        other_hubs=terms["other_hubs"],
        sectors=terms["sectors"],
        technologies=terms["technologies"],
        lookup_ids=lookup_ids,
        lookup_slots=lookup_slots,
        text=index.text.updated(text_changes, size, alive),
        columns={},
    )


# Rebuild from scratch once this many organizations changed since the last full build (the
# text index keeps changed documents apart; a full build packs them again).
COMPACT_AFTER = 5_000

_lock = threading.Lock()
_current: dict[str, DirectoryIndex] = {}


def _fresh(index: DirectoryIndex | None) -> DirectoryIndex:
    if index is not None:
        changes = index_changes.changes_after(index.mark)
        if not changes.rebuild and not changes.organization_ids:
            return index
        if (
            not changes.rebuild
            and len(index.text.changed) + len(changes.organization_ids) <= COMPACT_AFTER
        ):
            try:
                return refreshed(index, changes.organization_ids, changes.mark)
            except StaleRead:
                pass
    return build(index_changes.current_mark())


def directory_index() -> DirectoryIndex:
    """The index matching the database now (one query when nothing changed)."""
    key = connection.settings_dict["NAME"] or ""
    index = _current.get(key)
    if index is not None:
        changes = index_changes.changes_after(index.mark)
        if not changes.rebuild and not changes.organization_ids:
            return index
    with _lock:
        index = _fresh(_current.get(key))
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
        return index.alive.copy()
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
    return visible & index.alive
