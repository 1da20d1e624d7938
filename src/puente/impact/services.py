"""Every write of the impact app: activity facts, manual figures, targets, rates, indicators,
guides; and the adapters that turn existing directory and introduction data into facts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.models import Hub, TaxonomyTerm
from puente.core.text import search_document
from puente.directory.models import Organization, Person
from puente.impact.models import (
    ActivityKind,
    ActivityRecord,
    ExchangeRate,
    Guide,
    GuideAttachment,
    Indicator,
    IndicatorValue,
    KpiTarget,
    quarter_code,
)

_CURRENCY = re.compile(r"^[A-Z]{3}$")
MANUAL_KINDS = (
    ActivityKind.COMPANY_LANDED,
    ActivityKind.JOBS_CREATED,
    ActivityKind.INVESTMENT,
    ActivityKind.EVENT_HELD,
    ActivityKind.EVENT_ATTENDANCE,
    ActivityKind.MENTORING_HOURS,
    ActivityKind.MEETING_HELD,
)


def activity_changed() -> None:
    """Make cached KPI totals stale (they are keyed by this version): now, and again after
    the commit, so nothing computed while the transaction was open survives it."""
    from django.core.cache import cache

    from puente.impact.selectors import VERSION_KEY

    def bump() -> None:
        if not cache.add(VERSION_KEY, 2):
            try:
                cache.incr(VERSION_KEY)
            except ValueError:
                cache.set(VERSION_KEY, 2)

    bump()
    transaction.on_commit(bump)


def _direction(
    hub: Hub, organization: Organization | None, partner: Organization | None
) -> tuple[int | None, int | None]:
    """Which way a fact crosses the network: from the organization's home hub to the partner's
    hub, or to the hub where it happened; (None, None) when it stays inside one hub."""
    if organization is None:
        return None, None
    if partner is not None and partner.hub_id != organization.hub_id:
        return organization.hub_id, partner.hub_id
    if organization.hub_id != hub.pk:
        return organization.hub_id, hub.pk
    return None, None


def _check_fact(kind: str, occurred_at: dt.datetime, quantity: Decimal, currency: str) -> None:
    if kind not in ActivityKind.values:
        raise ValidationFailed(_("Unknown kind of activity."), code="invalid_kind", field="kind")
    if timezone.is_naive(occurred_at):
        raise ValidationFailed(
            _("The moment of an activity needs a time zone."),
            code="naive_time",
            field="occurred_at",
        )
    if quantity < 0:
        raise ValidationFailed(
            _("A quantity cannot be negative."), code="negative", field="quantity"
        )
    if currency and not _CURRENCY.match(currency):
        raise ValidationFailed(
            _("Enter a three-letter currency code such as COP or USD."),
            code="invalid_currency",
            field="currency",
        )
    if kind == ActivityKind.INVESTMENT and not currency:
        raise ValidationFailed(
            _("An investment needs its currency."), code="currency_required", field="currency"
        )


def _build(
    *,
    kind: str,
    occurred_at: dt.datetime,
    hub: Hub,
    organization: Organization | None,
    partner_organization: Organization | None,
    person: Person | None,
    origin_hub: Hub | None,
    destination_hub: Hub | None,
    quantity: Decimal | int,
    currency: str,
    source_type: str,
    source_id: str,
    evidence: str = "",
    actor: Any = None,
) -> ActivityRecord:
    quantity = Decimal(quantity)
    currency = (currency or "").upper()
    _check_fact(kind, occurred_at, quantity, currency)
    local_date = occurred_at.astimezone(hub.zone).date()
    if origin_hub is None and destination_hub is None:
        origin_id, destination_id = _direction(hub, organization, partner_organization)
    else:
        origin_id = origin_hub.pk if origin_hub else None
        destination_id = destination_hub.pk if destination_hub else None
    return ActivityRecord(
        kind=kind,
        occurred_at=occurred_at,
        hub=hub,
        local_date=local_date,
        quarter=quarter_code(local_date),
        origin_hub_id=origin_id,
        destination_hub_id=destination_id,
        organization=organization,
        partner_organization=partner_organization,
        person=person,
        quantity=quantity,
        currency=currency,
        source_type=source_type,
        source_id=source_id,
        evidence=evidence,
        evidence_url="",
        evidence_file="",
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def record_activity(
    *,
    kind: str,
    occurred_at: dt.datetime,
    hub: Hub,
    organization: Organization | None = None,
    partner_organization: Organization | None = None,
    person: Person | None = None,
    origin_hub: Hub | None = None,
    destination_hub: Hub | None = None,
    quantity: Decimal | int = 1,
    currency: str = "",
    source: models.Model | None = None,
    source_key: str = "",
) -> ActivityRecord:
    """Record one fact for the KPIs. Other apps call this from their own services, inside their
    transaction (their service audits the action; the fact itself is not audited again).

    With a ``source`` the call is idempotent: the same (kind, source, ``source_key``) updates the
    one record. Direction defaults to the organization's home hub → the partner's hub or ``hub``.
    """
    from puente.impact.sources import source_id_of

    source_type = source._meta.label_lower if source is not None else ""
    source_id = source_id_of(source.pk, source_key) if source is not None else ""
    record = _build(
        kind=kind, occurred_at=occurred_at, hub=hub, organization=organization,
        partner_organization=partner_organization, person=person, origin_hub=origin_hub,
        destination_hub=destination_hub, quantity=quantity, currency=currency,
        source_type=source_type, source_id=source_id,
    )  # fmt: skip
    with transaction.atomic():
        if source_id:
            existing = ActivityRecord.objects.filter(
                kind=kind, source_type=source_type, source_id=source_id
            ).first()
            if existing is not None:
                record.pk = existing.pk
                record.recorded_at = existing.recorded_at
        record.save()
        activity_changed()
    return record


def activity_bulk_record(*, facts: Iterable[dict[str, Any]], batch_size: int = 5000) -> int:
    """Record many facts at once (imports, the demo, benchmarks): each dict holds the keyword
    arguments of :func:`record_activity` with ``source_type``/``source_id`` instead of
    ``source``. Facts already recorded for the same source are skipped."""
    written = 0
    batch: list[ActivityRecord] = []
    defaults: dict[str, Any] = {
        "organization": None,
        "partner_organization": None,
        "person": None,
        "origin_hub": None,
        "destination_hub": None,
        "quantity": 1,
        "currency": "",
        "source_type": "",
        "source_id": "",
    }
    with transaction.atomic():
        for fact in facts:
            batch.append(_build(**{**defaults, **fact}))
            if len(batch) >= batch_size:
                written += len(ActivityRecord.objects.bulk_create(batch, ignore_conflicts=True))
                batch = []
        if batch:
            written += len(ActivityRecord.objects.bulk_create(batch, ignore_conflicts=True))
        activity_changed()
    return written


def activity_record_manual(
    *,
    actor: User,
    kind: str,
    occurred_on: dt.date,
    hub: Hub,
    quantity: Decimal | int,
    evidence: str,
    organization: Organization | None = None,
    origin_hub: Hub | None = None,
    destination_hub: Hub | None = None,
    currency: str = "",
    evidence_url: str = "",
    evidence_file: File | None = None,
) -> ActivityRecord:
    """A figure entered by a manager of ``hub`` (a landing confirmed by email, jobs reported by
    a company…), with the evidence it rests on: a note, and a link or a file behind it."""
    if not viewer_for(actor).manages_any([hub.pk]):
        raise PermissionDenied(_("Only managers of this hub can enter figures for it."))
    if kind not in MANUAL_KINDS:
        raise ValidationFailed(
            _("This figure is computed from recorded activity and cannot be entered by hand."),
            code="not_manual",
            field="kind",
        )
    if not (evidence or "").strip():
        raise ValidationFailed(
            _("Say where the figure comes from."), code="evidence_required", field="evidence"
        )
    occurred_at = dt.datetime.combine(occurred_on, dt.time(12), tzinfo=hub.zone)
    record = _build(
        kind=kind, occurred_at=occurred_at, hub=hub, organization=organization,
        partner_organization=None, person=None, origin_hub=origin_hub,
        destination_hub=destination_hub, quantity=quantity, currency=currency,
        source_type="manual", source_id="", evidence=evidence.strip()[:500], actor=actor,
    )  # fmt: skip
    record.evidence_url = (evidence_url or "").strip()[:500]
    with transaction.atomic():
        if evidence_file is not None:
            record.evidence_file.save(evidence_file.name or "evidence", evidence_file, save=False)
        record.save()
        activity_changed()
        audit_record(
            actor=actor,
            action="impact.activity_manual",
            target=record,
            after={
                "evidence_file": record.evidence_file.name,
                **snapshot(
                    record,
                    [
                        "kind",
                        "local_date",
                        "quantity",
                        "currency",
                        "evidence",
                        "evidence_url",
                        "origin_hub_id",
                        "destination_hub_id",
                    ],
                ),
            },
            hub=hub,
        )
    return record


# --- facts kept in line with the records they come from ----------------------------------
def _retract(label: str, ids: list[str], kinds: Iterable[str] | None) -> int:
    """Remove the facts of some sources, keyed ones (``"<pk>@<key>"``) included."""
    from puente.impact.sources import source_adapters

    which = models.Q(source_id__in=ids)
    adapter = source_adapters().get(label)
    if adapter is not None and adapter.covers is not None:
        for pk in ids:
            which |= models.Q(source_id__startswith=f"{pk}@")
    records = ActivityRecord.objects.filter(which, source_type=label)
    if kinds is not None:
        records = records.filter(kind__in=list(kinds))
    removed, _detail = records.delete()
    if removed:
        activity_changed()
    return removed


def retract_activity(*, sources: Iterable[models.Model], kinds: Iterable[str] | None = None) -> int:
    """Remove the facts recorded for ``sources`` (of ``kinds``, or all), e.g. for records about
    to be deleted (a meeting removed, a participant withdrawn). Returns how many were removed."""
    ids_by_label: dict[str, list[str]] = {}
    for source in sources:
        ids_by_label.setdefault(source._meta.label_lower, []).append(str(source.pk))
    removed = 0
    with transaction.atomic():
        for label, ids in ids_by_label.items():
            removed += _retract(label, ids, kinds)
    return removed


def activity_sync(*, sources: Iterable[models.Model]) -> int:
    """Bring the facts of each source in line with its current state (other apps call this
    from their services, inside their transaction, after their write): the facts its adapter
    builds now are recorded or updated, the facts of its other kinds are retracted. Sources are
    read again through the adapter's queryset (one query per model, with what the builder
    needs); a source that no longer exists loses its facts. Returns the facts recorded."""
    from puente.impact.sources import adapter_for

    ids_by_label: dict[str, list[Any]] = {}
    adapters = {}
    for source in sources:
        adapter = adapter_for(source)
        adapters[adapter.label] = adapter
        ids_by_label.setdefault(adapter.label, []).append(source.pk)
    recorded = 0
    with transaction.atomic():
        for label, ids in ids_by_label.items():
            adapter = adapters[label]
            current = {obj.pk: obj for obj in adapter.everything().filter(pk__in=ids)}
            for pk in ids:
                stored = current.get(pk)
                if stored is None:
                    _retract(label, [str(pk)], None)
                    continue
                facts = adapter.build(stored)
                for fact in facts:
                    record_activity(**fact.as_kwargs(), source=stored, source_key=fact.key)
                recorded += len(facts)
                if adapter.covers is not None:
                    _retract_uncovered(label, stored, adapter.covers(stored), facts)
                    continue
                stale = set(adapter.kinds) - {fact.kind for fact in facts}
                if stale:
                    _retract(label, [str(pk)], stale)
    return recorded


def _retract_uncovered(label: str, source: Any, keys: Iterable[str], facts: list[Any]) -> None:
    """For a keyed source: remove the facts under the keys its builder speaks for that it no
    longer builds (a space deactivated, a quarter now without opening hours)."""
    from puente.impact.sources import source_id_of

    built = {(fact.kind, source_id_of(source.pk, fact.key)) for fact in facts}
    covered = [source_id_of(source.pk, key) for key in keys]
    stale = [
        pk
        for pk, kind, source_id in ActivityRecord.objects.filter(
            source_type=label, source_id__in=covered
        ).values_list("pk", "kind", "source_id")
        if (kind, source_id) not in built
    ]
    if stale:
        ActivityRecord.objects.filter(pk__in=stale).delete()
        activity_changed()


def activity_record_new(*, sources: Sequence[models.Model]) -> int:
    """Record the facts of records just created (all of one model, loaded with what their
    adapter's builder reads) in one bulk insert, skipping facts already recorded. For hot paths
    such as a page showing matches; the builder is the same as for ``activity_sync`` and the
    backfill. Returns how many facts were new."""
    from puente.impact.sources import adapter_for, source_id_of

    records = []
    for source in sources:
        adapter = adapter_for(source)
        for fact in adapter.build(source):
            source_id = source_id_of(source.pk, fact.key)
            records.append(
                _build(
                    **fact.as_kwargs(),
                    origin_hub=None,
                    destination_hub=None,
                    source_type=adapter.label,
                    source_id=source_id,
                )
            )
    if not records:
        return 0
    written = len(ActivityRecord.objects.bulk_create(records, ignore_conflicts=True))
    activity_changed()
    return written


def activity_refresh() -> int:
    """Recompute the facts of sources whose facts follow the calendar (a space's hours offered
    in the current and next quarter): the daily job calls this. Returns the facts recorded."""
    from puente.impact.sources import source_adapters

    recorded = 0
    for adapter in source_adapters().values():
        if adapter.refresh_daily:
            recorded += activity_sync(sources=list(adapter.everything()))
    return recorded


def _facts_of_existing(label: str) -> Iterable[ActivityRecord]:
    """Every fact the existing records of one source model stand for, built by the same
    adapter as the live path."""
    from puente.impact.sources import source_adapters, source_id_of

    adapter = source_adapters()[label]
    for source in adapter.everything().iterator(chunk_size=2000):
        for fact in adapter.build(source):
            yield _build(
                **fact.as_kwargs(), origin_hub=None, destination_hub=None,
                source_type=label, source_id=source_id_of(source.pk, fact.key),
            )  # fmt: skip


def activity_sync_existing(*, batch_size: int = 2000, sources: Iterable[str] | None = None) -> int:
    """Write the facts that existing records (organizations, introductions and outcomes,
    events and meetings, case files and surveys, bookings, community events, mentoring
    sessions) stand for and that are not recorded yet (safe to run again: one fact per kind
    and source). ``sources`` limits it to some labels. Returns how many facts were new."""
    from puente.impact.sources import labels

    before = ActivityRecord.objects.count()
    batch: list[ActivityRecord] = []
    for label in sources if sources is not None else labels():
        for record in _facts_of_existing(label):
            batch.append(record)
            if len(batch) >= batch_size:
                ActivityRecord.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
    if batch:
        ActivityRecord.objects.bulk_create(batch, ignore_conflicts=True)
    activity_changed()
    return ActivityRecord.objects.count() - before


# --- targets and rates -----------------------------------------------------------------------
def kpi_target_set(
    *,
    actor: User,
    kpi: str,
    year: int,
    quarter: int,
    value: Decimal,
    hub: Hub | None = None,
    origin_hub: Hub | None = None,
    destination_hub: Hub | None = None,
) -> KpiTarget:
    """Set (or change) the target of a KPI for a quarter. Joint targets need staff."""
    from puente.impact.kpis import KPI_BY_CODE

    viewer = viewer_for(actor)
    if not (viewer.is_staff or (hub is not None and viewer.manages_any([hub.pk]))):
        raise PermissionDenied(
            _("Only managers of the hub can set its targets; joint targets need staff.")
        )
    if kpi not in KPI_BY_CODE:
        raise ValidationFailed(_("Unknown indicator."), code="invalid_kpi", field="kpi")
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationFailed(
            _("Choose a quarter between 1 and 4 of a year between 2000 and 2100."),
            code="invalid_period",
            field="quarter",
        )
    if value < 0:
        raise ValidationFailed(_("A target cannot be negative."), code="negative", field="value")
    with transaction.atomic():
        target = KpiTarget.objects.filter(
            kpi=kpi,
            year=year,
            quarter=quarter,
            hub=hub,
            origin_hub=origin_hub,
            destination_hub=destination_hub,
        ).first()
        before = snapshot(target, ["value"]) if target else None
        if target is None:
            target = KpiTarget(
                kpi=kpi,
                year=year,
                quarter=quarter,
                hub=hub,
                origin_hub=origin_hub,
                destination_hub=destination_hub,
            )
        target.value = value
        target.set_by = actor
        target.save()
        audit_record(
            actor=actor,
            action="impact.target_set",
            target=target,
            before=before,
            after=snapshot(target, ["value"]),
            hub=hub,
        )
    return target


def exchange_rate_set(
    *, actor: User | None, currency: str, rate: Decimal, valid_on: dt.date, source: str
) -> ExchangeRate:
    """Record the rate of a currency against the reporting currency on a date (staff only)."""
    if actor is not None and not viewer_for(actor).is_staff:
        raise PermissionDenied(_("Only staff can record exchange rates."))
    currency = (currency or "").upper()
    if not _CURRENCY.match(currency):
        raise ValidationFailed(
            _("Enter a three-letter currency code such as COP or USD."),
            code="invalid_currency",
            field="currency",
        )
    if rate <= 0:
        raise ValidationFailed(_("A rate must be positive."), code="invalid_rate", field="rate")
    if not source.strip():
        raise ValidationFailed(
            _("Say where the rate comes from."), code="source_required", field="source"
        )
    with transaction.atomic():
        exchange_rate, _created = ExchangeRate.objects.update_or_create(
            currency=currency,
            valid_on=valid_on,
            defaults={"rate": rate, "source": source.strip()[:300]},
        )
        audit_record(
            actor=actor,
            action="impact.rate_set",
            target=exchange_rate,
            after=snapshot(exchange_rate, ["currency", "rate", "valid_on", "source"]),
        )
    return exchange_rate


DEMO_RATE_SOURCE = "Illustrative round figure for the demo, not an official rate: record the official rate (e.g. Banco de la República's TRM) before reporting"
DEMO_RATES: dict[str, list[tuple[str, str]]] = {
    "COP": [
        ("2024-03-31", "3900"),
        ("2024-06-30", "4100"),
        ("2024-09-30", "4150"),
        ("2024-12-31", "4400"),
        ("2025-03-31", "4200"),
        ("2025-06-30", "4100"),
        ("2025-09-30", "3950"),
        ("2025-12-31", "3900"),
        ("2026-03-31", "3900"),
        ("2026-06-30", "3950"),
        ("2026-09-30", "4000"),
    ],
    "EUR": [
        ("2024-03-31", "0.92"),
        ("2024-12-31", "0.95"),
        ("2025-06-30", "0.88"),
        ("2025-12-31", "0.86"),
        ("2026-06-30", "0.86"),
    ],
}


def exchange_rates_ensure() -> int:
    """Seed the demo's illustrative dated rates where no rate is recorded for that day."""
    created = 0
    for currency, rows in DEMO_RATES.items():
        for day, rate in rows:
            _rate, was_created = ExchangeRate.objects.get_or_create(
                currency=currency,
                valid_on=dt.date.fromisoformat(day),
                defaults={"rate": Decimal(rate), "source": DEMO_RATE_SOURCE},
            )
            created += was_created
    return created


# --- indicators ----------------------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorRow:
    """One figure to import: indicator, area, year, value, and where it was published."""

    area: str
    year: int
    value: Decimal
    source: str
    source_url: str = ""
    is_target: bool = False
    note: str = ""


KNOWN_INDICATORS: dict[str, dict[str, str]] = {
    "rd_expenditure_pct_gdp": {
        "name_en": "R&D expenditure (% of GDP)",
        "name_es": "Gasto en investigación y desarrollo (% del PIB)",
        "unit": "% GDP",
        "description_en": "Gross domestic expenditure on research and experimental development as a share of gross domestic product.",
        "description_es": "Gasto interno bruto en investigación y desarrollo experimental como proporción del producto interno bruto.",
    },
    "sti_investment_pct_gdp": {
        "name_en": "Investment in science, technology and innovation (ACTI, % of GDP)",
        "name_es": "Inversión en actividades de ciencia, tecnología e innovación (ACTI, % del PIB)",
        "unit": "% GDP",
        "description_en": "Public and private investment in science, technology and innovation activities as a share of GDP.",
        "description_es": "Inversión pública y privada en actividades de ciencia, tecnología e innovación como proporción del PIB.",
    },
}


def indicator_ensure(code: str) -> Indicator:
    """The indicator with ``code``, created from the known definitions on first use."""
    existing = Indicator.objects.filter(code=code).first()
    if existing is not None:
        return existing
    if code not in KNOWN_INDICATORS:
        raise ValidationFailed(_("Unknown indicator."), code="invalid_indicator", field="indicator")
    return Indicator.objects.create(code=code, **KNOWN_INDICATORS[code])


def indicator_values_import(
    *, indicator: Indicator, rows: Iterable[IndicatorRow], actor: User | None = None
) -> int:
    """Create or update indicator values; returns how many rows were written."""
    written = 0
    with transaction.atomic():
        for row in rows:
            try:
                value = Decimal(row.value)
            except (InvalidOperation, TypeError) as error:
                raise ValidationFailed(
                    _("A value is not a number."), code="invalid_value", field="value"
                ) from error
            if not row.source.strip():
                raise ValidationFailed(
                    _("Every figure needs its source."), code="source_required", field="source"
                )
            IndicatorValue.objects.update_or_create(
                indicator=indicator, area=row.area[:120], year=row.year, is_target=row.is_target,
                defaults={"value": value, "source": row.source[:300], "source_url": row.source_url[:300], "note": row.note[:300]},
            )  # fmt: skip
            written += 1
        audit_record(
            actor=actor, action="impact.indicator_import", target=indicator, after={"rows": written}
        )
    return written


# --- knowledge library ---------------------------------------------------------------------
def guide_search_text(guide: Guide, tags: Iterable[TaxonomyTerm] = ()) -> str:
    labels = [f"{term.label_en} {term.label_es}" for term in tags]
    return search_document(
        guide.title_en,
        guide.title_es,
        guide.summary_en,
        guide.summary_es,
        guide.body_en,
        guide.body_es,
        guide.authors,
        *labels,
    )


@dataclass(frozen=True)
class AttachmentUpload:
    """A file to attach to a guide when it is saved."""

    title: str
    file: File
    language: str


def _require_guide_editor(actor: User | None, guide: Guide) -> None:
    if actor is None:
        return
    viewer = viewer_for(actor)
    allowed = viewer.manages_any([guide.hub_id]) if guide.hub_id else viewer.is_manager
    if not allowed:
        raise PermissionDenied(_("Only managers of the guide's hub can edit it."))


GUIDE_FIELDS = [
    "slug",
    "hub_id",
    "category",
    "title_en",
    "title_es",
    "summary_en",
    "summary_es",
    "body_en",
    "body_es",
    "authors",
    "reviewed_on",
]


def guide_save(
    *,
    actor: User | None,
    guide: Guide | None = None,
    tags: Iterable[TaxonomyTerm] = (),
    attachments: Iterable[AttachmentUpload] = (),
    **fields: Any,
) -> Guide:
    """Create or change a guide: managers of its hub (before and after the change) or staff;
    a guide for every hub, any hub manager. The seed passes no actor."""
    if guide is None:
        guide = Guide()
    _require_guide_editor(actor, guide)
    before = snapshot(guide, GUIDE_FIELDS) if guide.pk else None
    for name, value in fields.items():
        setattr(guide, name, value)
    _require_guide_editor(actor, guide)
    if not guide.title_en.strip() or not guide.title_es.strip():
        raise ValidationFailed(
            _("A guide needs a title in both languages."), code="title_required", field="title_en"
        )
    tags = list(tags)
    with transaction.atomic():
        guide.search_text = guide_search_text(guide, tags)
        guide.save()
        guide.tags.set(tags)
        for upload in attachments:
            guide_attachment_add(
                actor=actor, guide=guide, title=upload.title, file=upload.file,
                language=upload.language,
            )  # fmt: skip
        audit_record(
            actor=actor,
            action="impact.guide_save",
            target=guide,
            before=before,
            after=snapshot(guide, GUIDE_FIELDS),
            hub=guide.hub,
        )
    return guide


ATTACHMENT_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "png", "jpg")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def guide_attachment_add(
    *, actor: User | None, guide: Guide, title: str, file: File, language: str
) -> GuideAttachment:
    """Attach a file (a form, a checklist, a slide deck) to a guide."""
    _require_guide_editor(actor, guide)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(
            _("Give the attachment a title."), code="title_required", field="attachment_title"
        )
    name = file.name or ""
    if name.rsplit(".", 1)[-1].lower() not in ATTACHMENT_EXTENSIONS or "." not in name:
        raise ValidationFailed(
            _("Attach a document, spreadsheet, presentation, text or image file."),
            code="invalid_extension",
            field="attachment_file",
        )
    if (file.size or 0) > ATTACHMENT_MAX_BYTES:
        raise ValidationFailed(
            _("An attachment can be at most 10 MB."), code="too_large", field="attachment_file"
        )
    if language not in {code for code, _label in settings.CONTENT_LANGUAGES}:
        raise ValidationFailed(
            _("Choose the language of the attachment."),
            code="invalid_language",
            field="attachment_language",
        )
    with transaction.atomic():
        attachment = GuideAttachment(guide=guide, title=title[:200], language=language)
        attachment.file.save(name.rsplit("/", 1)[-1], file, save=False)
        attachment.save()
        audit_record(
            actor=actor,
            action="impact.guide_attachment_add",
            target=attachment,
            after={
                **snapshot(attachment, ["guide_id", "title", "language"]),
                "file": attachment.file.name,
            },
            hub=guide.hub,
        )
    return attachment
