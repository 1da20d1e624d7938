"""Shared by the translation tools: where the apps and their catalogs are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "puente"
LANGUAGES = ["es"]


def app_dirs() -> list[Path]:
    """Every Django app of the project (a directory with apps.py)."""
    return sorted(path.parent for path in PACKAGE.glob("*/apps.py"))


def catalog(app: Path, language: str = "es", domain: str = "django") -> Path:
    return app / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
