"""Extract translatable strings of every app into its own catalog, then compile them.

    python tools/messages.py            # update every app's locale/es/LC_MESSAGES/django.po and .mo
    python tools/messages.py --compile  # only compile .po into .mo

Each app keeps its own catalog so parallel work on different apps never conflicts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from i18n_common import LANGUAGES, ROOT, app_dirs


def run(args: list[str], cwd: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "puente.settings.test"}
    subprocess.run([sys.executable, "-P", "-m", "django", *args], cwd=cwd, check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile", action="store_true", help="only compile the catalogs")
    options = parser.parse_args()
    for app in app_dirs():
        (app / "locale").mkdir(exist_ok=True)
        if not options.compile:
            language_args = [arg for code in LANGUAGES for arg in ("-l", code)]
            run(
                [
                    "makemessages",
                    *language_args,
                    "--no-obsolete",
                    "--no-location",
                    "--no-wrap",
                    "-e",
                    "html,txt,py,svg",
                ],
                cwd=str(app),
            )
        run(["compilemessages", *[arg for code in LANGUAGES for arg in ("-l", code)]], cwd=str(app))
    print(f"Catalogs updated under {ROOT / 'src' / 'puente'}/*/locale")


if __name__ == "__main__":
    main()
