"""Introduction pages: request from a match, answer, contacts after both accept, outcomes, broker."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from puente.core.models import Notification
from puente.introductions.models import Introduction, IntroductionOutcome, IntroductionStatus
from tests.factories import OrganizationFactory, hub, make_manager, make_member, term
from tests.marketplace.helpers import post_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    startup = OrganizationFactory(
        name="Cafetal Digital",
        email="hola@cafetal.example",
        phone="+57 300 111 2222",
        type=term("organization_type", "startup"),
    )
    fund = OrganizationFactory(
        name="Biscayne Seed Fund",
        hub=hub("miami"),
        email="deals@biscayne.example",
        phone="+1 305 555 0100",
        type=term("organization_type", "investor"),
    )
    request = post_opportunity(
        startup,
        side="request",
        language="es",
        title="Buscamos capital semilla agritech",
        description="Startup de agritech busca capital semilla para crecer en Miami.",
        sectors=["agritech"],
        target_hubs=["miami"],
    )
    offer = post_opportunity(fund, sectors=["agritech"], target_hubs=["medellin"])
    founder = make_member(
        startup, full_name="Ana Restrepo", email="ana@cafetal.example", language="es"
    )
    investor = make_member(
        fund, full_name="John Carter", email="john@biscayne.example", language="en"
    )
    return {
        "startup": startup,
        "fund": fund,
        "request": request,
        "offer": offer,
        "founder": founder,
        "investor": investor,
    }


def _request(client: Client, world: dict[str, Any]) -> Introduction:
    client.force_login(world["founder"])
    url = reverse("introductions:request")
    form = client.get(
        url,
        {"opportunity": world["request"].pk, "target_opportunity": world["offer"].pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert form.status_code == 200
    assert "Biscayne Seed Fund" in form.content.decode()
    response = client.post(
        url,
        {
            "opportunity": world["request"].pk,
            "target_opportunity": world["offer"].pk,
            "requester": world["startup"].pk,
            "message": "Hola, hablemos",
        },
    )
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("introductions:detail", kwargs={"pk": introduction.pk})
    return introduction


def test_the_whole_loop_reveals_contacts_only_after_both_accept(
    client: Client,
    world: dict[str, Any],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        introduction = _request(client, world)
    assert introduction.target_opportunity == world["offer"]
    assert introduction.opportunity == world["request"]
    assert any(factor["code"] == "complementary_kind" for factor in introduction.match_explanation)
    assert [message.to for message in mailoutbox] == [[world["investor"].email]]
    assert (
        "Cafetal Digital would like to be introduced" in mailoutbox[0].subject
    )  # the investor reads English
    detail = reverse("introductions:detail", kwargs={"pk": introduction.pk})
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "deals@biscayne.example" not in page
    assert "john@biscayne.example" not in page
    assert "Ofrecen lo que buscas: capital" in page  # the stored reasons, in the reader's language

    client.force_login(world["investor"])
    inbox = client.get(reverse("introductions:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cafetal Digital" in inbox
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "hola@cafetal.example" not in page
    assert "Accept the introduction" in page
    assert "They offer the capital you are looking for" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("introductions:respond", kwargs={"pk": introduction.pk}), {"answer": "accept"}
        )
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.ACCEPTED
    accepted = {message.to[0]: message.subject for message in mailoutbox[1:]}
    assert (
        accepted[world["founder"].email]
        == "Presentación aceptada: Cafetal Digital y Biscayne Seed Fund"
    )
    assert (
        accepted[world["investor"].email]
        == "Introduction accepted: Biscayne Seed Fund and Cafetal Digital"
    )
    assert "deals@biscayne.example" not in mailoutbox[1].body  # contacts only on the page
    page = client.get(detail).content.decode()
    assert "hola@cafetal.example" in page
    assert "ana@cafetal.example" in page
    client.force_login(world["founder"])
    page = client.get(detail).content.decode()
    assert "deals@biscayne.example" in page
    assert "john@biscayne.example" in page
    assert Notification.objects.filter(user=world["founder"], kind="introduction.accepted").exists()

    client.post(
        reverse("introductions:outcome", kwargs={"pk": introduction.pk}),
        {"kind": "investment", "occurred_on": "2020-01-01", "amount": "50000", "currency": "USD"},
    )
    assert (
        not IntroductionOutcome.objects.exists()
    )  # before the introduction: refused with a message
    from django.utils import timezone

    client.post(
        reverse("introductions:outcome", kwargs={"pk": introduction.pk}),
        {
            "kind": "investment",
            "occurred_on": timezone.localdate().isoformat(),
            "amount": "50000",
            "currency": "USD",
        },
    )
    outcome = IntroductionOutcome.objects.get()
    assert outcome.amount == 50000
    assert outcome.currency == "USD"
    client.post(
        reverse("introductions:outcome", kwargs={"pk": introduction.pk}),
        {"kind": "teleport", "occurred_on": "yesterday"},
    )
    assert IntroductionOutcome.objects.count() == 1


def test_declining_keeps_contacts_hidden(client: Client, world: dict[str, Any]) -> None:
    introduction = _request(client, world)
    client.force_login(world["investor"])
    client.post(
        reverse("introductions:respond", kwargs={"pk": introduction.pk}),
        {"answer": "decline", "reason": "Not our thesis"},
    )
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.DECLINED
    assert introduction.decline_reason == "Not our thesis"
    client.force_login(world["founder"])
    page = client.get(
        reverse("introductions:detail", kwargs={"pk": introduction.pk})
    ).content.decode()
    assert "deals@biscayne.example" not in page
    assert "Not our thesis" in page


def test_outsiders_see_nothing(client: Client, world: dict[str, Any]) -> None:
    introduction = _request(client, world)
    client.force_login(make_member(OrganizationFactory()))
    assert (
        client.get(reverse("introductions:detail", kwargs={"pk": introduction.pk})).status_code
        == 404
    )
    assert (
        client.post(
            reverse("introductions:respond", kwargs={"pk": introduction.pk}), {"answer": "accept"}
        ).status_code
        == 404
    )
    client.logout()
    assert (
        client.get(reverse("introductions:detail", kwargs={"pk": introduction.pk})).status_code
        == 302
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"target": "abc"},
        {"target": "-1"},
        {"target_opportunity": "99999999999999999999999"},
        {"target": "0"},
    ],
)
def test_bad_request_parameters_are_a_404(
    client: Client, world: dict[str, Any], params: dict[str, str]
) -> None:
    client.force_login(world["founder"])
    assert client.get(reverse("introductions:request"), params).status_code == 404


def test_hub_managers_broker_and_both_must_accept(client: Client, world: dict[str, Any]) -> None:
    manager = make_manager("medellin")
    client.force_login(manager)
    assert client.get(reverse("introductions:broker")).status_code == 200
    response = client.post(
        reverse("introductions:broker"),
        {"first": world["startup"].pk, "second": world["fund"].pk, "message": "Deberían conocerse"},
    )
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert introduction.brokered_by == manager
    for user in (world["founder"], world["investor"]):
        client.force_login(user)
        client.post(
            reverse("introductions:respond", kwargs={"pk": introduction.pk}), {"answer": "accept"}
        )
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.ACCEPTED
    client.force_login(world["founder"])
    assert client.get(reverse("introductions:broker")).status_code == 403


def test_inbox_boxes(client: Client, world: dict[str, Any]) -> None:
    _request(client, world)
    client.force_login(world["investor"])
    for box in ("waiting", "incoming", "outgoing", "all", "bogus"):
        assert client.get(reverse("introductions:inbox"), {"box": box}).status_code == 200
    assert (
        "Cafetal Digital"
        not in client.get(reverse("introductions:inbox"), {"box": "outgoing"}).content.decode()
    )


def test_notifications_bell_list_and_mark_read(client: Client, world: dict[str, Any]) -> None:
    introduction = _request(client, world)
    client.force_login(world["investor"])
    count = client.get(reverse("core:notification_count")).content.decode()
    assert ">1<" in count
    page = client.get(reverse("core:notifications"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cafetal Digital would like to be introduced to your organization." in page
    notification = Notification.objects.get(user=world["investor"])
    response = client.post(reverse("core:notification_open", kwargs={"pk": notification.pk}))
    assert response["Location"] == reverse("introductions:detail", kwargs={"pk": introduction.pk})
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert ">1<" not in client.get(reverse("core:notification_count")).content.decode()


def test_inbox_queries_do_not_grow_with_rows(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for index in range(8):
        other = OrganizationFactory(name=f"Miami partner {index}", hub=hub("miami"))
        Introduction.objects.create(
            requester=other, target=world["startup"], expires_at=world["request"].expires_at
        )
    client.force_login(world["founder"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("introductions:inbox"), {"box": "all"})
    assert response.content.decode().count("Miami partner") == 8
