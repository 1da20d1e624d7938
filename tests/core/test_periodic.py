"""The recurring jobs: declared once, scheduled for Celery beat, run by the embedded server and
by ``puente periodic``."""

from __future__ import annotations

import datetime as dt
import inspect
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from puente.celery import app
from puente.core.periodic import JOBS, PeriodicJob, PeriodicRunner, beat_schedule, run_job
from puente.events.models import MeetingRequest, RequestStatus
from tests.events.helpers import make_event, pending_request, register

CALLS: list[str] = []


def quick_job() -> int:
    CALLS.append("quick")
    return 1


def slow_job() -> int:
    CALLS.append("slow")
    return 2


def broken_job() -> int:
    raise RuntimeError("boom")


QUICK = PeriodicJob(f"{__name__}.quick_job", dt.timedelta(minutes=5))
SLOW = PeriodicJob(f"{__name__}.slow_job", dt.timedelta(hours=1))
BROKEN = PeriodicJob(f"{__name__}.broken_job", dt.timedelta(minutes=5))


@pytest.fixture(autouse=True)
def _empty_calls() -> None:
    CALLS.clear()


def test_every_job_is_a_registered_celery_task_under_its_scheduled_name() -> None:
    app.loader.import_default_modules()
    for job in JOBS:
        task = job.function()
        assert task.name == (job.celery_name or job.task)
        assert task.name in app.tasks
        assert beat_schedule()[job.name]["task"] == task.name
    assert beat_schedule() == settings.CELERY_BEAT_SCHEDULE
    assert app.conf.beat_schedule == beat_schedule()


def test_every_task_that_takes_no_arguments_is_scheduled() -> None:
    """A job written to run by itself (expiry, reminder, release, purge) must not be forgotten."""
    app.loader.import_default_modules()
    scheduled = {job.celery_name or job.task for job in JOBS}
    unscheduled = [
        name
        for name, task in app.tasks.items()
        if (name.startswith(("puente.", "impact.")))
        and not inspect.signature(task.run).parameters
        and name not in scheduled
    ]
    assert unscheduled == []


def test_runner_runs_each_job_when_its_interval_has_passed() -> None:
    runner = PeriodicRunner(jobs=(QUICK, SLOW))
    start = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    assert {name: outcome.result for name, outcome in runner.run_due(start).items()} == {
        QUICK.name: 1,
        SLOW.name: 2,
    }
    assert runner.run_due(start + dt.timedelta(minutes=4)) == {}
    assert list(runner.run_due(start + dt.timedelta(minutes=5))) == [QUICK.name]
    assert list(runner.run_due(start + dt.timedelta(minutes=61))) == [QUICK.name, SLOW.name]
    assert CALLS == ["quick", "slow", "quick", "quick", "slow"]


def test_a_failing_job_is_logged_and_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = PeriodicRunner(jobs=(BROKEN, QUICK))
    outcomes = runner.run_due(dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    assert not outcomes[BROKEN.name].ok
    assert outcomes[QUICK.name].ok
    assert CALLS == ["quick"]
    assert "boom" in caplog.text
    assert run_job(BROKEN).ok is False


def test_runner_thread_stops_by_itself_when_asked() -> None:
    runner = PeriodicRunner(jobs=(QUICK,), tick=0.01)
    runner.start()
    runner.stop(timeout=5)
    assert runner._thread is not None
    assert not runner._thread.is_alive()
    assert CALLS
    assert set(CALLS) == {"quick"}


@pytest.mark.django_db
def test_command_expires_meeting_requests_nobody_answered() -> None:
    event = make_event()
    first, second = register(event), register(event)
    due = pending_request(first, second)
    waiting = pending_request(register(event), second)
    MeetingRequest.objects.filter(pk=due.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    out = StringIO()
    call_command("periodic", "--job", "events.expire_meeting_requests", stdout=out)
    assert "events.expire_meeting_requests: 1" in out.getvalue()
    due.refresh_from_db()
    waiting.refresh_from_db()
    assert due.status == RequestStatus.EXPIRED
    assert waiting.status == RequestStatus.PENDING


@pytest.mark.django_db
def test_command_runs_every_job_on_an_empty_database_and_lists_them() -> None:
    out = StringIO()
    call_command("periodic", "--language", "en", stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == [
        job.name for job in JOBS
    ]
    listing = StringIO()
    call_command("periodic", "--list", "--language", "es", stdout=listing)
    assert "events.expire_meeting_requests — cada 15 min" in listing.getvalue()


def test_command_refuses_an_unknown_job() -> None:
    with pytest.raises(CommandError, match="nope"):
        call_command("periodic", "--job", "nope", "--language", "en")
