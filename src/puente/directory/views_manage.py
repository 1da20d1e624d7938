"""Directory pages that change things: editing profiles, confirming and verifying them,
claiming organizations, the managers' claim queue, and a member's own pages.

Each view parses input, calls one service and renders; permissions are the services' and
selectors' business (a refused write answers the 403 page with the reason).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.viewer import viewer_for
from puente.core.errors import DomainError, PermissionDenied
from puente.core.forms import show_error, validated
from puente.directory import selectors, services
from puente.directory.forms import ClaimForm, organization_initial, person_initial
from puente.directory.models import ClaimStatus, OrganizationClaim
from puente.directory.views import (
    flag_param,
    forbidden_page,
    is_fragment_request,
    safe_next_url,
    signed_in_account,
)
from puente.directory.web_forms import ClaimDecisionForm, OrganizationProfileForm, PersonProfileForm


# --- organization profiles -----------------------------------------------------------------
@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    access = selectors.organization_access(viewer, organization)
    if not access.can_edit:
        return forbidden_page(
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
                organization=organization, actor=signed_in_account(request), values=values
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
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
        services.organization_confirm_current(
            organization=organization, actor=signed_in_account(request)
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    messages.success(
        request, _("Thank you: the profile is marked as current for the next 12 months.")
    )
    return HttpResponseRedirect(
        safe_next_url(
            request, reverse("directory:organization", kwargs={"slug": organization.slug})
        )
    )


@login_required
@require_POST
def organization_verification(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = selectors.organization_for_viewer(viewer, slug=slug)
    verified = flag_param(request.POST, "verified")
    if verified is None:
        messages.error(
            request, _("Choose whether to verify the organization or withdraw the verification.")
        )
        return redirect("directory:organization", slug=organization.slug)
    try:
        services.organization_set_verification(
            organization=organization, actor=signed_in_account(request), verified=verified
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
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
                user=signed_in_account(request),
                role_title=form.cleaned_data["role_title"],
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            show_error(form, error)
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
        return forbidden_page(request, _("Only hub managers review claims of organizations."))
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
        return forbidden_page(request, _("Only hub managers review claims of organizations."))
    claim = selectors.claim_in_managed_hubs(viewer, pk)
    form = ClaimDecisionForm(request.POST, prefix=f"claim-{claim.pk}")
    error_message = ""
    if form.is_valid():
        try:
            claim = services.organization_claim_decide(
                claim=claim,
                actor=signed_in_account(request),
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            error_message = error.message
    else:
        error_message = _("Choose to approve or reject the claim.")
    if is_fragment_request(request):
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


# --- a member's own pages ------------------------------------------------------------------
@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    existed = hasattr(request.user, "person")
    try:
        person = services.person_for_user(signed_in_account(request))
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
            person = services.person_update(
                person=person, actor=signed_in_account(request), values=values
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
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
