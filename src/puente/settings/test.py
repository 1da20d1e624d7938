"""Settings for the test suite: fast hashing, mail kept in memory, jobs inline."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Jobs run inline in tests; the Celery worker test points the app at Redis explicitly.
CELERY_BROKER_URL = ""
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
EVENTS_SCHEDULER_THREAD = False  # tests run scheduler jobs inline, in order
SITE_URL = "http://testserver"
LOGIN_LOCKOUT_ATTEMPTS = 5
DEBUG = False
# Keep the test database away from the demo database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PUENTE_TEST_DB") or None}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
API_RATE_ANONYMOUS = API_RATE_AUTHENTICATED = "100000/s"
