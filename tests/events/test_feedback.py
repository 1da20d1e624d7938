"""After the meetings: each side says whether a meeting took place, how useful it was and
what comes next; organizers see the figures and notes, funders' "meetings held" drops what
both sides say did not happen, and participants are asked once after their last meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.models import Notification
from puente.events import selectors, services_feedback
from puente.events.models import EventStatus, Meeting, MeetingFeedback, Participant
from puente.impact.models import ActivityRecord
from tests.api.conftest import ApiClient, token_for
from tests.events.helpers import accepted_meeting, make_event, register
from tests.factories import UserFactory, make_manager

pytestmark = pytest.mark.django_db

HELD = {"held": True, "rating": 4, "outcome": "follow_up", "note": "Piloto en enero"}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def scene() -> tuple[Any, list[Participant], list[Meeting]]:
    """A published event (in March 2026, so its meetings are past); meetings 0-1 and 0-2."""
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    people = [register(event) for _ in range(3)]
    slots = list(event.slots.order_by("starts_at"))
    meetings = []
    for index, (a, b) in enumerate([(0, 1), (0, 2)]):
        meeting = accepted_meeting(people[a], people[b])
        meeting.slot, meeting.table = slots[index], 1
        meeting.save()
        meetings.append(meeting)
    return event, people, meetings


def give(meeting: Meeting, participant: Participant, **values: Any) -> MeetingFeedback:
    return services_feedback.meeting_feedback_give(
        meeting=meeting, participant=participant, actor=participant.user, values=values
    )


def held_facts(meeting: Meeting) -> int:
    return ActivityRecord.objects.filter(
        kind="meeting_held", source_type="events.meeting", source_id=str(meeting.pk)
    ).count()


# --- the rules ----------------------------------------------------------------------------
def test_a_side_gives_feedback_once_and_can_change_it() -> None:
    _event, people, meetings = scene()
    feedback = give(meetings[0], people[1], **HELD)
    assert (feedback.held, feedback.rating, feedback.outcome) == (True, 4, "follow_up")
    again = give(meetings[0], people[1], held=False, rating=5, outcome="agreement", note="")
    assert again.pk == feedback.pk
    assert (again.held, again.rating, again.outcome) == (False, None, "")  # nothing to rate
    assert MeetingFeedback.objects.count() == 1


def test_only_the_sides_after_the_meeting_began_can_say_how_it_went() -> None:
    event, people, meetings = scene()
    with pytest.raises(PermissionDenied):  # participant 2 is not in meeting 0-1
        give(meetings[0], people[2], **HELD)
    with pytest.raises(PermissionDenied):  # someone else acting for participant 1
        services_feedback.meeting_feedback_give(
            meeting=meetings[0], participant=people[1], actor=UserFactory(), values=HELD
        )
    before = meetings[0].slot.starts_at - dt.timedelta(minutes=1)
    with pytest.raises(ValidationFailed) as error:
        services_feedback.meeting_feedback_give(
            meeting=meetings[0],
            participant=people[1],
            actor=people[1].user,
            values=HELD,
            now=before,
        )
    assert error.value.code == "feedback_closed"
    with pytest.raises(ValidationFailed):
        give(meetings[0], people[1], held=True, rating=6)
    with pytest.raises(ValidationFailed):
        give(meetings[0], people[1], held=True, outcome="merger")
    event.status = EventStatus.OPEN  # taken back to edit: no feedback until published again
    event.save(update_fields=["status"])
    with pytest.raises(ValidationFailed):
        give(meetings[0], people[1], **HELD)


def test_meetings_both_sides_say_did_not_happen_are_not_counted_as_held() -> None:
    from puente.impact.services import activity_sync

    _event, people, meetings = scene()
    activity_sync(sources=meetings)
    assert held_facts(meetings[0]) == 1
    give(meetings[0], people[1], held=False)
    assert held_facts(meetings[0]) == 0  # the only answer says it did not happen
    give(meetings[0], people[0], **HELD)
    assert held_facts(meetings[0]) == 1  # one side says it did: it counts
    give(meetings[0], people[0], held=False)
    assert held_facts(meetings[0]) == 0


# --- pages --------------------------------------------------------------------------------
def test_a_participant_answers_from_the_agenda() -> None:
    event, people, meetings = scene()
    client = signed_in(people[1].user)
    agenda = client.get(f"/events/{event.slug}/agenda/").content.decode()
    address = f"/events/{event.slug}/agenda/meetings/{meetings[0].pk}/feedback/"
    assert f'href="{address}"' in agenda
    page = client.get(address)
    assert page.status_code == 200
    assert people[0].display_name in page.content.decode()
    response = client.post(address, {"held": "1", "rating": "5", "outcome": "negotiating"})
    assert response.status_code == 302
    feedback = MeetingFeedback.objects.get(participant=people[1])
    assert (feedback.held, feedback.rating, feedback.outcome) == (True, 5, "negotiating")
    agenda = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert "5/5" in agenda
    # Someone else's meeting is not found; a bad rating is shown on the form.
    assert (
        client.get(f"/events/{event.slug}/agenda/meetings/{meetings[1].pk}/feedback/").status_code
        == 404
    )
    bad = client.post(address, {"held": "1", "rating": "9"})
    assert bad.status_code == 200
    assert bad.context["form"].errors


def test_organizers_see_the_figures_and_the_notes() -> None:
    event, people, meetings = scene()
    give(meetings[0], people[0], **HELD)
    give(meetings[0], people[1], held=True, rating=2, outcome="none", note="")
    give(meetings[1], people[2], held=False, note="No llegaron")
    summary = selectors.feedback_summary(event)
    assert summary.answers == 3
    assert summary.participants == 3
    assert (summary.meetings, summary.held, summary.not_held) == (2, 1, 1)
    assert summary.average_rating == 3.0
    assert [count for _label, count in summary.outcomes] == [1, 1]  # none, then follow-up
    assert {note.note for note in summary.notes} == {"Piloto en enero", "No llegaron"}
    page = signed_in(make_manager("medellin")).get(f"/events/{event.slug}/organize/")
    body = page.content.decode()
    assert 'id="feedback-answers">3<' in body
    assert "No llegaron" in body


# --- asking -------------------------------------------------------------------------------
def test_participants_are_asked_once_after_their_last_meeting(
    django_capture_on_commit_callbacks: Any,
) -> None:
    _event, people, meetings = scene()
    Participant.objects.filter(pk=people[2].pk).update(no_show=True)
    last = meetings[1].slot.ends_at
    assert services_feedback.feedback_requests_send(now=last + dt.timedelta(minutes=30)) == 0
    # Two hours after participant 1's meeting but not yet after participant 0's last one.
    first_end = meetings[0].slot.ends_at
    with django_capture_on_commit_callbacks(execute=True):
        asked = services_feedback.feedback_requests_send(
            now=first_end + services_feedback.FEEDBACK_ASK_AFTER
        )
    assert asked == 1
    assert Notification.objects.filter(user=people[1].user, kind="events.feedback_request")
    with django_capture_on_commit_callbacks(execute=True):
        asked = services_feedback.feedback_requests_send(now=last + dt.timedelta(hours=3))
    assert asked == 1  # participant 0 now; 1 was asked already, 2 was absent
    asked_users = set(
        Notification.objects.filter(kind="events.feedback_request").values_list(
            "user_id", flat=True
        )
    )
    assert asked_users == {people[0].user_id, people[1].user_id}
    assert len(mail.outbox) == 2
    assert services_feedback.feedback_requests_send(now=last + dt.timedelta(hours=4)) == 0
    # Too long ago: nobody is asked about an event weeks later.
    Participant.objects.update(feedback_asked_at=None)
    assert services_feedback.feedback_requests_send(now=last + dt.timedelta(days=20)) == 0


# --- the API ------------------------------------------------------------------------------
def test_the_api_takes_feedback_and_shows_it_on_the_agenda(client: Client) -> None:
    event, people, meetings = scene()
    api = ApiClient(client)
    token = token_for(people[1].user)[1]
    path = f"/events/{event.pk}/meetings/{meetings[0].pk}/feedback"
    given = api.post(path, {"held": True, "rating": 3, "outcome": "follow_up"}, token=token)
    assert given.status == 200, given.data
    assert given.data["rating"] == 3
    agenda = api.get(f"/events/{event.pk}/agenda", token=token).data
    (item,) = agenda["items"]
    assert item["feedback"]["outcome"] == "follow_up"
    bad = api.post(path, {"held": True, "rating": 7}, token=token)
    assert bad.status == 422
    other = api.post(
        f"/events/{event.pk}/meetings/{meetings[1].pk}/feedback", {"held": True}, token=token
    )
    assert other.status == 404


def test_organizers_download_every_answer_as_a_spreadsheet() -> None:
    import csv
    import io

    event, people, meetings = scene()
    give(meetings[0], people[1], held=True, rating=5, outcome="agreement", note="=HYPERLINK(1)")
    give(meetings[1], people[2], held=False)
    response = signed_in(make_manager("medellin")).get(
        f"/events/{event.slug}/organize/feedback.csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, first, second = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(header) == 9
    assert first[2:5] == [people[1].display_name, people[0].display_name, "sí"]
    assert first[5] == "5"
    assert first[7] == "'=HYPERLINK(1)"  # never runs as a formula
    assert second[4] == "no"
    assert second[5] == ""
    participant = signed_in(people[1].user).get(f"/events/{event.slug}/organize/feedback.csv")
    assert participant.status_code == 403


def test_the_event_page_of_a_past_event_asks_for_feedback() -> None:
    event, people, _meetings = scene()
    page = signed_in(people[0].user).get(f"/events/{event.slug}/")
    assert page.context["over"] is True
    assert f'href="/events/{event.slug}/agenda/#agenda"' in page.content.decode()


def test_an_upcoming_agenda_has_no_feedback_column_yet() -> None:
    from tests.events.helpers import COMING_DAY

    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now(), day=COMING_DAY)
    mine, theirs = register(event), register(event)
    meeting = accepted_meeting(mine, theirs)
    meeting.slot, meeting.table = event.slots.first(), 1
    meeting.save()
    page = signed_in(mine.user).get(f"/events/{event.slug}/agenda/")
    assert page.context["show_feedback"] is False
    assert "feedback-cell" not in page.content.decode()
