"""WSGI entry point for application servers (gunicorn, uwsgi, waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "puente.settings.base")
application = get_wsgi_application()
