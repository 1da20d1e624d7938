"""``puente schedule solve INPUT.json --out OUTPUT.json --time-limit SECONDS [--seed N]``.

``--advise-tables`` adds how many more tables per slot would reduce breaks (see
``scheduling/advice.py``) when the schedule is not proven optimal.

Schedules a brokerage event described in the JSON interchange format (docs/scheduling.md)
without touching the database. ``puente schedule validate INPUT.json SOLUTION.json`` checks
a schedule written by any tool against every hard constraint and its reported breaks.
Malformed input exits non-zero with a message naming the offending id; the output file is
written whole (through a temporary file and a rename) or not at all.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from puente.directory.management.console import UI_LANGUAGES, command_language
from puente.events.scheduling import (
    ProblemError,
    Solution,
    count_breaks,
    previous_from_dict,
    problem_from_dict,
    solution_to_dict,
    solve,
    validate,
)
from puente.events.scheduling.advice import advise_tables
from puente.events.scheduling.io import solution_from_dict

#: Longest time limit the command accepts (one hour).
MAX_TIME_LIMIT = 3600.0


class Command(BaseCommand):
    help = "Solve or check a B2B meeting schedule given in the JSON interchange format."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="solve|validate")
        solve_parser = actions.add_parser(
            "solve", help="Place the meetings of INPUT and write the schedule as JSON."
        )
        solve_parser.add_argument("input", help="Problem file (JSON interchange format).")
        solve_parser.add_argument(
            "--out", help="Write the schedule to this file (default: the standard output)."
        )
        solve_parser.add_argument(
            "--time-limit",
            dest="time_limit",
            type=float,
            required=True,
            help="Wall-clock seconds the solver may use.",
        )
        solve_parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        solve_parser.add_argument(
            "--mode",
            choices=("fast", "exact"),
            default="fast",
            help="fast (default) or exact (one CP-SAT model per stage, for proofs).",
        )
        solve_parser.add_argument(
            "--previous",
            help="An earlier schedule (a solution file or {meeting: slot}): move as few "
            "of its meetings as possible.",
        )
        solve_parser.add_argument(
            "--work-limit",
            dest="work_limit",
            type=float,
            help="Nominal seconds of deterministic work (results independent of the "
            "machine's load); the time limit stays the wall-clock cap.",
        )
        solve_parser.add_argument(
            "--advise-tables",
            dest="advise_tables",
            action="store_true",
            help="When the schedule is not proven optimal, also find how many more tables "
            "per slot would reduce breaks (up to the time limit again); adds "
            '"table_advice" to the output.',
        )
        check_parser = actions.add_parser(
            "validate", help="Check a schedule against every hard constraint of INPUT."
        )
        check_parser.add_argument("input", help="Problem file (JSON interchange format).")
        check_parser.add_argument("solution", help="Schedule file (the output format).")
        for sub in (solve_parser, check_parser):
            sub.add_argument("--language", choices=UI_LANGUAGES, help="Language of the messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(command_language(options.get("language"))):
            if options["action"] == "solve":
                self._solve(options)
            else:
                self._validate(options)

    # ---------------------------------------------------------------- solve
    def _solve(self, options: dict[str, Any]) -> None:
        time_limit = options["time_limit"]
        if not (math.isfinite(time_limit) and 0 < time_limit <= MAX_TIME_LIMIT):
            raise CommandError(
                _("The time limit must be more than 0 and at most %(max)d seconds.")
                % {"max": MAX_TIME_LIMIT}
            )
        work_limit = options.get("work_limit")
        if work_limit is not None and not (math.isfinite(work_limit) and work_limit > 0):
            raise CommandError(_("The work limit must be more than 0 seconds."))
        if options["seed"] < 0:
            raise CommandError(_("The seed must be 0 or more."))
        out = options.get("out")
        if out:
            folder = os.path.dirname(os.path.abspath(out))
            if not os.path.isdir(folder):
                raise CommandError(_("The folder %(path)s does not exist.") % {"path": folder})
        problem = _read_problem(options["input"])
        previous = None
        if options.get("previous"):
            try:
                previous = previous_from_dict(_read_json(options["previous"]))
            except ProblemError as error:
                raise CommandError(
                    _("%(path)s is not a schedule: %(reason)s")
                    % {"path": options["previous"], "reason": error}
                ) from None
        solution = solve(
            problem,
            time_limit=time_limit,
            seed=options["seed"],
            mode=options["mode"],
            previous=previous,
            work_limit=work_limit,
        )
        document = solution_to_dict(solution)
        if options.get("advise_tables") and solution.status == "feasible":
            advice = advise_tables(
                problem,
                solution,
                time_limit=time_limit,
                seed=options["seed"],
                work_limit=work_limit,
            )
            document["table_advice"] = advice.to_dict()
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if not out:
            self.stdout.write(text, ending="")
        else:
            _write_whole(out, text)
        self.stderr.write(_summary(solution))

    # ---------------------------------------------------------------- validate
    def _validate(self, options: dict[str, Any]) -> None:
        problem = _read_problem(options["input"])
        try:
            solution = solution_from_dict(_read_json(options["solution"]), problem)
        except ProblemError as error:
            raise CommandError(
                _("%(path)s is not a schedule: %(reason)s")
                % {"path": options["solution"], "reason": error}
            ) from None
        errors = validate(problem, solution)
        if errors:
            for line in errors:
                self.stdout.write(line)
            message = ngettext(
                "The schedule breaks %(count)d rule of the problem.",
                "The schedule breaks %(count)d rules of the problem.",
                len(errors),
            )
            raise CommandError(message % {"count": len(errors)})
        breaks = sum(count_breaks(problem, solution.assignments).values())
        self.stdout.write(
            _("The schedule is valid: %(placed)d of %(total)d meetings placed; breaks: %(breaks)d.")
            % {
                "placed": len(solution.assignments),
                "total": len(problem.meetings),
                "breaks": breaks,
            }
        )


def _read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise CommandError(_("%(path)s does not exist.") % {"path": path}) from None
    except IsADirectoryError:
        raise CommandError(_("%(path)s is a folder, not a file.") % {"path": path}) from None
    except OSError as error:
        raise CommandError(
            _("%(path)s cannot be read: %(reason)s")
            % {"path": path, "reason": error.strerror or error}
        ) from None
    except UnicodeDecodeError:
        raise CommandError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
    except json.JSONDecodeError as error:
        raise CommandError(
            _("%(path)s is not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
            % {"path": path, "line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from None


def _read_problem(path: str) -> Any:
    document = _read_json(path)
    try:
        return problem_from_dict(document)
    except ProblemError as error:
        raise CommandError(
            _("%(path)s is not a valid problem: %(reason)s") % {"path": path, "reason": error}
        ) from None


def _write_whole(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file: all of it or nothing."""
    partial = f"{path}.partial-{os.getpid()}"
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        if os.path.exists(partial):
            os.remove(partial)
        raise CommandError(
            _("%(path)s cannot be written: %(reason)s")
            % {"path": path, "reason": error.strerror or error}
        ) from None


def _summary(solution: Solution) -> str:
    placed = len(solution.assignments)
    total = placed + len(solution.unscheduled)
    return _(
        "%(status)s: %(placed)d of %(total)d meetings placed; breaks: %(breaks)d (proven "
        "lower bound: %(bound)d); %(seconds).1f s."
    ) % {
        "status": solution.status,
        "placed": placed,
        "total": total,
        "breaks": solution.breaks_total,
        "bound": solution.lower_bound,
        "seconds": solution.elapsed_s,
    }
