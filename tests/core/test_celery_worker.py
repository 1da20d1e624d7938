"""Background jobs run on a real Celery worker against Redis when REDIS_URL is set (CI sets it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail

from puente.accounts.tasks import send_verification_email
from puente.celery import app
from tests.factories import UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not REDIS_URL, reason="REDIS_URL is not set: the real-worker test needs Redis (CI sets it)."
    ),
]


@pytest.fixture
def redis_worker(transactional_db: None) -> Iterator[Any]:
    from celery.contrib.testing.worker import start_worker

    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    _forget_backend()
    app.connection_for_write().default_channel.client.flushdb()
    try:
        with start_worker(
            app,
            pool="solo",
            concurrency=1,
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=10,
        ) as worker:
            yield worker
    finally:
        app.conf.update(saved)
        _forget_backend()


def _forget_backend() -> None:
    """Drop the result backend and broker pools Celery cached, so the next use reads app.conf.

    Earlier tests (eager mode, no broker) leave a disabled result backend and a connection pool
    for the default broker cached on the app; without this, the task would be published there.
    """
    app._backend_cache = None
    vars(app._local).pop("backend", None)
    app._pool = None
    app.amqp._producer_pool = None


def test_a_job_queued_in_redis_is_run_by_the_worker(redis_worker: Any) -> None:
    user = UserFactory(email="nueva@example.org", email_verified_at=None, language="es")
    result = send_verification_email.delay(user.pk)
    assert result.get(timeout=30) is True
    assert result.status == "SUCCESS"
    assert [message.to for message in mail.outbox] == [["nueva@example.org"]]
    assert "Confirma" in mail.outbox[0].subject or "Confirm" in mail.outbox[0].subject
