"""Directory pages: search organizations and people, read and edit profiles, claim organizations.

Views only parse input, call one selector or service and render; every rule lives in
``selectors`` (who sees what) and ``services`` (who may change what).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, PermissionDenied
from puente.core.forms import validated
from puente.core.i18n import active_language, pick_translation
from puente.directory import selectors, services
from puente.directory.forms import (
    ClaimDecisionForm,
    ClaimForm,
    OrganizationProfileForm,
    PersonProfileForm,
    organization_initial,
    person_initial,
)
from puente.directory.models import ClaimStatus, Organization, OrganizationClaim

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
    "name": gettext_lazy("Name A–Z"),  # noqa: RUF001 - an en dash between letters
    "-name": gettext_lazy("Name Z–A"),  # noqa: RUF001
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


def _flag(params: QueryDict, name: str) -> bool | None:
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
        verified=_flag(params, "verified"),
        stale=_flag(params, "stale"),
        sort=sort if sort in selectors.SORTS else "",
    )


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def _partial(request: HttpRequest) -> bool:
    """An HTMX request for a fragment (a history restore needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _render_list(
    request: HttpRequest, full: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    response = render(request, fragment if _partial(request) else full, context)
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
        "profile_counts": selectors.profile_facet_counts(viewer, filters),
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


def _account(request: HttpRequest) -> User:
    """The signed-in account of a view behind ``login_required``."""
    return cast(User, request.user)


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "403.html", {"message": message}, status=403)


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if (
        target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and not urlsplit(target).netloc
    ):
        return target
    return fallback


@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    access = selectors.organization_access(viewer, organization)
    if not access.can_edit:
        return _forbidden(
            request,
            _(
                "Only the organization's admins and the managers of its hubs can edit this profile. If you represent it, claim it from its page."
            ),
        )
    can_manage = viewer.manages_any(organization.hub_ids())
    form = OrganizationProfileForm(
        request.POST or None,
        initial=organization_initial(organization),
        instance=organization,
        can_manage_hubs=can_manage,
    )
    if request.method == "POST":
        try:
            values = validated(form)
            organization = services.organization_update(
                organization=organization, actor=_account(request), values=values
            )
        except PermissionDenied as error:
            return _forbidden(request, error.message)
        except DomainError as error:
            if not form.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("The profile of %(name)s is saved. Thank you for keeping it current.")
                % {"name": organization.name},
            )
            return redirect("directory:organization", slug=organization.slug)
    return render(
        request,
        "directory/organization_edit.html",
        {"organization": organization, "form": form, "can_manage": can_manage},
    )


@login_required
@require_POST
def organization_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    try:
        services.organization_confirm_current(organization=organization, actor=_account(request))
    except PermissionDenied as error:
        return _forbidden(request, error.message)
    messages.success(
        request, _("Thank you: the profile is marked as current for the next 12 months.")
    )
    return HttpResponseRedirect(
        _next_or(request, reverse("directory:organization", kwargs={"slug": organization.slug}))
    )


@login_required
@require_POST
def organization_verification(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    verified = _flag(request.POST, "verified")
    if verified is None:
        messages.error(
            request, _("Choose whether to verify the organization or withdraw the verification.")
        )
        return redirect("directory:organization", slug=organization.slug)
    try:
        services.organization_set_verification(
            organization=organization, actor=_account(request), verified=verified
        )
    except PermissionDenied as error:
        return _forbidden(request, error.message)
    if verified:
        messages.success(
            request,
            _("%(name)s is now marked as verified by the hub.") % {"name": organization.name},
        )
    else:
        messages.info(
            request, _("The verification of %(name)s was withdrawn.") % {"name": organization.name}
        )
    return redirect("directory:organization", slug=organization.slug)


@login_required
def organization_claim(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    access = selectors.organization_access(viewer, organization)
    if not access.can_claim:
        messages.info(request, _("You already manage this organization."))
        return redirect("directory:organization", slug=organization.slug)
    pending = selectors.pending_claim_of(request.user, organization)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            services.organization_claim_submit(
                organization=organization,
                user=_account(request),
                role_title=form.cleaned_data["role_title"],
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Your claim was sent to the managers of %(hub)s. You will get an email when they decide."
                )
                % {"hub": organization.hub.name},
            )
            return redirect("directory:organization", slug=organization.slug)
    return render(
        request,
        "directory/organization_claim.html",
        {"organization": organization, "form": form, "pending_claim": pending},
    )


# --- the managers' claim queue -------------------------------------------------------------
def _domain(value: str) -> str:
    host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    return host.removeprefix("www.").lower()


def _email_matches_website(claim: OrganizationClaim) -> bool:
    """Whether the claimant's email domain is the organization's website domain (a useful hint)."""
    website = _domain(claim.organization.website)
    email_domain = claim.user.email.rsplit("@", 1)[-1].lower()
    return bool(website) and (email_domain == website or email_domain.endswith(f".{website}"))


def _claim_context(claims: list[OrganizationClaim]) -> list[dict[str, Any]]:
    return [
        {
            "claim": claim,
            "domain_match": _email_matches_website(claim),
            "form": ClaimDecisionForm(prefix=f"claim-{claim.pk}"),
        }
        for claim in claims
    ]


@login_required
def claim_queue(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return _forbidden(request, _("Only hub managers review claims of organizations."))
    pending = list(selectors.claims_for_manager(viewer).order_by("created_at", "id"))
    return render(
        request,
        "directory/claim_queue.html",
        {"rows": _claim_context(pending), "decided": selectors.claims_recently_decided(viewer)},
    )


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return _forbidden(request, _("Only hub managers review claims of organizations."))
    claim = selectors.claim_in_managed_hubs(viewer, pk)
    form = ClaimDecisionForm(request.POST, prefix=f"claim-{claim.pk}")
    error_message = ""
    if form.is_valid():
        try:
            claim = services.organization_claim_decide(
                claim=claim,
                actor=_account(request),
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            return _forbidden(request, error.message)
        except DomainError as error:
            error_message = error.message
    else:
        error_message = _("Choose to approve or reject the claim.")
    if _partial(request):
        # htmx swaps only successful answers, so a refused decision is a 200 showing the error.
        row = {
            "claim": claim,
            "domain_match": _email_matches_website(claim),
            "form": form,
            "error": error_message,
        }
        return render(
            request,
            "directory/_claim_decided.html",
            {"row": row, "count": selectors.claims_for_manager(viewer).count()},
        )
    if error_message:
        messages.error(request, error_message)
    elif claim.status == ClaimStatus.APPROVED:
        messages.success(
            request,
            _("%(user)s now manages %(organization)s.")
            % {
                "user": claim.user.full_name or claim.user.email,
                "organization": claim.organization.name,
            },
        )
    else:
        messages.info(
            request,
            _("The claim of %(user)s on %(organization)s was rejected.")
            % {
                "user": claim.user.full_name or claim.user.email,
                "organization": claim.organization.name,
            },
        )
    return redirect("directory:claims")


# --- people ----------------------------------------------------------------------------------
def person_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    params = request.GET
    filters = selectors.PeopleFilters(
        q=_clean(params.get("q", ""), MAX_QUERY_LENGTH),
        hubs=_values(params, "hub"),
        expertise=selectors.known_codes(("sector", "technology"), _values(params, "expertise")),
        mentors_only=_flag(params, "mentor") is True,
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


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    existed = hasattr(request.user, "person")
    try:
        person = services.person_for_user(_account(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("core:home")
    if not existed:
        messages.info(
            request,
            _(
                "We started your directory profile from your account. Complete it so others can find you."
            ),
        )
    form = PersonProfileForm(
        request.POST or None,
        initial=person_initial(person),
        instance=person,
        can_manage_hubs=viewer.manages_any({person.hub_id}),
    )
    if request.method == "POST":
        try:
            values = validated(form)
            person = services.person_update(person=person, actor=_account(request), values=values)
        except PermissionDenied as error:
            return _forbidden(request, error.message)
        except DomainError as error:
            if not form.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("directory:person", slug=person.slug)
    return render(request, "directory/my_profile.html", {"person": person, "form": form})


@login_required
def my_organizations(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_of(request.user)
    claims = [
        claim for claim in selectors.claims_of(request.user) if claim.status != ClaimStatus.APPROVED
    ]
    return render(
        request, "directory/my_organizations.html", {"memberships": memberships, "claims": claims}
    )
