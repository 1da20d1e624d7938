"""The recurring jobs, declared once: Celery beat runs them in production, the embedded server
runs them itself.

Each job is a Celery task already defined in its app's ``tasks.py`` (expiring introductions,
meeting requests and opportunities, reminders, releasing no-show bookings, ...). This module
only says how often each runs. With a broker (``REDIS_URL``) the schedule is
``CELERY_BEAT_SCHEDULE`` and ``celery -A puente beat`` sends the jobs to the workers. Without
one (the demo, a single-machine install) ``puente serve`` starts a :class:`PeriodicRunner`
thread that calls the same tasks in the web process, and ``puente periodic`` runs them once,
for cron.

This module imports no models, so the settings can import it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """One recurring job: the dotted path of a Celery task and how often it runs."""

    task: str
    every: dt.timedelta
    celery_name: str = ""  # when the task was declared with an explicit name

    @property
    def name(self) -> str:
        return self.task.removeprefix("puente.").replace(".tasks.", ".")

    def function(self) -> Callable[[], object]:
        module, _, attribute = self.task.rpartition(".")
        task: Callable[[], object] = getattr(importlib.import_module(module), attribute)
        return task


MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

JOBS: tuple[PeriodicJob, ...] = (
    # Bookings nobody checked in to within 15 minutes are released for others.
    PeriodicJob("puente.spaces.tasks.release_unchecked_bookings", 5 * MINUTE),
    # Pending meeting requests hold no slot; they expire after the event's configured time.
    PeriodicJob("puente.events.tasks.expire_meeting_requests", 15 * MINUTE),
    # Agenda changes go out by email once the organizers have stopped making them.
    PeriodicJob("puente.events.tasks.email_agenda_changes", 5 * MINUTE),
    PeriodicJob("puente.spaces.tasks.remind_event_attendees", HOUR),
    # A day before their first meeting, each brokerage participant is reminded once.
    PeriodicJob("puente.events.tasks.remind_pending_requests", HOUR),
    PeriodicJob("puente.events.tasks.remind_participants", HOUR),
    # After their last meeting, each brokerage participant is asked once how it went.
    PeriodicJob("puente.events.tasks.ask_for_feedback", HOUR),
    PeriodicJob("puente.accounts.tasks.purge_login_attempts", 15 * MINUTE),
    PeriodicJob("puente.introductions.tasks.expire_introductions", HOUR),
    PeriodicJob("puente.marketplace.tasks.expire_opportunities", HOUR),
    PeriodicJob("puente.marketplace.tasks.remind_expiring_opportunities", DAY),
    PeriodicJob("puente.landing.tasks.remind_unanswered_surveys", DAY),
    PeriodicJob("puente.impact.tasks.sync_activity", DAY, celery_name="impact.sync_activity"),
    # The SQLite planner needs statistics to prefer primary keys over unselective indexes.
    PeriodicJob("puente.core.tasks.analyze_database", DAY),
)


def beat_schedule(jobs: Iterable[PeriodicJob] = JOBS) -> dict[str, dict[str, object]]:
    """``CELERY_BEAT_SCHEDULE``: one entry per job, keyed by its short name."""
    return {job.name: {"task": job.celery_name or job.task, "schedule": job.every} for job in jobs}


@dataclass(frozen=True)
class Outcome:
    """What one run of a job gave: its result, or ``ok=False`` when it raised."""

    ok: bool
    result: object = None


def run_job(job: PeriodicJob) -> Outcome:
    """Run one job in this thread. Errors are logged, not raised, so one failing job does not
    stop the others."""
    try:
        result = job.function()()
    except Exception:
        logger.exception("Periodic job %s failed", job.name)
        return Outcome(ok=False)
    logger.info("Periodic job %s: %s", job.name, result)
    return Outcome(ok=True, result=result)


@dataclass
class PeriodicRunner:
    """Runs the jobs that are due, in the calling thread (:meth:`run_due`) or in a daemon
    thread that wakes every ``tick`` until :meth:`stop` (:meth:`start`)."""

    jobs: tuple[PeriodicJob, ...] = JOBS
    tick: float = 60.0

    def __post_init__(self) -> None:
        self.last_run: dict[str, dt.datetime] = {}
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def due(self, now: dt.datetime) -> list[PeriodicJob]:
        """Jobs never run by this runner, or whose interval has passed since their last run."""
        return [
            job
            for job in self.jobs
            if job.name not in self.last_run or now - self.last_run[job.name] >= job.every
        ]

    def run_due(self, now: dt.datetime | None = None) -> dict[str, Outcome]:
        now = now or dt.datetime.now(dt.UTC)
        results: dict[str, Outcome] = {}
        for job in self.due(now):
            if self._stopped.is_set():
                break
            results[job.name] = run_job(job)
            self.last_run[job.name] = now
        return results

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="puente-periodic", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        from django.db import connections

        while not self._stopped.is_set():
            try:
                self.run_due()
            finally:
                # This thread's own connections: a long-lived idle one would go stale.
                connections.close_all()
            self._stopped.wait(self.tick)
