"""The demo seeder: a registry of steps that fill an empty database with a believable network.

Each step is a function registered with :func:`seed_step` in a module of this package listed in
``STEP_MODULES``; steps run in ``order``. A step gets a :class:`SeedContext` with its own
deterministic random generator (the same seed gives the same data, and adding a step does not
change what the others produce), the reference data, and ``shared`` for what earlier steps
created: ``shared["organizations"]`` (every organization), ``shared["partners"]`` (the
agreement's partners by key: ``ruta_n``, ``cic_miami``, ``aci``, ``procolombia``, ``um_ccs``).
Steps so far: directory (100), people (110), accounts (200), impact (400), spaces (450). Later features add their demo data as new steps:

    # puente/demo/seed/opportunities.py
    @seed_step("opportunities", order=300)
    def seed_opportunities(context: SeedContext) -> None: ...

and the module's name in ``STEP_MODULES``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.core.database import refresh_planner_statistics
from puente.core.models import Hub, TaxonomyTerm
from puente.core.reference_data import ensure_reference_data
from puente.matching.embeddings import embeddings_backfill

STEP_MODULES = [
    "puente.demo.seed.directory",
    "puente.demo.seed.people",
    "puente.demo.seed.accounts",
    "puente.demo.seed.events",
    "puente.demo.seed.impact",
    "puente.demo.seed.opportunities",
    "puente.demo.seed.spaces",
    "puente.demo.seed.landing",
]
SIZES = ("small", "full")
DEFAULT_SEED = 2026


class DemoRefused(Exception):
    """The database holds data the demo did not create; the demo will not touch it."""


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in printed at the end of ``puente demo``."""

    role: str
    email: str
    description: str


@dataclass
class SeedContext:
    """What a seed step works with."""

    seed: int
    size: str
    now: dt.datetime
    hubs: dict[str, Hub]
    terms: dict[tuple[str, str], TaxonomyTerm]
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)

    def random(self, step: str) -> random.Random:
        """A generator for one step: seeded by the demo seed and the step's name only."""
        return random.Random(f"puente-demo:{self.seed}:{step}")

    def term(self, vocabulary: str, code: str) -> TaxonomyTerm:
        return self.terms[(vocabulary, code)]

    @property
    def small(self) -> bool:
        return self.size == "small"


@dataclass(frozen=True)
class SeedStep:
    name: str
    order: int
    run: Callable[[SeedContext], None]


STEPS: dict[str, SeedStep] = {}


def seed_step(
    name: str, *, order: int
) -> Callable[[Callable[[SeedContext], None]], Callable[[SeedContext], None]]:
    """Register a seed step (a function taking the :class:`SeedContext`)."""

    def register(function: Callable[[SeedContext], None]) -> Callable[[SeedContext], None]:
        STEPS[name] = SeedStep(name=name, order=order, run=function)
        return function

    return register


def load_steps() -> list[SeedStep]:
    for module in STEP_MODULES:
        importlib.import_module(module)
    return sorted(STEPS.values(), key=lambda step: (step.order, step.name))


@dataclass
class DemoResult:
    """What ``seed_demo`` did."""

    seeded: bool
    seed: int
    size: str
    counts: dict[str, int]
    accounts: list[DemoAccount]
    seconds: float = 0.0


def seed_demo(*, seed: int = DEFAULT_SEED, size: str = "full", reset: bool = False) -> DemoResult:
    """Fill the database with the demo network, once.

    A database seeded before is left as it is (``seeded`` False), unless ``reset``, which
    empties it and seeds again, in one transaction. A database with data the demo did not
    create is refused.
    """
    from puente.demo.models import DemoSeed

    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}")
    started = time.perf_counter()
    previous = DemoSeed.objects.order_by("-created_at").first()
    if previous is not None and not reset:
        return DemoResult(
            seeded=False,
            seed=previous.seed,
            size=previous.size,
            counts=dict(previous.counts),
            accounts=demo_accounts(),
        )
    if not _is_demo_database(previous is not None):
        raise DemoRefused(
            _(
                "This database already holds data that the demo did not create, so the demo will not seed or reset it. Use an empty database (for example another DATABASE_URL)."
            )
        )
    with transaction.atomic():
        if reset:
            _empty_database()
        context = _context(seed, size)
        for step in load_steps():
            step.run(context)
        DemoSeed.objects.create(seed=seed, size=size, counts=context.counts)
    # The steps write profiles in bulk, past the services that schedule their embeddings:
    # compute them now, so the first page that matches does not wait for about 900 of them.
    embeddings_backfill()
    refresh_planner_statistics()
    _forget_caches()
    return DemoResult(
        seeded=True,
        seed=seed,
        size=size,
        counts=context.counts,
        accounts=context.accounts,
        seconds=time.perf_counter() - started,
    )


def _empty_database() -> None:
    """Delete every row but content types and permissions, inside the caller's transaction.

    Foreign keys are checked at commit, when no row refers to a deleted one any more; unlike
    ``flush`` (TRUNCATE on PostgreSQL) this also works inside an open transaction.
    """
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    keep = {ContentType._meta.db_table, Permission._meta.db_table}
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    with connection.cursor() as cursor:
        for table in dict.fromkeys(tables):
            if table not in keep:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _is_demo_database(seeded_before: bool) -> bool:
    from puente.accounts.models import User
    from puente.directory.models import Organization, Person

    if seeded_before:
        return True
    return not (Organization.objects.exists() or Person.objects.exists() or User.objects.exists())


def _context(seed: int, size: str) -> SeedContext:
    ensure_reference_data()
    return SeedContext(
        seed=seed,
        size=size,
        now=timezone.now().replace(microsecond=0),
        hubs={hub.slug: hub for hub in Hub.objects.all()},
        terms={(term.vocabulary, term.code): term for term in TaxonomyTerm.objects.all()},
    )


def _forget_caches() -> None:
    from django.core.cache import cache

    from puente.directory.selectors import taxonomy_changed

    taxonomy_changed()
    cache.clear()


def demo_accounts() -> list[DemoAccount]:
    """The demo's sign-ins (also when the database was seeded by an earlier run)."""
    from puente.demo.seed.accounts import accounts_in_database

    return accounts_in_database()
