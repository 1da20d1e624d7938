"""Marketplace pages: browse and search opportunities, read one with its matches, post and
manage them, express interest.

Views only parse input, call one selector or service and render; the rules live in
``selectors`` (who sees what) and ``services`` (who may change what).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.viewer import Viewer, viewer_for
from puente.core.errors import DomainError, PermissionDenied
from puente.core.forms import show_error, validated
from puente.core.models import Hub, TaxonomyTerm, Vocabulary
from puente.directory.selectors import (
    known_codes,
    organization_visible_to,
    organizations_acted_for,
    own_organizations,
)
from puente.directory.views import (
    _clean,
    _page,
    _values,
    forbidden_page,
    is_fragment_request,
    signed_in_account,
)
from puente.marketplace import selectors, services
from puente.marketplace.forms import InterestForm, opportunity_initial
from puente.marketplace.models import Opportunity, Side, Status
from puente.marketplace.web_forms import OpportunityWebForm

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 500
MATCHES_SHOWN = 8


# --- browse and search ------------------------------------------------------------------------
@dataclass(frozen=True)
class Direction:
    """From one hub to another, as a filter value ``origin>destination``."""

    value: str
    origin: Hub
    destination: Hub


def directions(hubs: list[Hub]) -> list[Direction]:
    return [Direction(f"{a.slug}>{b.slug}", a, b) for a in hubs for b in hubs if a.pk != b.pk]


def filters_from(params: QueryDict, hubs: list[Hub]) -> tuple[selectors.OpportunityFilters, str]:
    """Marketplace filters from a query string; unknown values are dropped, never an error."""
    side = params.get("side", "")
    direction = params.get("direction", "")
    origins: list[str] = []
    reaching: list[str] = []
    if direction in {item.value for item in directions(hubs)}:
        origin, destination = direction.split(">")
        origins, reaching = [origin], [destination]
    else:
        direction = ""
    slugs = {hub.slug for hub in hubs}
    filters = selectors.OpportunityFilters(
        q=_clean(params.get("q", ""), MAX_QUERY_LENGTH),
        side=side if side in Side.values else "",
        kinds=known_codes(Vocabulary.CONNECTION_KIND, _values(params, "kind")),
        hubs=origins or [slug for slug in _values(params, "hub") if slug in slugs],
        reaching=reaching,
        sectors=known_codes(Vocabulary.SECTOR, _values(params, "sector")),
        stages=known_codes(Vocabulary.STAGE, _values(params, "stage")),
    )
    return filters, direction


def _terms(vocabulary: str) -> list[TaxonomyTerm]:
    return list(
        TaxonomyTerm.objects.filter(vocabulary=vocabulary, is_active=True).order_by(
            "sort_order", "code"
        )
    )


def opportunity_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    hubs = list(Hub.objects.filter(is_active=True))
    filters, direction = filters_from(request.GET, hubs)
    page = _page(request.GET)
    result = selectors.opportunity_list(
        viewer, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-result.count // PAGE_SIZE))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "page_obj": result,
        "opportunities": result.items,
        "count": result.count,
        "filters": filters,
        "direction": direction,
        "directions": directions(hubs),
        "hubs": hubs,
        "kinds": _terms(Vocabulary.CONNECTION_KIND),
        "sectors": _terms(Vocabulary.SECTOR),
        "stages": _terms(Vocabulary.STAGE),
        "sides": Side.choices,
        "page": page,
        "pages": pages,
        "previous_url": f"?{urlencode([*query.lists(), ('page', [str(page - 1)])], doseq=True)}"
        if page > 1
        else "",
        "next_url": f"?{urlencode([*query.lists(), ('page', [str(page + 1)])], doseq=True)}"
        if page < pages
        else "",
        "can_post": bool(viewer.organization_ids) or viewer.is_manager,
    }
    template = (
        "marketplace/_results.html"
        if is_fragment_request(request)
        else "marketplace/opportunity_list.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


# --- one opportunity ----------------------------------------------------------------------------
def _matches(viewer: Viewer, opportunity: Opportunity) -> list[Any]:
    """The opportunity's matches, remembered as shown (for the "matches shown" KPI)."""
    from puente.matching.selectors import opportunity_matches
    from puente.matching.services import matches_shown_record

    if opportunity.status == Status.ARCHIVED:
        return []
    results = opportunity_matches(viewer, opportunity, limit=MATCHES_SHOWN)
    matches_shown_record(viewer=viewer, subject=opportunity, results=results)
    return results


def _can_manage(request: HttpRequest, opportunity: Opportunity) -> bool:
    if not request.user.is_authenticated:
        return False
    return services.can_manage_opportunities(signed_in_account(request), opportunity.organization)


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    opportunity = selectors.opportunity_for_viewer(viewer, pk)
    can_manage = _can_manage(request, opportunity)
    is_member = opportunity.organization_id in viewer.organization_ids
    others_of_mine = own_organizations(viewer).exclude(pk=opportunity.organization_id)
    interests = selectors.interests_in(viewer, opportunity) if viewer.is_authenticated else []
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "can_manage": can_manage,
        "is_member": is_member,
        "interests": interests,
        "interest_form": InterestForm(organizations=others_of_mine)
        if opportunity.is_live and others_of_mine.exists()
        else None,
        "my_interest": next(
            (
                interest
                for interest in interests
                if interest.organization_id in viewer.organization_ids
            ),
            None,
        ),
        "matches": _matches(viewer, opportunity) if can_manage else [],
        "origin": opportunity.hub,
        "targets": list(opportunity.target_hubs.all()),
        "organization_visible": organization_visible_to(viewer, opportunity.organization_id),
    }
    return render(request, "marketplace/opportunity_detail.html", context)


def matches_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The matches of an opportunity alone (refreshed in place after feedback)."""
    viewer = viewer_for(request.user)
    opportunity = selectors.opportunity_for_viewer(viewer, pk)
    can_manage = _can_manage(request, opportunity)
    if not can_manage:
        return forbidden_page(
            request, _("Only members of the organization can see the matches of its opportunities.")
        )
    context = {
        "opportunity": opportunity,
        "matches": _matches(viewer, opportunity),
        "is_member": opportunity.organization_id in viewer.organization_ids,
    }
    return render(request, "marketplace/_matches.html", context)


# --- posting and managing ---------------------------------------------------------------------
def _postable_organizations(viewer: Viewer) -> Any:
    return organizations_acted_for(viewer).order_by("sort_name", "id")


@login_required
def opportunity_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    organizations = _postable_organizations(viewer)
    if not organizations.exists():
        return forbidden_page(
            request,
            _("Join an organization (or claim yours in the directory) to post opportunities."),
        )
    first = organizations.first()
    initial = {
        "hub": first.hub.slug if first else "",
        "language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("es", "en") else "es",
        "side": Side.REQUEST,
    }
    if request.GET.get("side") in Side.values:
        initial["side"] = request.GET["side"]
    form = OpportunityWebForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST":
        try:
            values = validated(form)
            publish = "publish" in request.POST
            opportunity = services.opportunity_create(
                organization=values.pop("organization"),
                actor=signed_in_account(request),
                values=values,
                publish=publish,
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            if opportunity.status == Status.PUBLISHED:
                messages.success(
                    request, _("Your opportunity is published. Its matches are below.")
                )
            else:
                messages.success(request, _("Your draft is saved. Publish it when it is ready."))
            return redirect("marketplace:detail", pk=opportunity.pk)
    return render(request, "marketplace/opportunity_form.html", {"form": form, "opportunity": None})


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    opportunity = selectors.opportunity_for_viewer(viewer, pk)
    if not services.can_manage_opportunities(signed_in_account(request), opportunity.organization):
        return forbidden_page(
            request, _("Only members of the organization can manage its opportunities.")
        )
    if opportunity.status == Status.ARCHIVED:
        messages.error(request, _("Archived opportunities cannot be edited; publish a new one."))
        return redirect("marketplace:detail", pk=opportunity.pk)
    form = OpportunityWebForm(
        request.POST or None, initial=opportunity_initial(opportunity), instance=opportunity
    )
    if request.method == "POST":
        try:
            values = validated(form)
            services.opportunity_update(
                opportunity=opportunity, actor=signed_in_account(request), values=values
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("marketplace:detail", pk=opportunity.pk)
    return render(
        request, "marketplace/opportunity_form.html", {"form": form, "opportunity": opportunity}
    )


ACTIONS = {
    "publish": services.opportunity_publish,
    "renew": services.opportunity_renew,
    "archive": services.opportunity_archive,
}


@login_required
@require_POST
def opportunity_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    opportunity = selectors.opportunity_for_viewer(viewer, pk)
    if action not in ACTIONS:
        return forbidden_page(request, _("Unknown action."))
    service = ACTIONS[action]
    try:
        service(opportunity=opportunity, actor=signed_in_account(request))
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _action_message(action))
    return redirect("marketplace:detail", pk=opportunity.pk)


def _action_message(action: str) -> str:
    if action == "publish":
        return _("Published: visible to the network for 365 days.")
    if action == "renew":
        return _("Renewed: visible for another 365 days.")
    return _("Archived: it no longer appears in the marketplace.")


@login_required
@require_POST
def interest_create(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    opportunity = selectors.opportunity_for_viewer(viewer, pk)
    form = InterestForm(request.POST, organizations=own_organizations(viewer))
    try:
        values = validated(form)
        services.interest_express(
            opportunity=opportunity,
            organization=values["organization"],
            actor=signed_in_account(request),
            message=values.get("message") or "",
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your interest was sent to %(organization)s.")
            % {"organization": opportunity.organization.name},
        )
    return redirect("marketplace:detail", pk=opportunity.pk)


@login_required
@require_POST
def interest_withdraw(request: HttpRequest, pk: int, interest_pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    opportunity = selectors.opportunity_for_viewer(viewer, pk)
    interest = next(
        (item for item in selectors.interests_in(viewer, opportunity) if item.pk == interest_pk),
        None,
    )
    if interest is None:
        return forbidden_page(request, _("You cannot withdraw this expression of interest."))
    try:
        services.interest_withdraw(interest=interest, actor=signed_in_account(request))
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    messages.success(request, _("Your expression of interest was withdrawn."))
    return redirect("marketplace:detail", pk=opportunity.pk)


@login_required
def my_opportunities(request: HttpRequest) -> HttpResponse:
    """Every opportunity of the viewer's organizations, drafts and archived ones included."""
    viewer = viewer_for(request.user)
    items = list(
        selectors.opportunities_visible_to(viewer)
        .filter(organization_id__in=viewer.organization_ids)
        .select_related("organization", "hub", "kind")
        .prefetch_related("sectors", "target_hubs")
        .order_by("status", "-updated_at")[:200]
    )
    return render(
        request,
        "marketplace/my_opportunities.html",
        {"opportunities": items, "create_url": reverse("marketplace:create")},
    )
