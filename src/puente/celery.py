"""The Celery application. With no broker configured, jobs run inline (embedded mode)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "puente.settings.base")

app = Celery("puente")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
