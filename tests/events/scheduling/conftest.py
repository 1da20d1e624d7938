"""Shared builders for the scheduler tests (pure Python, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from puente.events.scheduling import Problem, problem_from_dict


def make_document(**overrides: Any) -> dict[str, Any]:
    """A small valid problem document; keyword arguments replace top-level keys."""
    document: dict[str, Any] = {
        "slots": [
            {"id": "s1", "session": "am", "capacity": 2},
            {"id": "s2", "session": "am", "capacity": 2},
            {"id": "s3", "session": "pm", "capacity": 2},
            {"id": "s4", "session": "pm", "capacity": 2},
        ],
        "participants": [
            {"id": "p1", "unavailable": []},
            {"id": "p2", "unavailable": ["s4"]},
            {"id": "p3", "unavailable": []},
            {"id": "p4"},
        ],
        "meetings": [
            {
                "id": "m1",
                "participants": ["p1", "p2"],
                "session": "am",
                "fixed_slot": None,
                "priority": 1,
                "after": [],
            },
            {"id": "m2", "participants": ["p1", "p3"]},
            {"id": "m3", "participants": ["p2", "p3"], "priority": 2},
            {"id": "m4", "participants": ["p1", "p4"], "after": ["m2"]},
        ],
        "fairness": 2,
    }
    document.update(overrides)
    return document


@pytest.fixture
def small_problem() -> Problem:
    """The problem of :func:`make_document`."""
    return problem_from_dict(make_document())
