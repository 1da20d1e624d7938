"""Assigning applications to reviewers: conflicts excluded, load balanced, deterministic."""

from __future__ import annotations

from puente.landing.assignment import plan_assignments


def test_conflicted_reviewer_is_never_assigned() -> None:
    plan = plan_assignments(
        applications=[1, 2], reviewers=[10, 11, 12], per_application=2, conflicts=[(1, 10)]
    )
    assert (1, 10) not in plan.pairs
    assert sorted(r for a, r in plan.pairs if a == 1) == [11, 12]
    assert plan.short == {}


def test_load_is_balanced_across_reviewers() -> None:
    plan = plan_assignments(applications=range(1, 7), reviewers=[10, 11, 12], per_application=2)
    # 6 applications x 2 reviewers = 12 reviews over 3 reviewers -> 4 each.
    assert plan.load() == {10: 4, 11: 4, 12: 4}
    assert all(len({r for a, r in plan.pairs if a == app}) == 2 for app in range(1, 7))


def test_existing_assignments_count_towards_quota_and_load() -> None:
    plan = plan_assignments(
        applications=[1, 2], reviewers=[10, 11], per_application=1, existing=[(1, 10)]
    )
    assert plan.pairs == [(2, 11)]


def test_applications_short_of_reviewers_are_reported() -> None:
    plan = plan_assignments(
        applications=[1], reviewers=[10, 11], per_application=2, conflicts=[(1, 10), (1, 11)]
    )
    assert plan.pairs == []
    assert plan.short == {1: 2}


def test_scarce_reviewers_go_where_they_are_needed() -> None:
    # Application 1 can only be read by 12; 2 by anyone. With one reviewer each, 12 must read 1.
    plan = plan_assignments(
        applications=[1, 2], reviewers=[10, 11, 12], per_application=1, conflicts=[(1, 10), (1, 11)]
    )
    assert (1, 12) in plan.pairs
    assert plan.short == {}
    # And 12 is not given 2 too when 10 is idle.
    assert (2, 10) in plan.pairs


def test_the_plan_is_deterministic() -> None:
    args = {
        "applications": [3, 1, 2],
        "reviewers": [12, 10, 11],
        "per_application": 2,
        "conflicts": [(2, 11)],
    }
    assert plan_assignments(**args) == plan_assignments(**args)
