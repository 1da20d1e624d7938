"""The WSGI entry point (also what ``puente serve`` runs) imports every view at start, so the
first visitor does not wait for it (0.7 s on the demo)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_loading_the_application_imports_the_views_and_the_api() -> None:
    code = (
        "import sys, puente.wsgi; "
        "print(all(name in sys.modules for name in "
        "('puente.api.api', 'puente.events.views_organize', 'puente.matching.views')))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "puente.settings.test"}
    found = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        timeout=120,
    )
    assert found.stdout.strip() == "True", found.stderr
