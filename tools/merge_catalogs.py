"""Resolve merge conflicts in gettext catalogs: the union of both sides' entries.

    python tools/merge_catalogs.py            # every conflicted .po/.mo in the index

For each conflicted catalog, entries from both sides are kept; when both translate the same
message differently, ours wins. The .mo is recompiled from the merged .po.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib


def side(path: str, stage: int) -> polib.POFile | None:
    result = subprocess.run(["git", "show", f":{stage}:{path}"], capture_output=True, text=True)
    if result.returncode != 0:
        return None
    return polib.pofile(result.stdout)


def merge(path: str) -> None:
    ours, theirs = side(path, 2), side(path, 3)
    base = ours or theirs
    assert base is not None, path
    known = {(entry.msgctxt, entry.msgid): entry for entry in base}
    for other in (theirs,) if ours is not None else ():
        if other is None:
            continue
        for entry in other:
            key = (entry.msgctxt, entry.msgid)
            if key not in known:
                base.append(entry)
                known[key] = entry
            elif not known[key].translated() and entry.translated():
                known[key].msgstr = entry.msgstr
                known[key].msgstr_plural = entry.msgstr_plural
                known[key].flags = [flag for flag in known[key].flags if flag != "fuzzy"]
    base.save(path)
    mo = str(Path(path).with_suffix(".mo"))
    base.save_as_mofile(mo)
    subprocess.run(["git", "add", path, mo], check=True)
    print(f"merged {path}")


def main() -> None:
    conflicted = subprocess.run(
        ["git", "diff", "--name-only", "--diff-filter=U"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    catalogs = sorted({name[:-3] + ".po" for name in conflicted if name.endswith((".po", ".mo"))})
    for path in catalogs:
        if (
            subprocess.run(["git", "show", f":2:{path}"], capture_output=True).returncode != 0
            and subprocess.run(["git", "show", f":3:{path}"], capture_output=True).returncode != 0
        ):
            # only the .mo conflicted: recompile from the merged .po in the work tree
            catalog = polib.pofile(path)
        else:
            merge(path)
            continue
        catalog.save_as_mofile(path[:-3] + ".mo")
        subprocess.run(["git", "add", path[:-3] + ".mo"], check=True)
        print(f"recompiled {path[:-3]}.mo")


if __name__ == "__main__":
    sys.exit(main())
