"""``puente schedule solve|validate``: the interchange format on the command line.

Malformed input exits non-zero with a message naming what is wrong, and the output file is
written whole or not at all.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from puente.events.scheduling import problem_from_dict, problem_to_dict, validate
from puente.events.scheduling.generator import InstanceSpec, generate
from puente.events.scheduling.io import solution_from_dict
from tests.console import run_puente
from tests.events.scheduling.conftest import make_document


def write_json(tmp_path: Path, document: Any, name: str = "problem.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def schedule(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("schedule", *args, "--language", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        schedule(*args)
    return str(error.value)


def test_solve_writes_a_valid_schedule_in_the_documented_format(tmp_path: Path) -> None:
    source = write_json(tmp_path, make_document())
    target = tmp_path / "schedule.json"
    _, err = schedule("solve", source, "--out", str(target), "--time-limit", "5", "--seed", "3")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert list(document)[:7] == [
        "status",
        "assignments",
        "unscheduled",
        "breaks_total",
        "breaks_per_participant",
        "lower_bound",
        "elapsed_s",
    ]
    problem = problem_from_dict(make_document())
    assert validate(problem, solution_from_dict(document, problem)) == []
    assert document["status"] == "optimal"
    assert len(document["assignments"]) == len(problem.meetings)
    assert "4 of 4 meetings placed" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["problem.json", "schedule.json"]


def test_solve_without_out_prints_the_schedule(tmp_path: Path) -> None:
    out, _ = schedule("solve", write_json(tmp_path, make_document()), "--time-limit", "5")
    assert json.loads(out)["breaks_total"] >= 0


def test_same_seed_same_schedule(tmp_path: Path) -> None:
    source = write_json(tmp_path, make_document())
    runs = [
        json.loads(schedule("solve", source, "--time-limit", "5", "--seed", "7")[0])
        for _ in range(2)
    ]
    assert runs[0]["assignments"] == runs[1]["assignments"]


def test_previous_schedule_is_kept_when_it_is_optimal(tmp_path: Path) -> None:
    source = write_json(tmp_path, make_document())
    first = tmp_path / "first.json"
    schedule("solve", source, "--out", str(first), "--time-limit", "5")
    again, _ = schedule("solve", source, "--time-limit", "5", "--previous", str(first))
    document = json.loads(again)
    assert document["moved"] == 0
    assert document["assignments"] == json.loads(first.read_text())["assignments"]


def _broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(make_document())
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["meetings"][0].update(participants=["p1", "p9"]), "p9"),
        (lambda d: d["meetings"][1].update(session="evening"), "evening"),
        (lambda d: d["participants"][0]["unavailable"].append("s9"), "s9"),
        (lambda d: d["meetings"].append({"id": "m1", "participants": ["p3", "p4"]}), "m1"),
        (lambda d: d["slots"].append({"id": "s1", "capacity": 2}), "s1"),
        (lambda d: d["meetings"][2].update(participants=["p2"]), "m3"),
        (lambda d: d["meetings"][2].update(participants=["p2", "p2"]), "m3"),
        (lambda d: d["slots"][1].update(capacity=-1), "s2"),
        (lambda d: d["meetings"][3].update(after=["m7"]), "m7"),
    ],
    ids=[
        "unknown participant",
        "unknown session",
        "unknown slot",
        "duplicate meeting",
        "duplicate slot",
        "meeting of one participant",
        "same participant twice",
        "negative capacity",
        "unknown after",
    ],
)
def test_malformed_problems_exit_non_zero_and_write_nothing(
    tmp_path: Path, change: Any, named: str
) -> None:
    source = write_json(tmp_path, _broken(change))
    target = tmp_path / "schedule.json"
    message = refused("solve", source, "--out", str(target), "--time-limit", "5")
    assert "is not a valid problem" in message
    assert named in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["problem.json"]


def test_an_existing_output_file_is_left_untouched_on_error(tmp_path: Path) -> None:
    target = tmp_path / "schedule.json"
    target.write_text("previous run", encoding="utf-8")
    source = write_json(tmp_path, _broken(lambda d: d["slots"][0].update(capacity=-2)))
    refused("solve", source, "--out", str(target), "--time-limit", "5")
    assert target.read_text(encoding="utf-8") == "previous run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["problem.json", "schedule.json"]


def test_unreadable_input_is_refused_clearly(tmp_path: Path) -> None:
    assert "does not exist" in refused("solve", str(tmp_path / "nope.json"), "--time-limit", "5")
    broken = tmp_path / "broken.json"
    broken.write_text('{"slots": [', encoding="utf-8")
    assert "is not valid JSON (line 1" in refused("solve", str(broken), "--time-limit", "5")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"slots": "Medellín"}'.encode("latin-1"))
    assert "is not UTF-8 text" in refused("solve", str(latin), "--time-limit", "5")
    assert "is a folder" in refused("solve", str(tmp_path), "--time-limit", "5")
    listed = write_json(tmp_path, [1, 2], "list.json")
    assert "must be an object" in refused("solve", listed, "--time-limit", "5")


@pytest.mark.parametrize("value", ["0", "-3", "nan", "inf", "4000"])
def test_time_limit_out_of_range_is_refused(tmp_path: Path, value: str) -> None:
    source = write_json(tmp_path, make_document())
    assert "time limit" in refused("solve", source, "--time-limit", value)


def test_bad_seed_work_limit_and_folder_are_refused(tmp_path: Path) -> None:
    source = write_json(tmp_path, make_document())
    assert "seed" in refused("solve", source, "--time-limit", "5", "--seed", "-1")
    assert "work limit" in refused("solve", source, "--time-limit", "5", "--work-limit", "0")
    missing = tmp_path / "no" / "out.json"
    assert "does not exist" in refused("solve", source, "--time-limit", "5", "--out", str(missing))


def test_a_bad_previous_schedule_is_refused(tmp_path: Path) -> None:
    source = write_json(tmp_path, make_document())
    previous = write_json(tmp_path, {"m1": 3}, "previous.json")
    assert "is not a schedule" in refused(
        "solve", source, "--time-limit", "5", "--previous", previous
    )


def test_validate_accepts_a_good_schedule_and_lists_each_broken_rule(tmp_path: Path) -> None:
    source = write_json(tmp_path, make_document())
    target = tmp_path / "schedule.json"
    schedule("solve", source, "--out", str(target), "--time-limit", "5")
    out, _ = schedule("validate", source, str(target))
    assert "The schedule is valid: 4 of 4 meetings placed" in out
    document = json.loads(target.read_text(encoding="utf-8"))
    document["breaks_total"] = 99
    first, second = document["assignments"][:2]
    second["slot"], second["table"] = first["slot"], first["table"]
    del document["placed_priority"]  # another tool may not report it
    tampered = write_json(tmp_path, document, "tampered.json")
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("schedule", "validate", source, tampered, "--language", "en", stdout=out)
    listed = out.getvalue().splitlines()
    assert f"breaks {len(listed)} rules of the problem" in str(error.value)
    assert any("breaks_total" in line for line in listed)
    assert "used twice" in out.getvalue()


def test_validate_refuses_a_file_that_is_not_a_schedule(tmp_path: Path) -> None:
    source = write_json(tmp_path, make_document())
    for document in ({"status": "done"}, {"status": "optimal", "assignments": [{"slot": 1}]}):
        path = write_json(tmp_path, document, "bad.json")
        assert "is not a schedule" in refused("validate", source, path)


def test_the_console_command_exits_non_zero_in_spanish_without_a_traceback(
    tmp_path: Path,
) -> None:
    source = write_json(tmp_path, _broken(lambda d: d["slots"][1].update(capacity=-1)))
    target = tmp_path / "schedule.json"
    result = run_puente(
        "schedule",
        "solve",
        source,
        "--out",
        str(target),
        "--time-limit",
        "5",
        data_dir=tmp_path,
        language="es",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no es un problema válido" in result.stderr
    assert "'s2'" in result.stderr
    assert not target.exists()


def test_advise_tables_adds_the_advice_when_the_schedule_is_not_proven(tmp_path: Path) -> None:
    # A tight generated event (5 tables per slot) that two nominal seconds do not prove.
    problem = generate(InstanceSpec("advice", 20, 50, 8, 5, seed=6))
    source = write_json(tmp_path, problem_to_dict(problem))
    budget = ("--time-limit", "60", "--work-limit", "2")
    out, _ = schedule("solve", source, *budget, "--advise-tables")
    result = json.loads(out)
    assert result["status"] == "feasible"
    advice = result["table_advice"]
    assert advice["current"]["breaks"] == result["breaks_total"]
    assert advice["helps"]
    assert advice["recommended"]["breaks"] < result["breaks_total"]
    assert advice["recommended"]["extra_tables"] >= 1
    plain = json.loads(schedule("solve", source, *budget)[0])
    assert "table_advice" not in plain
    assert plain["assignments"] == result["assignments"]  # the advice changes no schedule
