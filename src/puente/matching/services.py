"""Writes of matchmaking: feedback on suggested items."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.core.audit import audit_record, snapshot
from puente.core.errors import ValidationFailed
from puente.matching.items import ITEM_TYPES
from puente.matching.models import FeedbackKind, MatchFeedback


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
