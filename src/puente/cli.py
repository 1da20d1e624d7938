"""The ``puente`` console command: Puente's own commands plus every Django management command.

puente demo [--no-serve] [--seed N] [--port P]
puente import organizations FILE [--skip-invalid]
puente export organizations --format csv|json [--out FILE]
puente migrate | createsuperuser | shell | ...   (any Django command)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "puente.settings.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["puente", *args])


if __name__ == "__main__":
    main()
