"""Search and matches, with the viewer's visibility rules and feedback applied.

The engine ranks from memory; the database then keeps only what the viewer may see (a few
queries on a handful of ids). When visibility removes too many results, a deeper candidate
list is asked for, so the page is filled whenever enough visible items exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.http import Http404

from puente.accounts.viewer import Viewer
from puente.core.i18n import active_language
from puente.directory.models import Organization, Person
from puente.directory.selectors import organizations_visible_to, people_visible_to
from puente.marketplace.models import Opportunity, Side, Status
from puente.marketplace.selectors import opportunities_visible_to
from puente.matching.embeddings import stored_vectors
from puente.matching.engine import Direction, Feedback, RankedItem, detect_language
from puente.matching.explanations import Reason, explain
from puente.matching.items import (
    ITEM_TYPES,
    OPPORTUNITY,
    ORGANIZATION,
    item_id,
    opportunity_item,
    opportunity_rows,
    parse_item_id,
)
from puente.matching.models import FeedbackKind, MatchFeedback
from puente.matching.runtime import matching_engine

MAX_QUERY_CHARACTERS = 2000
DEPTHS = (4, 16, 64)


@dataclass
class Result:
    """One ranked item the viewer may see, with its score and reasons."""

    item_type: str
    object: Model
    score: float
    reasons: list[Reason] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.object.pk)

    @property
    def external_id(self) -> str | None:
        return getattr(self.object, "external_id", None)


def _visible_ids(
    viewer: Viewer, item_type: str, ids: Sequence[int], hubs: Sequence[str]
) -> set[int]:
    """Which of ``ids`` the viewer may see (one light query: primary keys only)."""
    if not ids:
        return set()
    if item_type == OPPORTUNITY:
        rows: Any = opportunities_visible_to(viewer).filter(pk__in=ids, status=Status.PUBLISHED)
    elif item_type == ORGANIZATION:
        rows = organizations_visible_to(viewer).filter(pk__in=ids)
    else:
        rows = people_visible_to(viewer).filter(pk__in=ids)
    if hubs:
        rows = rows.filter(hub__slug__in=hubs)
    return set(rows.values_list("pk", flat=True))


def _objects(item_type: str, ids: Sequence[int]) -> dict[int, Model]:
    """The rows of ``ids`` (already known visible) with what the results show."""
    if not ids:
        return {}
    rows: Any
    if item_type == OPPORTUNITY:
        rows = Opportunity.objects.select_related(
            "organization", "organization__type", "hub", "kind"
        )
    elif item_type == ORGANIZATION:
        rows = Organization.objects.select_related("type", "hub")
    else:
        rows = Person.objects.select_related("hub")
    return {row.pk: row for row in rows.filter(pk__in=ids)}


def user_feedback(viewer: Viewer) -> Feedback:
    """The viewer's feedback as engine input (dismissed pairs never come back)."""
    if viewer.user_id is None:
        return Feedback()
    pairs: dict[str, set[tuple[Any, Any]]] = {kind: set() for kind in FeedbackKind.values}
    for item_type, pk, kind in MatchFeedback.objects.filter(user_id=viewer.user_id).values_list(
        "item_type", "item_id", "kind"
    ):
        pairs[kind].add((viewer.user_id, item_id(item_type, pk)))
    # "Already met" removes the item itself too; the engine also demotes the rest of that
    # organization's items.
    return Feedback(
        dismissed=frozenset(pairs[FeedbackKind.DISMISSED] | pairs[FeedbackKind.ALREADY_MET]),
        not_relevant=frozenset(pairs[FeedbackKind.NOT_RELEVANT]),
        already_met=frozenset(pairs[FeedbackKind.ALREADY_MET]),
    )


def _visible_results(
    viewer: Viewer,
    ranked: list[RankedItem],
    limit: int,
    hubs: Sequence[str],
    fill: Callable[[RankedItem], RankedItem] | None = None,
) -> list[Result]:
    """The first ``limit`` ranked items the viewer may see, as results with reasons (``fill``
    completes each kept item's explanation)."""
    by_type: dict[str, list[int]] = {item_type: [] for item_type in ITEM_TYPES}
    for result in ranked:
        item_type, pk = parse_item_id(result.id)
        by_type[item_type].append(pk)
    visible = {
        item_type: _visible_ids(viewer, item_type, ids, hubs) for item_type, ids in by_type.items()
    }
    kept = [r for r in ranked if parse_item_id(r.id)[1] in visible[parse_item_id(r.id)[0]]][:limit]
    if fill is not None:
        kept = [fill(result) for result in kept]
    objects: dict[str, dict[int, Model]] = {}
    for item_type in ITEM_TYPES:
        ids = [pk for kind, pk in map(parse_item_id, (r.id for r in kept)) if kind == item_type]
        objects[item_type] = _objects(item_type, ids)
    reasons = explain(kept)
    results = []
    for r in kept:
        item_type, pk = parse_item_id(r.id)
        row = objects[item_type].get(pk)
        if row is not None:  # deleted between the two queries
            results.append(
                Result(
                    item_type=item_type, object=row, score=round(r.score, 4), reasons=reasons[r.id]
                )
            )
    return results


def search(
    viewer: Viewer,
    query: str,
    *,
    types: Sequence[str] = (),
    hubs: Sequence[str] = (),
    exclude: Sequence[str] = (),
    limit: int = 10,
) -> list[Result]:
    """Organizations, people and opportunities ranked for a free-text query in any language.

    ``exclude`` names items (``"organization:12"``) never to return, e.g. the organization
    whose own description is the query: they also lend nothing to their neighbours."""
    query = query.strip()[:MAX_QUERY_CHARACTERS]
    if not query:
        return []
    engine = matching_engine()
    language = detect_language(query, default=active_language())
    wanted = tuple(types) or ITEM_TYPES
    feedback = user_feedback(viewer)
    results: list[Result] = []
    for depth in DEPTHS:
        k = limit * depth
        ranked = engine.search(
            query,
            language,
            k,
            excluded=set(exclude),
            user_id=viewer.user_id,
            feedback=feedback,
            categories=wanted,
            matched_terms=False,
        )
        results = _visible_results(
            viewer,
            ranked,
            limit,
            hubs,
            fill=lambda result: engine.fill_matched_terms(result, query, language),
        )
        if len(results) >= limit or len(ranked) < k:
            break
    return results


def opportunity_matches(
    viewer: Viewer, opportunity: Opportunity, *, limit: int = 10, include_organizations: bool = True
) -> list[Result]:
    """Counterparts for an opportunity: complementary opportunities (and fitting organizations)."""
    engine = matching_engine()
    subject_id = item_id(OPPORTUNITY, opportunity.pk)
    vector = None
    if subject_id in engine:  # as current as every candidate (the engine syncs each second)
        subject = engine.item(subject_id)
    else:  # a draft, or not yet picked up: read it, with its stored vector if any
        row = opportunity_rows([opportunity.pk]).first()
        if row is None:
            raise Http404("opportunity")
        subject = opportunity_item(row)
        stored = stored_vectors(OPPORTUNITY, [opportunity.pk]).get(opportunity.pk)
        vector = stored[1] if stored is not None else None
    feedback = user_feedback(viewer)
    # A request looks for offers (and organizations that could serve it); an offer looks for
    # requests. The engine keeps only these before ranking.
    if opportunity.side == Side.REQUEST:
        classes: list[tuple[str, Direction | None]] = [(OPPORTUNITY, Direction.OFFER)]
        if include_organizations:
            classes.append((ORGANIZATION, None))
    else:
        classes = [(OPPORTUNITY, Direction.REQUEST)]
    results: list[Result] = []
    for depth in DEPTHS:
        k = limit * depth
        ranked = engine.match(
            subject, k, user_id=viewer.user_id, feedback=feedback, vector=vector, classes=classes
        )
        results = _visible_results(viewer, ranked, limit, ())
        if len(results) >= limit or len(ranked) < k:
            break
    return results
