"""Introduction pages: request one from a match, the inbox, answer, broker, record outcomes.

Contact details appear only once both sides accepted (``selectors.counterpart_contact``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puente.accounts.viewer import Viewer, viewer_for
from puente.core.errors import DomainError, PermissionDenied
from puente.core.forms import show_error, validated
from puente.core.ids import parse_id
from puente.directory.models import Organization
from puente.directory.selectors import organizations_visible_to, own_organizations
from puente.directory.views import _page, forbidden_page, signed_in_account
from puente.introductions import selectors, services
from puente.introductions.forms import BrokerForm, DeclineForm, IntroductionRequestForm, OutcomeForm
from puente.introductions.models import Introduction, IntroductionStatus
from puente.marketplace.models import Opportunity
from puente.marketplace.selectors import opportunities_visible_to
from puente.matching.explanations import Reason, reasons_from_stored, stored_factors

PAGE_SIZE = 20


def _opportunity(viewer: Viewer, pk: int | None) -> Opportunity | None:
    if pk is None:
        return None
    return (
        opportunities_visible_to(viewer)
        .select_related("organization", "organization__hub", "kind")
        .filter(pk=pk)
        .first()
    )


def _reasons(
    viewer: Viewer, opportunity: Opportunity | None, item_type: str, item_pk: int
) -> list[Reason]:
    """Why the matched item was suggested for the requester's opportunity (empty if it no longer is)."""
    if opportunity is None:
        return []
    from puente.matching.selectors import opportunity_matches

    for match in opportunity_matches(viewer, opportunity, limit=50):
        if match.item_type == item_type and match.id == item_pk:
            return match.reasons
    return []


@login_required
def introduction_request(request: HttpRequest) -> HttpResponse:
    """Ask for an introduction to the organization behind a match (or any organization)."""
    viewer = viewer_for(request.user)
    source = request.POST if request.method == "POST" else request.GET
    opportunity = _opportunity(viewer, parse_id(source.get("opportunity")))
    target_opportunity = _opportunity(viewer, parse_id(source.get("target_opportunity")))
    target: Organization | None
    if target_opportunity is not None:
        target = target_opportunity.organization
    else:
        target_pk = parse_id(source.get("target"))
        target = (
            organizations_visible_to(viewer)
            .select_related("hub", "type")
            .filter(pk=target_pk)
            .first()
            if target_pk
            else None
        )
    if target is None:
        raise Http404("organization")
    organizations = own_organizations(viewer).exclude(pk=target.pk)
    if not organizations.exists():
        return forbidden_page(
            request, _("Join an organization of the network to request introductions.")
        )
    if opportunity is not None and opportunity.organization_id not in viewer.organization_ids:
        opportunity = None
    first = organizations.first()
    initial = {
        "requester": opportunity.organization_id if opportunity else first.pk if first else None
    }
    form = IntroductionRequestForm(
        request.POST or None, organizations=organizations, initial=initial
    )
    item_type, item_pk = (
        ("opportunity", target_opportunity.pk)
        if target_opportunity
        else ("organization", target.pk)
    )
    reasons = _reasons(viewer, opportunity, item_type, item_pk)
    if request.method == "POST":
        try:
            values = validated(form)
            introduction = services.introduction_request(
                actor=signed_in_account(request),
                requester=values["requester"],
                target=target,
                message=values.get("message") or "",
                opportunity=opportunity
                if opportunity is not None and opportunity.organization_id == values["requester"].pk
                else None,
                target_opportunity=target_opportunity,
                explanation=stored_factors(reasons),
            )
        except PermissionDenied as error:
            return forbidden_page(request, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request was sent to %(organization)s. You will see their contact details once they accept."
                )
                % {"organization": target.name},
            )
            return redirect("introductions:detail", pk=introduction.pk)
    context = {
        "form": form,
        "target": target,
        "opportunity": opportunity,
        "target_opportunity": target_opportunity,
        "reasons": reasons,
    }
    return render(request, "introductions/request.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    box = request.GET.get("box", "waiting")
    if box not in selectors.BOXES:
        box = "waiting"
    page = _page(request.GET)
    items, count = selectors.introduction_inbox(
        viewer, box, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    rows = [{"introduction": item, "side": item.side_of(viewer.organization_ids)} for item in items]
    context: dict[str, Any] = {
        "box": box,
        "rows": rows,
        "count": count,
        "page": page,
        "pages": max(1, -(-count // PAGE_SIZE)),
        "can_broker": viewer.is_manager,
    }
    return render(request, "introductions/inbox.html", context)


def _waiting_for(introduction: Introduction, side: str | None) -> bool:
    if introduction.status != IntroductionStatus.PENDING or side is None:
        return False
    return (
        introduction.requester_accepted_at
        if side == "requester"
        else introduction.target_accepted_at
    ) is None


def _detail_context(
    viewer: Viewer, introduction: Introduction, outcome_form: OutcomeForm | None = None
) -> dict[str, Any]:
    side = introduction.side_of(viewer.organization_ids)
    manages = viewer.manages_any({introduction.requester.hub_id, introduction.target.hub_id})
    can_record = introduction.status == IntroductionStatus.ACCEPTED and (
        side is not None or manages
    )
    return {
        "introduction": introduction,
        "side": side,
        "can_answer": _waiting_for(introduction, side),
        "can_cancel": introduction.status == IntroductionStatus.PENDING
        and (side == "requester" or introduction.brokered_by_id == viewer.user_id),
        "contact": selectors.counterpart_contact(viewer, introduction),
        "reasons": reasons_from_stored(introduction.match_explanation or []),
        "outcomes": list(introduction.outcomes.all()),
        "outcome_form": (outcome_form or OutcomeForm()) if can_record else None,
        "decline_form": DeclineForm(),
    }


@login_required
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    introduction = selectors.introduction_for_viewer(viewer, pk)
    return render(request, "introductions/detail.html", _detail_context(viewer, introduction))


@login_required
@require_POST
def introduction_respond(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    introduction = selectors.introduction_for_viewer(viewer, pk)
    accept = request.POST.get("answer") == "accept"
    form = DeclineForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        introduction = services.introduction_respond(
            introduction=introduction,
            actor=signed_in_account(request),
            accept=accept,
            reason=reason,
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if not accept:
            messages.success(request, _("You declined the introduction."))
        elif introduction.status == IntroductionStatus.ACCEPTED:
            messages.success(
                request, _("Both sides accepted: you can now see each other's contact details.")
            )
        else:
            messages.success(
                request, _("You accepted. Contact details appear once the other side accepts too.")
            )
    return redirect("introductions:detail", pk=pk)


@login_required
@require_POST
def introduction_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    introduction = selectors.introduction_for_viewer(viewer, pk)
    try:
        services.introduction_cancel(introduction=introduction, actor=signed_in_account(request))
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The introduction was cancelled."))
    return redirect("introductions:detail", pk=pk)


@login_required
@require_POST
def outcome_record(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    introduction = selectors.introduction_for_viewer(viewer, pk)
    form = OutcomeForm(request.POST)
    try:
        values = validated(form)
        services.introduction_record_outcome(
            introduction=introduction,
            actor=signed_in_account(request),
            kind=values["kind"],
            occurred_on=values["occurred_on"],
            amount=values.get("amount"),
            currency=values.get("currency") or "",
            hires=values.get("hires"),
            note=values.get("note") or "",
        )
    except PermissionDenied as error:
        return forbidden_page(request, error.message)
    except DomainError as error:
        show_error(form, error)
        return render(
            request, "introductions/detail.html", _detail_context(viewer, introduction, form)
        )
    else:
        messages.success(
            request,
            _("The outcome is recorded. Thank you: it helps measure what the network achieves."),
        )
    return redirect("introductions:detail", pk=pk)


@login_required
def introduction_broker(request: HttpRequest) -> HttpResponse:
    """Hub managers propose an introduction between two organizations (both must accept)."""
    viewer = viewer_for(request.user)
    if not viewer.is_manager:
        return forbidden_page(request, _("Only hub managers can broker introductions."))
    organizations = (
        organizations_visible_to(viewer).select_related("hub").order_by("sort_name", "id")
    )
    form = BrokerForm(request.POST or None, organizations=organizations)
    if request.method == "POST":
        try:
            values = validated(form)
            introduction = services.introduction_broker(
                actor=signed_in_account(request),
                first=values["first"],
                second=values["second"],
                message=values.get("message") or "",
            )
        except PermissionDenied as error:
            form.add_error(None, error.message)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("Introduction proposed. Both organizations were asked to accept.")
            )
            return redirect("introductions:detail", pk=introduction.pk)
    return render(request, "introductions/broker.html", {"form": form})
