"""Reads of the impact app: KPI values per period, hub and direction; the records behind a
KPI with visibility; exchange rates as of a date; indicators; the library's search."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from puente.accounts.viewer import Viewer
from puente.core.errors import PermissionDenied
from puente.core.models import Hub, HubPartnership
from puente.core.search import query_terms
from puente.core.text import words
from puente.impact.computation import (
    DISTINCT_ORGANIZATIONS,
    DISTINCT_PEOPLE,
    RATIO,
    KindTotal,
    KpiValue,
    Quarter,
    Rate,
    compute_kpi,
)
from puente.impact.kpis import KPIS, KpiDefinition
from puente.impact.models import (
    GUIDE_INDEX,
    ActivityRecord,
    ExchangeRate,
    Guide,
    Indicator,
    KpiTarget,
)

if TYPE_CHECKING:
    from puente.impact.network import NetworkMeasures

TREND_QUARTERS = 4


def reporting_currency() -> str:
    return getattr(settings, "IMPACT_REPORTING_CURRENCY", "USD")


@dataclass(frozen=True)
class Direction:
    """One way across a partnership, e.g. Medellín → Miami."""

    origin: Hub
    destination: Hub

    @property
    def code(self) -> str:
        return f"{self.origin.slug}-{self.destination.slug}"

    @property
    def label(self) -> str:
        return f"{self.origin.name} → {self.destination.name}"


def directions() -> list[Direction]:
    """Both ways of every partnership between active hubs (hubs are data, never hard-coded)."""
    found: list[Direction] = []
    for partnership in HubPartnership.objects.select_related("hub_a", "hub_b").order_by("id"):
        if partnership.hub_a.is_active and partnership.hub_b.is_active:
            found.append(Direction(partnership.hub_a, partnership.hub_b))
            found.append(Direction(partnership.hub_b, partnership.hub_a))
    return found


@dataclass(frozen=True)
class Scope:
    """Which activity a dashboard counts: one hub or the whole network, one direction or both."""

    hub: Hub | None = None
    direction: Direction | None = None

    def q(self) -> Q:
        condition = Q()
        if self.hub is not None:
            condition &= Q(hub_id=self.hub.pk)
        if self.direction is not None:
            condition &= Q(
                origin_hub_id=self.direction.origin.pk,
                destination_hub_id=self.direction.destination.pk,
            )
        return condition

    @property
    def params(self) -> dict[str, str]:
        params = {}
        if self.hub is not None:
            params["hub"] = self.hub.slug
        if self.direction is not None:
            params["direction"] = self.direction.code
        return params


def require_manager(viewer: Viewer) -> None:
    """The dashboard, drill-downs and funder reports are for hub managers and staff."""
    if not viewer.is_manager:
        raise PermissionDenied("Only hub managers can see the impact dashboard.")


def rates_as_of(day: dt.date) -> dict[str, Rate]:
    """The latest rate of every currency valid on ``day`` (the report states rate and date)."""
    rates: dict[str, Rate] = {}
    for row in ExchangeRate.objects.filter(valid_on__lte=day).order_by("currency", "-valid_on"):
        if row.currency not in rates:
            rates[row.currency] = Rate(row.currency, row.rate, row.valid_on, row.source)
    return rates


Totals = tuple[dict[int, list[KindTotal]], dict[int, dict[str, int]]]
TOTALS_CACHE_SECONDS = 600
VERSION_KEY = "impact:activity-version"


def activity_version() -> int:
    """Bumped by every write of activity (see ``services.activity_changed``)."""
    return int(cache.get_or_set(VERSION_KEY, 1) or 1)


def _query_totals(codes: list[int], scope: Scope) -> Totals:
    records = ActivityRecord.objects.filter(scope.q(), quarter__in=codes)
    totals: dict[int, list[KindTotal]] = defaultdict(list)
    for row in (
        records.order_by()
        .values("quarter", "kind", "currency")
        .annotate(records=Count("id"), quantity=Sum("quantity"))
    ):
        totals[row["quarter"]].append(
            KindTotal(row["kind"], row["records"], Decimal(row["quantity"] or 0), row["currency"])
        )
    distinct: dict[int, dict[str, int]] = defaultdict(dict)
    # Two queries rather than one, so each reads only its own covering index.
    for key, column in (("organizations", "organization"), ("people", "person")):
        counted = (
            records.filter(**{f"{column}__isnull": False})
            .order_by()
            .values("quarter")
            .annotate(n=Count(column, distinct=True))
        )
        for counts in counted:
            distinct[counts["quarter"]][key] = counts["n"]
    return totals, distinct


def _scope_key(scope: Scope) -> str:
    return "-".join(f"{k}={v}" for k, v in sorted(scope.params.items())) or "all"


def _totals(quarters: list[Quarter], scope: Scope) -> Totals:
    """Grouped totals per quarter; each (quarter, scope) is cached until the next write of
    activity, so the trend quarters shared by neighbouring dashboards are computed once."""
    version = activity_version()
    keys = {q.code: f"impact:totals:{version}:{_scope_key(scope)}:{q.code}" for q in quarters}
    cached = cache.get_many(list(keys.values()))
    totals: dict[int, list[KindTotal]] = defaultdict(list)
    distinct: dict[int, dict[str, int]] = defaultdict(dict)
    missing = [code for code, key in keys.items() if key not in cached]
    for code, key in keys.items():
        if key in cached:
            totals[code], distinct[code] = cached[key]
    if missing:
        fresh_totals, fresh_distinct = _query_totals(missing, scope)
        for code in missing:
            totals[code], distinct[code] = fresh_totals.get(code, []), fresh_distinct.get(code, {})
        cache.set_many(
            {keys[code]: (totals[code], distinct[code]) for code in missing}, TOTALS_CACHE_SECONDS
        )
    return totals, distinct


def _targets(quarters: list[Quarter], scope: Scope) -> dict[tuple[str, int], Decimal]:
    condition = Q(hub=scope.hub) if scope.hub is not None else Q(hub__isnull=True)
    if scope.direction is not None:
        condition &= Q(
            origin_hub=scope.direction.origin, destination_hub=scope.direction.destination
        )
    else:
        condition &= Q(origin_hub__isnull=True, destination_hub__isnull=True)
    years = {quarter.year for quarter in quarters}
    found: dict[tuple[str, int], Decimal] = {}
    for target in KpiTarget.objects.filter(condition, year__in=years):
        found[(target.kpi, target.quarter_code)] = target.value
    return found


@dataclass
class KpiRow:
    """One KPI on the dashboard: the selected quarter's value and the trend before it."""

    definition: KpiDefinition
    value: KpiValue
    trend: list[tuple[Quarter, Decimal | None]]


@dataclass
class Dashboard:
    quarter: Quarter
    scope: Scope
    rows: list[KpiRow]
    rates: dict[str, Rate]
    currency: str
    quarters: list[Quarter] = field(default_factory=list)

    def row(self, code: str) -> KpiRow:
        return next(row for row in self.rows if row.definition.code == code)


def kpi_dashboard(
    viewer: Viewer, *, quarter: Quarter, scope: Scope, trend: int = TREND_QUARTERS
) -> Dashboard:
    """Every KPI for ``quarter`` (and the ``trend`` quarters up to it) in ``scope``: two grouped
    queries over the activity table, one for targets, one for rates."""
    require_manager(viewer)
    return build_dashboard(quarter=quarter, scope=scope, trend=trend)


def build_dashboard(*, quarter: Quarter, scope: Scope, trend: int = TREND_QUARTERS) -> Dashboard:
    """The KPI values alone: aggregates without personal data (also the open-data export)."""
    quarters = quarter.trailing(trend)
    totals, distinct = _totals(quarters, scope)
    targets = _targets(quarters, scope)
    # A quarter still in progress is converted at the latest rate known today.
    rates = rates_as_of(min(quarter.last_day, timezone.localdate()))
    currency = reporting_currency()
    rows = []
    for definition in KPIS:
        values = {
            q: compute_kpi(
                definition.spec,
                totals.get(q.code, []),
                distinct=distinct.get(q.code, {}),
                rates=rates,
                reporting_currency=currency,
                target=targets.get((definition.code, q.code)),
            )
            for q in quarters
        }
        rows.append(KpiRow(definition, values[quarter], [(q, values[q].value) for q in quarters]))
    return Dashboard(
        quarter=quarter, scope=scope, rows=rows, rates=rates, currency=currency, quarters=quarters
    )


# --- drill-down ----------------------------------------------------------------------------
def _visible_name(viewer: Viewer, organization: Any) -> str | None:
    if organization is None:
        return None
    if viewer.can_see(
        organization.profile_visibility,
        hub_ids=[organization.hub_id],
        organization_ids=[organization.pk],
    ):
        return str(organization.name)
    return None


@dataclass(frozen=True)
class DrillRow:
    """One line behind a KPI: a record, or an organization with how many records it has."""

    local_date: dt.date | None
    kind_label: str
    organization: str | None
    organization_slug: str | None
    partner: str | None
    partner_slug: str | None
    hub: str
    direction: str
    quantity: Decimal
    currency: str
    evidence: str
    records: int = 1


def kpi_records(
    viewer: Viewer,
    definition: KpiDefinition,
    *,
    quarter: Quarter,
    scope: Scope,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[DrillRow], int]:
    """The records (or organizations) behind one KPI value; names of organizations the viewer
    may not see are withheld (the row still counts)."""
    require_manager(viewer)
    records = ActivityRecord.objects.filter(scope.q(), quarter=quarter.code)
    hubs = {hub.pk: hub for hub in Hub.objects.all()}
    if definition.spec.measure in (DISTINCT_ORGANIZATIONS, DISTINCT_PEOPLE):
        from puente.directory.models import Organization, Person

        key = "organization" if definition.spec.measure == DISTINCT_ORGANIZATIONS else "person"
        grouped = (
            records.exclude(**{f"{key}__isnull": True})
            .order_by()
            .values(key)
            .annotate(n=Count("id"))
        )
        total = grouped.count()
        page = list(grouped.order_by("-n", key)[offset : offset + limit])
        ids = [row[key] for row in page]
        rows = []
        if key == "organization":
            orgs = Organization.objects.in_bulk(ids)
            for row in page:
                org = orgs.get(row[key])
                name = _visible_name(viewer, org)
                rows.append(
                    DrillRow(
                        None,
                        "",
                        name,
                        org.slug if name and org else None,
                        None,
                        None,
                        hubs[org.hub_id].name if org else "",
                        "",
                        Decimal(row["n"]),
                        "",
                        "",
                        row["n"],
                    )
                )
        else:
            people = Person.objects.in_bulk(ids)
            for row in page:
                person = people.get(row[key])
                visible = person is not None and viewer.can_see(
                    person.profile_visibility, hub_ids=[person.hub_id]
                )
                rows.append(
                    DrillRow(
                        None,
                        "",
                        person.full_name if visible and person else None,
                        person.slug if visible and person else None,
                        None,
                        None,
                        hubs[person.hub_id].name if person else "",
                        "",
                        Decimal(row["n"]),
                        "",
                        "",
                        row["n"],
                    )
                )
        return rows, total
    kinds = list(definition.spec.kinds)
    if definition.spec.measure == RATIO:
        kinds += list(definition.spec.denominator_kinds)
    records = records.filter(kind__in=kinds)
    total = records.count()
    found = records.select_related("organization", "partner_organization").order_by(
        "-occurred_at", "-id"
    )[offset : offset + limit]
    rows = []
    for record in found:
        name = _visible_name(viewer, record.organization)
        partner = _visible_name(viewer, record.partner_organization)
        direction = ""
        if record.origin_hub_id and record.destination_hub_id:
            direction = (
                f"{hubs[record.origin_hub_id].name} → {hubs[record.destination_hub_id].name}"
            )
        rows.append(
            DrillRow(
                record.local_date, str(record.get_kind_display()), name,
                record.organization.slug if name and record.organization else None, partner,
                record.partner_organization.slug if partner and record.partner_organization else None,
                hubs[record.hub_id].name, direction, record.quantity, record.currency, record.evidence,
            )
        )  # fmt: skip
    return rows, total


# --- indicators ----------------------------------------------------------------------------
def indicators_with_values() -> list[Indicator]:
    return list(Indicator.objects.prefetch_related("values").order_by("code"))


# --- knowledge library ---------------------------------------------------------------------
def guides_search(
    query: str = "", *, hub: Hub | None = None, category: str = "", limit: int = 50
) -> list[Guide]:
    """Guides matching every word of ``query`` in either language; a guide whose title (in
    either language) is exactly the query comes first, then by full-text rank."""
    queryset: QuerySet[Guide] = Guide.objects.select_related("hub").prefetch_related("tags")
    if hub is not None:
        queryset = queryset.filter(Q(hub=hub) | Q(hub__isnull=True))
    if category:
        queryset = queryset.filter(category=category)
    if not (query or "").strip():
        return list(queryset.order_by("title_en", "id")[:limit])
    if not query_terms(query):
        return []
    matches = GUIDE_INDEX.ranked(queryset, query)
    ranked = list(matches.order_by("fts_rank", "id")[:limit])  # type: ignore[misc]
    wanted = " ".join(words(query))

    def exact_title(guide: Guide) -> bool:
        return wanted in (" ".join(words(guide.title_en)), " ".join(words(guide.title_es)))

    return sorted(ranked, key=lambda guide: 0 if exact_title(guide) else 1)


def guide_by_slug(slug: str) -> Guide:
    guide = (
        Guide.objects.select_related("hub")
        .prefetch_related("tags", "attachments")
        .filter(slug=slug)
        .first()
    )
    if guide is None:
        raise Http404("guide")
    return guide


# --- network of ties -----------------------------------------------------------------------
TIE_KINDS = ("introduction_accepted", "meeting_held", "company_landed", "program_participation")
NETWORK_QUARTERS = 8
ISOLATED_SHOWN = 20
HUB_LOOKUP_BY_SCAN = 5000


@dataclass
class NetworkView:
    measures: NetworkMeasures
    svg: str
    brokers: list[tuple[str, str | None, float]]  # (name, slug, betweenness)
    isolated_count: int
    isolated_sample: list[tuple[str, str | None]]


def tie_rows(
    records: QuerySet[ActivityRecord],
) -> QuerySet[ActivityRecord, tuple[int, int, int]]:
    """The distinct (organization, partner, quarter) ties among ``records``, read from the
    partial index ``activity_ties_idx`` alone."""
    return (
        records.filter(
            kind__in=TIE_KINDS, partner_organization__isnull=False, organization__isnull=False
        )
        .order_by()
        .values_list("organization_id", "partner_organization_id", "quarter")
        .distinct()
    )


def _hubs_of(ids: set[int]) -> dict[int, int]:
    """The hub of each organization in ``ids``. Past ``HUB_LOOKUP_BY_SCAN`` ids, every
    organization's hub is read and filtered here: binding a long ``IN`` list costs more
    (94,000 ids: 0.47 s against 0.07 s for 100,000 rows)."""
    from puente.directory.models import Organization

    if len(ids) <= HUB_LOOKUP_BY_SCAN:
        return dict(Organization.objects.filter(pk__in=ids).values_list("id", "hub_id"))
    rows = Organization.objects.order_by().values_list("id", "hub_id")
    return {pk: hub for pk, hub in rows.iterator(chunk_size=10_000) if pk in ids}


def _network_measures(
    quarter: Quarter, scope: Scope
) -> tuple[NetworkMeasures, dict[int, tuple[float, float]]]:
    """The measures and the drawing's layout of the ties up to ``quarter`` in ``scope``. The
    same for every viewer (names are applied after), so they are cached like the KPI totals:
    until the next write of activity, at most ``TOTALS_CACHE_SECONDS``."""
    from puente.impact.network import Tie, layout, measure

    key = f"impact:network:{activity_version()}:{_scope_key(scope)}:{quarter.code}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    codes = [q.code for q in quarter.trailing(NETWORK_QUARTERS)]
    base = ActivityRecord.objects.filter(scope.q(), quarter__in=codes)
    ties = [Tie(a, b, q) for a, b, q in tie_rows(base)]
    candidates = set(
        base.filter(quarter=quarter.code, organization__isnull=False)
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )
    ids = {tie.a for tie in ties} | {tie.b for tie in ties} | candidates
    hub_of = _hubs_of(ids)
    result = measure(ties, hub_of, candidates=candidates)
    positions = layout(result.graph)
    # Only the drawn part of the graph is kept: the whole one can be hundreds of thousands of
    # ties, slow to store in the cache and to read back.
    drawn = replace(result, graph=result.graph.subgraph(positions).copy())
    computed = (drawn, positions)
    cache.set(key, computed, TOTALS_CACHE_SECONDS)
    return computed


def network_overview(viewer: Viewer, *, quarter: Quarter, scope: Scope, title: str) -> NetworkView:
    """The ties recorded in the ``NETWORK_QUARTERS`` quarters up to ``quarter`` in ``scope``,
    named as ``viewer`` may see them."""
    from puente.directory.models import Organization
    from puente.impact.network import network_svg

    require_manager(viewer)
    result, positions = _network_measures(quarter, scope)
    shown = (
        set(positions)
        | {pk for pk, _score in result.brokers}
        | set(result.isolated[:ISOLATED_SHOWN])
    )
    organizations = {
        org.pk: org
        for org in Organization.objects.filter(pk__in=shown).only(
            "id", "name", "slug", "hub_id", "profile_visibility"
        )
    }
    names: dict[int, str] = {}
    links: dict[int, str] = {}
    for pk, org in organizations.items():
        name = _visible_name(viewer, org)
        if name:
            names[pk] = name
            links[pk] = reverse("directory:organization", kwargs={"slug": org.slug})
    hub_colors = {hub.pk: hub.color for hub in Hub.objects.all()}
    svg = network_svg(
        result.graph, positions, names=names, links=links, hub_colors=hub_colors, title=title
    )
    brokers = [
        (names.get(pk, "—"), organizations[pk].slug if pk in names else None, score)
        for pk, score in result.brokers
    ]
    isolated_sample = [
        (names.get(pk, "—"), organizations[pk].slug if pk in names else None)
        for pk in result.isolated[:ISOLATED_SHOWN]
    ]
    return NetworkView(result, svg, brokers, len(result.isolated), isolated_sample)


# --- managers' pages: targets and manual figures ----------------------------------------------
def hubs_managed_by(viewer: Viewer) -> list[Hub]:
    """The hubs a manager may set targets and enter figures for (every active hub for staff)."""
    hubs = Hub.objects.filter(is_active=True).order_by("name_en")
    if not viewer.is_staff:
        hubs = hubs.filter(pk__in=viewer.managed_hub_ids)
    return list(hubs)


def kpi_targets_for(viewer: Viewer, *, quarter: Quarter) -> list[KpiTarget]:
    """The targets of ``quarter`` a manager may see: those of the hubs they manage and the
    network's joint targets (all of them for staff)."""
    require_manager(viewer)
    targets = KpiTarget.objects.filter(year=quarter.year, quarter=quarter.number).select_related(
        "hub", "origin_hub", "destination_hub", "set_by"
    )
    if not viewer.is_staff:
        targets = targets.filter(Q(hub__isnull=True) | Q(hub_id__in=viewer.managed_hub_ids))
    return list(targets.order_by("kpi", "hub__name_en", "id"))


def manual_figures_for(viewer: Viewer, *, limit: int = 50) -> list[ActivityRecord]:
    """The latest figures entered by hand in the hubs a manager manages (all for staff)."""
    require_manager(viewer)
    records = ActivityRecord.objects.filter(source_type="manual").select_related(
        "hub", "recorded_by"
    )
    if not viewer.is_staff:
        records = records.filter(hub_id__in=viewer.managed_hub_ids)
    return list(records.order_by("-recorded_at", "-id")[:limit])


def manual_figure_for(viewer: Viewer, pk: int) -> ActivityRecord:
    """One figure entered by hand, for a manager of its hub; the same 404 otherwise."""
    record = ActivityRecord.objects.filter(pk=pk, source_type="manual").first()
    if record is None or not viewer.manages_any([record.hub_id]):
        raise Http404("figure")
    return record
