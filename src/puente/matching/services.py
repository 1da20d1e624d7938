"""Writes of matchmaking: feedback on suggested items, and which matches were shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import Viewer
from puente.core.audit import audit_record, snapshot
from puente.core.errors import ValidationFailed
from puente.marketplace.models import Opportunity
from puente.matching.items import ITEM_TYPES, OPPORTUNITY, ORGANIZATION
from puente.matching.models import FeedbackKind, MatchFeedback, MatchImpression
from puente.matching.selectors import Result


@transaction.atomic
def match_feedback_record(*, user: User, item_type: str, item_id: int, kind: str) -> MatchFeedback:
    """Remember a user's verdict on an item: hidden from their results from now on, and (for
    "not relevant") similar items rank lower. Giving new feedback on the same item replaces it."""
    if item_type not in ITEM_TYPES:
        raise ValidationFailed(_("Unknown item type."), code="invalid_item_type", field="item_type")
    if kind not in FeedbackKind.values:
        raise ValidationFailed(_("Unknown feedback."), code="invalid_feedback", field="kind")
    feedback, _created = MatchFeedback.objects.update_or_create(
        user=user, item_type=item_type, item_id=item_id, defaults={"kind": kind}
    )
    audit_record(
        actor=user,
        action="match.feedback",
        target=feedback,
        after=snapshot(feedback, ["item_type", "item_id", "kind"]),
    )
    return feedback


@transaction.atomic
def match_feedback_withdraw(*, user: User, item_type: str, item_id: int) -> bool:
    """Undo feedback: the item may be suggested again."""
    feedback = MatchFeedback.objects.filter(user=user, item_type=item_type, item_id=item_id).first()
    if feedback is None:
        return False
    audit_record(
        actor=user,
        action="match.feedback.withdraw",
        target=feedback,
        before=snapshot(feedback, ["item_type", "item_id", "kind"]),
    )
    feedback.delete()
    return True


def _matched_organization_id(result: Result) -> int | None:
    if result.item_type == ORGANIZATION:
        return result.id
    organization_id: int | None = getattr(result.object, "organization_id", None)
    return organization_id


def matches_shown_record(
    *,
    viewer: Viewer,
    subject: Opportunity,
    results: Sequence[Result],
    now: dt.datetime | None = None,
) -> int:
    """Remember the matches of ``subject`` shown to a signed-in viewer, each (viewer's
    organization — or the user, when they do not act for the subject's organization — and
    matched item) pair once, and record a "match shown" fact for each pair seen for the first
    time. Called by the matches page and endpoint after the selector. One query when nothing is
    new; four when something is. Not audited: it records what the viewer saw, not a decision.
    Returns how many pairs were new."""
    if viewer.user_id is None:
        return 0
    items = {
        (result.item_type, result.id): _matched_organization_id(result)
        for result in results
        if result.item_type in (OPPORTUNITY, ORGANIZATION)
    }
    if not items:
        return 0
    if subject.organization_id in viewer.organization_ids:
        shown_to: dict[str, int | None] = {"organization_id": subject.organization_id}
    else:
        shown_to = {"organization_id": None, "user_id": viewer.user_id}
    pairs = models.Q()
    for item_type, pk in items:
        pairs |= models.Q(item_type=item_type, item_id=pk)
    mine = MatchImpression.objects.filter(pairs, **shown_to)
    seen = set(mine.values_list("item_type", "item_id"))
    new = [key for key in items if key not in seen]
    if not new:
        return 0
    from puente.impact.services import activity_record_new

    shown_at = now or timezone.now()
    with transaction.atomic():
        MatchImpression.objects.bulk_create(
            [
                MatchImpression(
                    organization_id=shown_to["organization_id"],
                    user_id=shown_to.get("user_id"),
                    item_type=item_type,
                    item_id=pk,
                    subject_organization_id=subject.organization_id,
                    matched_organization_id=items[(item_type, pk)],
                    shown_at=shown_at,
                )
                for item_type, pk in new
            ],
            ignore_conflicts=True,
        )
        # Read back what this call inserted (a concurrent request may have won a pair; then
        # its shown_at differs and that request records the fact).
        created = list(
            mine.filter(shown_at=shown_at).select_related(
                "subject_organization__hub", "matched_organization__hub"
            )
        )
        activity_record_new(sources=created)
    return len(created)
