"""Directory pages: search organizations and people, read and edit profiles, claim organizations.

Views only parse input, call one selector or service and render; every rule lives in
``selectors`` (who sees what) and ``services`` (who may change what).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.i18n import active_language, pick_translation
from puente.core.redirects import next_path
from puente.directory import selectors
from puente.directory.forms import ClaimForm
from puente.directory.models import Organization
from puente.directory.widgets import PICKER_OPTIONS

PAGE_SIZE = 24
MAX_PAGE = 10_000
MAX_QUERY_LENGTH = 500
MAX_VALUES = 20
MAX_VALUE_LENGTH = 60
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

FACET_ORDER = ("hub", "type", "sector", "technology", "stage")
FACET_VISIBLE = 8  # values shown before a facet scrolls (see .facet-values.more)
FACET_TITLES = {
    "hub": gettext_lazy("Hub"),
    "type": gettext_lazy("Type"),
    "sector": gettext_lazy("Sector"),
    "technology": gettext_lazy("Technology"),
    "stage": gettext_lazy("Stage"),
}
SORT_LABELS = {
    "": gettext_lazy("Best match"),
    "name": gettext_lazy("Name A–Z"),
    "-name": gettext_lazy("Name Z–A"),
    "recent": gettext_lazy("Newest"),
    "updated": gettext_lazy("Recently confirmed"),
}
FLAG_LABELS = {
    "verified": gettext_lazy("Verified by the hub"),
    "stale": gettext_lazy("Needs an update"),
}


# --- query parameters ----------------------------------------------------------------------
def _clean(value: str, limit: int = MAX_VALUE_LENGTH) -> str:
    """A query-string value without control characters (PostgreSQL rejects NUL), bounded."""
    return _CONTROL_CHARACTERS.sub(" ", value[: limit * 2])[:limit].strip()


def _values(params: QueryDict, name: str) -> list[str]:
    values: list[str] = []
    for raw in params.getlist(name)[: MAX_VALUES * 2]:
        value = _clean(raw)
        if value and value not in values:
            values.append(value)
    return values[:MAX_VALUES]


def flag_param(params: QueryDict, name: str) -> bool | None:
    """A yes/no parameter: True, False, or None when absent or unreadable."""
    value = params.get(name, "")
    return {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(
        value.lower()
    )


def _page(params: QueryDict) -> int:
    try:
        return min(max(int(params.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def directory_filters_from(params: QueryDict) -> selectors.DirectoryFilters:
    """Directory filters from a query string; unknown taxonomy codes are dropped, never an error."""
    sort = params.get("sort", "")
    return selectors.DirectoryFilters(
        q=_clean(params.get("q", ""), MAX_QUERY_LENGTH),
        hubs=_values(params, "hub"),
        types=selectors.known_codes("organization_type", _values(params, "type")),
        sectors=selectors.known_codes("sector", _values(params, "sector")),
        technologies=selectors.known_codes("technology", _values(params, "technology")),
        stages=selectors.known_codes("stage", _values(params, "stage")),
        verified=flag_param(params, "verified"),
        stale=flag_param(params, "stale"),
        sort=sort if sort in selectors.SORTS else "",
    )


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def is_fragment_request(request: HttpRequest) -> bool:
    """An HTMX request for a fragment (a history restore needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _render_list(
    request: HttpRequest, full: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    response = render(request, fragment if is_fragment_request(request) else full, context)
    # The same URL answers a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in effect, shown as a chip that removes it."""

    label: str
    remove_url: str
    name: str
    value: str = ""


def filters_query(
    filters: selectors.DirectoryFilters, *, drop: tuple[str, str | None] | None = None
) -> str:
    """The directory URL of ``filters`` (first page), minus one value of a filter if asked."""
    pairs: list[tuple[str, str]] = []
    if filters.q:
        pairs.append(("q", filters.q))
    chosen = {
        "hub": filters.hubs,
        "type": filters.types,
        "sector": filters.sectors,
        "technology": filters.technologies,
        "stage": filters.stages,
    }
    for name in FACET_ORDER:
        pairs.extend((name, code) for code in chosen[name])
    for name in ("verified", "stale"):
        flag = getattr(filters, name)
        if flag is not None:
            pairs.append((name, "1" if flag else "0"))
    if filters.sort:
        pairs.append(("sort", filters.sort))
    if drop is not None:
        name, value = drop
        pairs = [
            (key, item)
            for key, item in pairs
            if not (key == name and (value is None or item == value))
        ]
    query = urlencode(pairs)
    return reverse("directory:organizations") + (f"?{query}" if query else "")


def _active_filters(
    filters: selectors.DirectoryFilters, facets: dict[str, list[selectors.FacetValue]]
) -> list[ActiveFilter]:
    chips: list[ActiveFilter] = []
    if filters.q:
        chips.append(
            ActiveFilter(
                label=f"“{filters.q}”",
                remove_url=filters_query(filters, drop=("q", None)),
                name="q",
            )
        )
    chosen = {
        "hub": filters.hubs,
        "type": filters.types,
        "sector": filters.sectors,
        "technology": filters.technologies,
        "stage": filters.stages,
    }
    for name in FACET_ORDER:
        labels = {value.code: value.label for value in facets.get(name, [])}
        for code in chosen[name]:
            chips.append(
                ActiveFilter(
                    label=f"{FACET_TITLES[name]}: {labels.get(code, code)}",
                    remove_url=filters_query(filters, drop=(name, code)),
                    name=name,
                    value=code,
                )
            )
    for name in ("verified", "stale"):
        flag = getattr(filters, name)
        if flag is not None:
            text = (
                FLAG_LABELS[name] if flag else _("Not: %(filter)s") % {"filter": FLAG_LABELS[name]}
            )
            chips.append(
                ActiveFilter(
                    label=str(text), remove_url=filters_query(filters, drop=(name, None)), name=name
                )
            )
    return chips


def _chosen_first(values: list[selectors.FacetValue]) -> list[selectors.FacetValue]:
    """Ticked values first in a long (scrolling) facet, so a choice is never hidden."""
    return (
        sorted(values, key=lambda value: not value.selected)
        if len(values) > FACET_VISIBLE
        else values
    )


# --- organizations -------------------------------------------------------------------------
def organization_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    filters = directory_filters_from(request.GET)
    page = _page(request.GET)
    result = selectors.organization_directory(
        viewer, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    if not result.items and page > 1 and result.count:
        # A page past the end (an old link, a hand-edited URL): show the last page instead.
        page = _pages(result.count)
        result = selectors.organization_directory(
            viewer, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    facets = [
        (name, FACET_TITLES[name], _chosen_first(result.facets.get(name, [])))
        for name in FACET_ORDER
    ]
    active = _active_filters(filters, result.facets)
    context = {
        "filters": filters,
        "result": result,
        "facets": facets,
        "profile_counts": result.profile_counts,
        "active_filters": active,
        "page": page,
        "pages": _pages(result.count),
        "sorts": SORT_LABELS,
    }
    return _render_list(
        request, "directory/organization_list.html", "directory/_organization_results.html", context
    )


def _description(organization: Organization) -> dict[str, Any]:
    text, language, is_translation = pick_translation(
        text=organization.description,
        language=organization.description_language,
        translation_text=organization.description_translation,
        translation_language=organization.description_translation_language,
        viewer_language=active_language(),
    )
    return {
        "description": text,
        "description_language": language,
        "description_is_translation": is_translation,
    }


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    access = selectors.organization_access(viewer, organization)
    claim = (
        selectors.pending_claim_of(request.user, organization)
        if access.can_claim and not access.can_edit
        else None
    )
    context = {
        "organization": organization,
        "access": access,
        "people": selectors.organization_people(viewer, organization),
        "pending_claim": claim,
        "claim_form": ClaimForm()
        if access.can_claim and not access.can_edit and claim is None and viewer.is_verified
        else None,
        "claims_waiting": selectors.pending_claims_on(viewer, organization)
        if access.can_verify
        else 0,
        **_description(organization),
    }
    return render(request, "directory/organization_detail.html", context)


def signed_in_account(request: HttpRequest) -> User:
    """The signed-in account of a view behind ``login_required``."""
    return cast(User, request.user)


def forbidden_page(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page, saying why."""
    return render(request, "403.html", {"message": message}, status=403)


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The posted ``next`` address when it is a path on this site, else ``fallback``."""
    return next_path(request, fallback)


def organization_options(request: HttpRequest) -> HttpResponse:
    """The options of an organization picker (``OrganizationPicker``) for what was typed:
    organizations the user may see, whose name contains it (htmx fragment)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    text = _clean(request.GET.get("organization_search", ""), 200)
    organizations = selectors.organizations_named(
        viewer_for(request.user),
        text,
        limit=PICKER_OPTIONS,
        scope=request.GET.get("scope", "visible"),
    )
    return render(
        request,
        "directory/_organization_options.html",
        {"organizations": organizations, "empty": request.GET.get("empty") != "0"},
    )


# --- people ----------------------------------------------------------------------------------
def person_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    params = request.GET
    filters = selectors.PeopleFilters(
        q=_clean(params.get("q", ""), MAX_QUERY_LENGTH),
        hubs=_values(params, "hub"),
        expertise=selectors.known_codes(("sector", "technology"), _values(params, "expertise")),
        mentors_only=flag_param(params, "mentor") is True,
    )
    page = _page(params)
    people, count = selectors.people_directory(
        viewer, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    if not people and page > 1 and count:
        page = _pages(count)
        people, count = selectors.people_directory(
            viewer, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    context = {
        "filters": filters,
        "people": people,
        "count": count,
        "page": page,
        "pages": _pages(count),
        "expertise_groups": selectors.expertise_choices(),
        "has_filters": bool(filters.q or filters.hubs or filters.expertise or filters.mentors_only),
    }
    return _render_list(
        request, "directory/person_list.html", "directory/_person_results.html", context
    )


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    person = selectors.person_for_viewer(viewer, slug=slug)
    return render(
        request,
        "directory/person_detail.html",
        {"person": person, "access": selectors.person_access(viewer, person)},
    )
