"""B2B meeting scheduler for brokerage events (pure Python, no Django).

Public API::

    problem = problem_from_dict(document)          # raises ProblemError if malformed
    solution = solve(problem, time_limit=30, seed=0)
    assert validate(problem, solution) == []
    solution_to_dict(solution)                     # the JSON output format

See docs/scheduling.md for the interchange format, the model and measured figures.
"""

from .heuristics import greedy_first_come
from .io import previous_from_dict, problem_from_dict, problem_to_dict, solution_to_dict
from .problem import (
    Assignment,
    Lock,
    Meeting,
    Participant,
    Problem,
    ProblemError,
    Slot,
    Solution,
)
from .solver import solve
from .validation import count_breaks, validate

__all__ = [
    "Assignment",
    "Lock",
    "Meeting",
    "Participant",
    "Problem",
    "ProblemError",
    "Slot",
    "Solution",
    "count_breaks",
    "greedy_first_come",
    "previous_from_dict",
    "problem_from_dict",
    "problem_to_dict",
    "solution_to_dict",
    "solve",
    "validate",
]
