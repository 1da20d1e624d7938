"""Score normalisation and ranking, against examples computed by hand."""

from __future__ import annotations

import math

import pytest

from puente.landing.scoring import Criterion, Score, rank, weighted_score, z_scores


def test_weighted_score_is_the_weighted_mean_of_the_marks() -> None:
    rubric = [Criterion(id=1, weight=2, scale_max=5), Criterion(id=2, weight=1, scale_max=5)]
    # (2*4 + 1*1) / 3 = 3.0
    assert weighted_score(rubric, {1: 4, 2: 1}) == pytest.approx(3.0)


@pytest.mark.parametrize("marks", [{1: 4}, {1: 4, 2: 0}, {1: 6, 2: 1}])
def test_weighted_score_refuses_missing_or_out_of_range_marks(marks: dict[int, int]) -> None:
    rubric = [Criterion(id=1, weight=2, scale_max=5), Criterion(id=2, weight=1, scale_max=5)]
    with pytest.raises(ValueError, match="needs a mark"):
        weighted_score(rubric, marks)


def test_z_scores_per_reviewer_by_hand() -> None:
    # Reviewer 1 (harsh): 1, 2, 3 -> mean 2, population sd sqrt(2/3) = 0.8165
    # Reviewer 2 (lenient): 4, 5 -> mean 4.5, sd 0.5
    scores = [Score(10, 1, 1), Score(11, 1, 2), Score(12, 1, 3), Score(10, 2, 4), Score(11, 2, 5)]
    z = z_scores(scores)
    sd = math.sqrt(2 / 3)
    assert z[(10, 1)] == pytest.approx(-1 / sd)  # -1.2247
    assert z[(11, 1)] == pytest.approx(0.0)
    assert z[(12, 1)] == pytest.approx(1 / sd)
    assert z[(10, 2)] == pytest.approx(-1.0)
    assert z[(11, 2)] == pytest.approx(1.0)


def test_a_reviewer_who_gives_everyone_the_same_score_counts_as_zero() -> None:
    z = z_scores([Score(1, 7, 4), Score(2, 7, 4)])
    assert z == {(1, 7): 0.0, (2, 7): 0.0}


def test_harsh_and_lenient_reviewers_weigh_alike_in_the_ranking() -> None:
    # A: harsh 2 and lenient 4 -> raw mean 3, both below each reviewer's mean -> z = -1, -1
    # B: harsh 3 and lenient 5 -> raw mean 4, z = +1, +1
    scores = [Score(1, 1, 2), Score(2, 1, 3), Score(1, 2, 4), Score(2, 2, 5)]
    ranked = rank([1, 2], scores)
    assert [(row.application, row.rank) for row in ranked] == [(2, 1), (1, 2)]
    assert ranked[0].normalized == pytest.approx(1.0)
    assert ranked[1].normalized == pytest.approx(-1.0)
    assert ranked[0].raw == pytest.approx(4.0)


def test_normalisation_can_reverse_the_raw_order() -> None:
    # Lenient reviewer 1 scores A=5, B=4.5, C=4.5 -> mean 4.6667, sd 0.2357 -> zA=+1.414, zB=zC=-0.707
    # Harsh reviewer 2 scores B=3, C=1 -> mean 2, sd 1 -> zB=+1, zC=-1
    scores = [Score(1, 1, 5), Score(2, 1, 4.5), Score(3, 1, 4.5), Score(2, 2, 3), Score(3, 2, 1)]
    ranked = {row.application: row for row in rank([1, 2, 3], scores)}
    assert ranked[1].normalized == pytest.approx(math.sqrt(2), abs=1e-6)
    assert ranked[2].normalized == pytest.approx((-1 / math.sqrt(2) + 1) / 2, abs=1e-6)  # 0.1464
    assert ranked[3].normalized == pytest.approx((-1 / math.sqrt(2) - 1) / 2, abs=1e-6)
    # Raw means: A 5.0, B 3.75, C 2.75 -> same order here, and A is first on both.
    assert [ranked[a].rank for a in (1, 2, 3)] == [1, 2, 3]


def test_ties_share_a_rank_and_are_explained() -> None:
    # Each reviewer scores two applications; 1 and 3 both get z=+1 with equal raw 4.
    scores = [Score(1, 1, 4), Score(2, 1, 2), Score(3, 2, 4), Score(4, 2, 2)]
    ranked = rank([1, 2, 3, 4], scores)
    places = {row.application: row for row in ranked}
    assert places[1].rank == places[3].rank == 1
    assert places[1].tie_note == "tie"
    assert places[1].tied_with == (3,)
    assert places[2].rank == places[4].rank == 3


def test_a_tie_on_the_normalised_score_is_broken_by_the_raw_score() -> None:
    scores = [Score(1, 1, 5), Score(2, 1, 3), Score(3, 2, 4), Score(4, 2, 2)]
    ranked = rank([1, 2, 3, 4], scores)
    assert [row.application for row in ranked[:2]] == [1, 3]
    assert ranked[0].rank == 1
    assert ranked[1].rank == 2
    assert ranked[0].tie_note == "raw"


def test_applications_without_reviews_come_last() -> None:
    ranked = rank([1, 2], [Score(1, 1, 3)])
    assert ranked[-1].application == 2
    assert ranked[-1].normalized is None
    assert ranked[-1].reviews == 0
