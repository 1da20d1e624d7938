"""bench/directory.py keeps working: a tiny directory seeded and every query of the mix timed once."""

from __future__ import annotations

import pytest

from puente.accounts.viewer import viewer_for
from puente.directory import selectors
from tests.benches import load_bench

pytestmark = pytest.mark.django_db


def test_the_directory_bench_seeds_and_measures_a_small_directory() -> None:
    corpus = load_bench("directory_corpus", "directory_corpus.py")
    bench = load_bench("bench_directory", "directory.py")
    assert corpus.seed_if_needed(300) == 300
    results = bench.measure(1)
    summary = bench.summarize(results)
    assert set(summary["overall"]) == {
        f"{surface}|{viewer}"
        for surface in ("html", "api")
        for viewer in ("anonymous", "member", "all")
    }
    assert len(summary["per_query"]) == len(bench.QUERIES) * 4
    counts = results["counts"]
    visible = selectors.organizations_visible_to(viewer_for(None)).count()
    assert 0 < counts["anonymous|no filter"] == visible < 300  # some profiles are not public
    for label, _params in bench.QUERIES:
        assert counts[f"member|{label}"] >= counts[f"anonymous|{label}"], label
    assert counts["member|no filter"] > counts["anonymous|no filter"]
    assert 0 < counts["anonymous|accented word"] < visible
