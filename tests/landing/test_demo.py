"""The demo shows soft-landing programs in every hub, with reviews, a ranking and case files."""

from __future__ import annotations

import pytest

from puente.core.models import Hub
from puente.demo.seed import seed_demo
from puente.landing import selectors
from puente.landing.models import ApplicationState, CaseFile, Program

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_program_per_hub_with_ranking_and_case_file() -> None:
    seed_demo(seed=7, size="small")
    for hub in Hub.objects.all():
        program = Program.objects.get(hub=hub)
        assert program.name_en.endswith(hub.name_en)
        call = program.calls.get()
        assert call.is_open()
        ranking = selectors.call_ranking(call)
        assert ranking
        assert ranking[0].place.normalized is not None
        case_file = CaseFile.objects.get(application__call=call)
        assert case_file.application.state == ApplicationState.ADMITTED
        assert case_file.items.count() >= 5
        assert case_file.application.organization.hub_id != hub.pk
