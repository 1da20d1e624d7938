"""Fill translations into an app's catalog from a JSON file of {msgid: msgstr} and compile it.

    python tools/fill_translations.py core translations.json

Plural entries take a list [singular, plural]. Entries marked fuzzy are replaced and unmarked.
"""

from __future__ import annotations

import json
import sys

import polib
from i18n_common import PACKAGE, catalog


def main() -> None:
    app, source = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as handle:
        translations: dict[str, str | list[str]] = json.load(handle)
    path = catalog(PACKAGE / app)
    po = polib.pofile(str(path))
    filled = 0
    for entry in po:
        if entry.msgid not in translations:
            continue
        value = translations[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value, value]
            entry.msgstr_plural = {0: forms[0], 1: forms[1]}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        filled += 1
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    missing = [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]
    print(f"{app}: filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", repr(msgid))


if __name__ == "__main__":
    main()
