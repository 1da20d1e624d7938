"""Post mutated values into every form of the demo and report any server error.

    python tools/fuzz_forms.py                      # every demo role, 200 pages each
    python tools/fuzz_forms.py --pages 400 --seed 2 # a longer, different run

It seeds the small demo into a throwaway SQLite database, then, as each demo account and
as an anonymous visitor, walks the site from the home page (breadth first, at most
``--pages`` pages each). For every form and every link with a query string it has not
seen (same path shape, same field names), it sends the page's own values with one to
three fields replaced by hostile ones (empty, huge and negative numbers, NUL, 20,000
characters, impossible dates, markup, emoji), every field hostile at once, nothing but
the CSRF token, and every value doubled. PRODUCT.md: "No request returns a server error
for any input." Exit status 1 when any request answered 5xx; each distinct exception is
printed once with the request that raised it.

Nothing leaves the process: requests go through Django's test client, mail stays in
memory, jobs run inline. A run of 200 pages per role (about 10,000 requests) takes
about 6 minutes here.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import traceback
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HOSTILE = [
    "", " ", "-1", "0", "1.5", "-0", "0x10", "\uff11\uff12", "\u00b2", "\u0663", "1,2", "1e309", "nan", "inf",
    "99999999999999999999", "9223372036854775808", "-9223372036854775809",
    "a\x00b", "x" * 20_000, "2026-02-30", "2026-13-01", "0001-01-01", "10000-01-01",
    "9999-12-31T23:59", "25:99", "<script>alert(1)</script>", "🙂" * 50, "' OR 1=1 --",
    "[]", "{}", "null", "true", "%", "\\", "../../etc/passwd", "https://",
    "javascript:alert(1)",
]  # fmt: skip
#: Pages that would end the session or wipe the account being used.
SKIPPED = ("logout", "sign-out", "/i18n/", "/accounts/delete", "/accounts/password")
UNSENT_TYPES = {"submit", "button", "image", "reset", "file"}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Links and forms of one page, with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value", ""), "selected" in a))
        elif tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").lower())
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in UNSENT_TYPES or (kind in ("checkbox", "radio") and "checked" not in a):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.fields.setdefault(a["name"], []).append(a.get("value", default))
        elif tag == "select":
            self._select = (a["name"], [])
        elif tag == "textarea":
            self._form.fields.setdefault(a["name"], []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [value for value, selected in options if selected] or [
                options[0][0] if options else ""
            ]
            self._form.fields.setdefault(name, []).append(chosen[0])
            self._select = None


def shape(path: str) -> str:
    """A path with its numbers replaced, so /events/3/ and /events/4/ count as one form."""
    return "/".join("N" if part.isdigit() else part for part in path.split("/"))


def variants(values: dict[str, list[str]], rng: random.Random, count: int) -> list[dict]:
    """The page's own values with a few fields hostile, then three blunt variants."""
    names = [name for name in values if name != "csrfmiddlewaretoken"]
    out: list[dict[str, list[str]]] = []
    for _ in range(count if names else 1):
        data = {name: list(vals) for name, vals in values.items()}
        for name in rng.sample(names, min(len(names), rng.choice([1, 1, 2, 3]))):
            data[name] = [rng.choice(HOSTILE)]
        out.append(data)
    if names:
        out.append({"csrfmiddlewaretoken": values.get("csrfmiddlewaretoken", [""])})
        out.append({name: [*vals, *vals, "zz"] for name, vals in values.items()})
        out.append(
            {
                name: vals if name == "csrfmiddlewaretoken" else [rng.choice(HOSTILE)]
                for name, vals in values.items()
            }
        )
    return out


def run(roles: list[str | None], pages_per_role: int, tries: int, seed: int) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import got_request_exception
    from django.test import Client

    from puente.accounts.models import User
    from puente.demo.seed import seed_demo
    from puente.demo.seed.accounts import ACCOUNTS

    settings.ALLOWED_HOSTS = ["testserver"]
    demo_emails = [account.email for account in ACCOUNTS]
    unknown = [email for email in roles if email is not None and email not in demo_emails]
    if unknown:
        print(f"not a demo account: {', '.join(unknown)}; choose from {', '.join(demo_emails)}")
        return 2
    if not roles:
        roles = [*demo_emails, None]
    call_command("migrate", interactive=False, verbosity=0)
    seed_demo(seed=seed, size="small", reset=False)

    rng = random.Random(seed)
    current = {"request": ""}
    failures: dict[str, tuple[str, str]] = {}

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        text = traceback.format_exc()
        failures.setdefault(text.strip().splitlines()[-1], (current["request"], text))

    got_request_exception.connect(record)
    seen_shapes: set[tuple[Any, ...]] = set()
    sent = 0
    server_errors = 0

    for email in roles:
        client = Client(raise_request_exception=False)
        if email:
            client.force_login(User.objects.get(email=email))
        queue: deque[str] = deque(["/"])
        visited: set[str] = set()
        per_path: dict[str, int] = {}
        while queue and len(visited) < pages_per_role:
            url = queue.popleft()
            if url in visited or any(part in url for part in SKIPPED):
                continue
            visited.add(url)
            current["request"] = f"{email or 'anonymous'} GET {url}"
            response = client.get(url)
            if response.status_code >= 500:
                server_errors += 1
            if response.status_code in (301, 302) and response.get("Location"):
                queue.append(urljoin(url, response["Location"]))
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = PageParser()
            parser.feed(response.content.decode("utf-8", "replace"))
            for href in parser.links:
                parts = urlsplit(urljoin(url, href))
                if parts.netloc not in ("", "testserver") or parts.path.startswith(
                    ("/static/", "/media/", "/admin/")
                ):
                    continue
                per_path[parts.path] = per_path.get(parts.path, 0) + 1
                if per_path[parts.path] <= 4:
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
                if parts.query:
                    params = parse_qs(parts.query, keep_blank_values=True)
                    key = (email, "get", shape(parts.path), tuple(sorted(params)))
                    if key not in seen_shapes:
                        seen_shapes.add(key)
                        forms = [Form(parts.path, "get", params)]
                        server_errors += _send(client, forms, rng, tries, current, email)
                        sent += tries + 3
            for form in parser.forms:
                action = urlsplit(urljoin(url, form.action or url)).path
                if any(part in action for part in SKIPPED):
                    continue
                key = (email, form.method, shape(action), tuple(sorted(form.fields)))
                if key in seen_shapes:
                    continue
                seen_shapes.add(key)
                form.action = action
                server_errors += _send(client, [form], rng, tries, current, email)
                sent += tries + 3
        print(f"{email or 'anonymous'}: {len(visited)} pages, {len(seen_shapes)} forms so far")

    print(f"about {sent} requests sent; {server_errors} answered 5xx")
    for request, text in failures.values():
        print("=" * 78)
        print(request[:800])
        print(text[-3000:])
    return 1 if server_errors or failures else 0


def _send(
    client: Any, forms: list[Form], rng: random.Random, tries: int, current: dict, email: Any
) -> int:
    errors = 0
    for form in forms:
        for data in variants(form.fields, rng, tries):
            current["request"] = (
                f"{email or 'anonymous'} {form.method.upper()} {form.action} {data!r}"
            )
            send = client.post if form.method == "post" else client.get
            if send(form.action, data).status_code >= 500:
                errors += 1
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=200, help="pages to walk per role")
    parser.add_argument("--tries", type=int, default=10, help="hostile variants per form")
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo and the values")
    parser.add_argument(
        "--role",
        action="append",
        metavar="EMAIL",
        help="only this demo account, or 'anonymous' (repeatable; default: every demo account "
        "and anonymous)",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="puente-fuzz-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'fuzz.sqlite3'}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "puente.settings.test"
        roles = [None if role == "anonymous" else role for role in options.role or []]
        return run(roles, options.pages, options.tries, options.seed)


if __name__ == "__main__":
    sys.exit(main())
