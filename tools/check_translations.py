"""Fail when a translatable string has no Spanish translation, a translation is fuzzy, a
compiled catalog is out of date, or (with GNU gettext available) code holds strings that were
never extracted. Run by `make lint`; the test suite runs the same checks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from i18n_common import LANGUAGES, app_dirs, catalog


def catalog_problems(app: Path, language: str) -> list[str]:
    problems: list[str] = []
    po_path = catalog(app, language)
    if not po_path.exists():
        return [f"{app.name}: no catalog {po_path.relative_to(app)}"] if _has_strings(app) else []
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{app.name}: fuzzy translation for {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"{app.name}: no {language} translation for {entry.msgid!r}")
        else:
            problems += placeholder_problems(app.name, entry)
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        problems.append(f"{app.name}: {mo_path.name} is missing; run make messages")
    else:
        compiled = {
            (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in polib.mofile(str(mo_path))
        }
        source = {
            (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in po.translated_entries()
        }
        if compiled != source:
            problems.append(f"{app.name}: {mo_path.name} is out of date; run make messages")
    return problems


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)")


def _placeholders(text: str) -> set[str]:
    return {named or braced for named, braced in _PLACEHOLDER.findall(text)}


def placeholder_problems(app: str, entry: polib.POEntry) -> list[str]:
    """A translation must use exactly the placeholders of its message, or rendering fails."""
    expected = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural or "")
    translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
    problems = []
    for text in translations:
        found = _placeholders(text)
        # a singular form may leave out the count ("un nodo" for %(counter)s)
        if found - expected or (expected - found) - {"counter", "count"}:
            problems.append(
                f"{app}: placeholders differ in {entry.msgid!r}: {sorted(found)} vs {sorted(expected)}"
            )
    return problems


def _has_strings(app: Path) -> bool:
    for path in app.rglob("*"):
        if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="ignore")
            if "translate" in text or "gettext" in text or "_(" in text:
                return True
    return False


def unextracted(app: Path, language: str) -> list[str]:
    """Strings in the code that the committed catalog lacks (needs GNU gettext)."""
    if shutil.which("xgettext") is None or not catalog(app, language).exists():
        return []
    committed = {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(catalog(app, language)))
        if not entry.obsolete
    }
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / app.name
        shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__"))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "puente.settings.test"}
        subprocess.run(
            [
                sys.executable,
                "-P",
                "-m",
                "django",
                "makemessages",
                "-l",
                language,
                "--no-obsolete",
                "--no-location",
                "--no-wrap",
                "-e",
                "html,txt,py,svg",
            ],
            cwd=copy,
            check=True,
            env=env,
            capture_output=True,
        )
        fresh = {
            (entry.msgctxt, entry.msgid)
            for entry in polib.pofile(str(catalog(copy, language)))
            if not entry.obsolete
        }
    return [
        f"{app.name}: not extracted yet: {msgid!r} (run make messages)"
        for _ctx, msgid in sorted(fresh - committed, key=str)
    ]


def inconsistent(language: str) -> list[str]:
    """The same English message translated differently in two apps' catalogs: which one a page
    shows would depend on the order of INSTALLED_APPS. Use pgettext contexts for real homonyms."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for app in app_dirs():
        path = catalog(app, language)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.translated():
                value = entry.msgstr or repr(sorted(entry.msgstr_plural.items()))
                seen.setdefault((entry.msgctxt, entry.msgid), {})[app.name] = value
    return [
        f"{msgid!r} is translated differently: {by_app}"
        for (_ctx, msgid), by_app in sorted(seen.items(), key=str)
        if len(set(by_app.values())) > 1
    ]


def main() -> int:
    problems: list[str] = []
    for language in LANGUAGES:
        problems += inconsistent(language)
    for app in app_dirs():
        for language in LANGUAGES:
            problems += catalog_problems(app, language)
            problems += unextracted(app, language)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} translation problem(s).")
        return 1
    print("Translations complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
