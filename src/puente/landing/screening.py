"""The screening round's consensus rule. Pure Python with no Django imports.

Each assigned screener votes "pass", "fail" or "abstain" ("" while they have not voted):

* while any assigned screener has not voted, the application is **pending**;
* otherwise, among the votes that are not abstentions: all pass → **pass**; all fail →
  **fail**; a split, or nobody but abstainers (or no screener at all) → **needs decision**,
  and the hub manager decides.

When the manager closes the round (``closing=True``), votes not cast are left out rather than
waited for: the rule is applied to the votes that were cast.
"""

from __future__ import annotations

from collections.abc import Iterable

PASS = "pass"
FAIL = "fail"
ABSTAIN = "abstain"
PENDING = "pending"
NEEDS_DECISION = "needs_decision"


def screening_consensus(votes: Iterable[str], *, closing: bool = False) -> str:
    """The consensus of one application's screening votes (see the module's rule)."""
    cast = []
    for vote in votes:
        if vote in (PASS, FAIL, ABSTAIN):
            cast.append(vote)
        elif not closing:
            return PENDING
    if not cast and not closing:
        return PENDING
    deciding = {vote for vote in cast if vote != ABSTAIN}
    if deciding == {PASS}:
        return PASS
    if deciding == {FAIL}:
        return FAIL
    return NEEDS_DECISION
