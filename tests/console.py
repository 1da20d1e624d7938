"""Runs the real ``puente`` console script in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_puente(
    *args: str, data_dir: Path, language: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``puente ARGS`` with its own data folder and message language (no settings module
    inherited from the test run); never raises on a non-zero exit."""
    env = {**os.environ, "PUENTE_DATA_DIR": str(data_dir), "PUENTE_LANGUAGE": language}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    env.pop("DJANGO_SETTINGS_MODULE", None)
    puente = Path(sys.executable).with_name("puente")
    return subprocess.run(
        [str(puente), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
