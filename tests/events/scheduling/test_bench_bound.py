"""bench/scheduler_bound.py keeps working: its case split refutes a target on r3."""

from __future__ import annotations

from tests.benches import load_bench


def test_the_bound_bench_refutes_two_breaks_on_r3() -> None:
    load_bench("scheduler", "scheduler.py")
    bench = load_bench("scheduler_bound", "scheduler_bound.py")
    row = bench.settle("r3", 2, work_limit=20.0, hint_work=2.0)
    # r3's participant floors sum to 1, so "at most 2?" has one unit of slack; the
    # tables make it infeasible (r3's optimum is 3).
    assert row["floors"] == 1
    assert row["slack"] == 1
    assert row["outcome"] == "infeasible"
    assert isinstance(row["cases"], int)
    assert row["cases"] >= 1
    # At the floors themselves there is nothing to split.
    at_floor = bench.settle("r3", 1, work_limit=1.0, hint_work=2.0)
    assert "no slack" in str(at_floor["outcome"])
    assert "cases" not in at_floor
