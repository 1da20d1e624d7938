"""Directory pages: search organizations and people, and read their profiles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from puente.accounts.viewer import viewer_for
from puente.core.i18n import active_language, pick_translation
from puente.directory import selectors

PAGE_SIZE = 24
MAX_PAGE = 10_000
MAX_QUERY_LENGTH = 500
MAX_VALUES = 20


def _values(params: QueryDict, name: str) -> list[str]:
    return [value[:60] for value in params.getlist(name) if value][:MAX_VALUES]


def _flag(params: QueryDict, name: str) -> bool | None:
    value = params.get(name, "")
    return {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(value.lower())


def _page(params: QueryDict) -> int:
    try:
        return min(max(int(params.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def directory_filters_from(params: QueryDict) -> selectors.DirectoryFilters:
    sort = params.get("sort", "")
    return selectors.DirectoryFilters(
        q=params.get("q", "")[:MAX_QUERY_LENGTH].strip(),
        hubs=_values(params, "hub"),
        types=_values(params, "type"),
        sectors=_values(params, "sector"),
        technologies=_values(params, "technology"),
        stages=_values(params, "stage"),
        verified=_flag(params, "verified"),
        stale=_flag(params, "stale"),
        sort=sort if sort in selectors.SORTS else "",
    )


def organization_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    filters = directory_filters_from(request.GET)
    page = _page(request.GET)
    result = selectors.organization_directory(viewer, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-result.count // PAGE_SIZE))
    context = {
        "filters": filters,
        "result": result,
        "page": page,
        "pages": pages,
        "facet_titles": FACET_TITLES,
        "sorts": SORT_LABELS,
    }
    template = "directory/_organization_results.html" if request.htmx else "directory/organization_list.html"
    return render(request, template, context)


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    access = selectors.organization_access(viewer, organization)
    text, text_language, is_translation = pick_translation(
        text=organization.description,
        language=organization.description_language,
        translation_text=organization.description_translation,
        translation_language=organization.description_translation_language,
        viewer_language=active_language(),
    )
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "access": access,
            "description": text,
            "description_language": text_language,
            "description_is_translation": is_translation,
            "people": selectors.organization_people(viewer, organization),
        },
    )


def person_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    params = request.GET
    filters = selectors.PeopleFilters(
        q=params.get("q", "")[:MAX_QUERY_LENGTH].strip(),
        hubs=_values(params, "hub"),
        expertise=_values(params, "expertise"),
        mentors_only=_flag(params, "mentor") is True,
    )
    page = _page(params)
    people, count = selectors.people_directory(viewer, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    context = {"filters": filters, "people": people, "count": count, "page": page, "pages": max(1, -(-count // PAGE_SIZE))}
    template = "directory/_person_results.html" if request.htmx else "directory/person_list.html"
    return render(request, template, context)


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    person = selectors.person_for_viewer(viewer, slug=slug)
    return render(request, "directory/person_detail.html", {"person": person, "access": selectors.person_access(viewer, person)})


FACET_TITLES = {
    "hub": _("Hub"),
    "type": _("Type"),
    "sector": _("Sector"),
    "technology": _("Technology"),
    "stage": _("Stage"),
}
SORT_LABELS = {
    "": _("Best match"),
    "name": _("Name A–Z"),
    "-name": _("Name Z–A"),
    "recent": _("Newest"),
    "updated": _("Recently confirmed"),
}
