"""Write the API's OpenAPI schema to docs/openapi.json (run by `make openapi`).

    python tools/write_openapi.py          # rewrite docs/openapi.json
    python tools/write_openapi.py --check  # exit 1 if docs/openapi.json differs from the code

The test suite fails when the committed file drifts from the code; review the diff of this
file like any other change to the API's contract.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "puente.settings.test")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    options = parser.parse_args()

    import django

    django.setup()
    from puente.api.openapi import DOCUMENT_PATH, openapi_document

    document = openapi_document()
    current = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else ""
    if options.check:
        if current != document:
            print(
                f"{DOCUMENT_PATH.relative_to(ROOT)} is out of date; run make openapi",
                file=sys.stderr,
            )
            return 1
        print(f"{DOCUMENT_PATH.relative_to(ROOT)} is current.")
        return 0
    DOCUMENT_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT_PATH.write_text(document, encoding="utf-8")
    state = "unchanged" if current == document else "written"
    print(f"{DOCUMENT_PATH.relative_to(ROOT)} {state} ({len(document):,} bytes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
