"""Brokerage events: sessions and slots, participants, meeting requests, meetings and
the scheduler runs that place meetings into slots and tables."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.models import Hub, Visibility, validate_time_zone
from puente.directory.models import Organization

#: A run (or its table check) still "running" this long after its time limit is taken
#: as dead: its worker stopped.
RUN_STALE_MARGIN = dt.timedelta(minutes=5)
#: Most tables (or video rooms) per slot an event may have.
MAX_TABLES = 500


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: only the organizers see it")
    OPEN = "open", _("Open: registration and meeting requests")
    PUBLISHED = "published", _("Agenda published")
    CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("In person and virtual")


class Event(models.Model):
    """A brokerage (matchmaking) event: short one-to-one meetings at tables or by video."""

    slug = models.SlugField(_("address name"), max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    language = models.CharField(
        _("language of the description"),
        max_length=8,
        choices=settings.CONTENT_LANGUAGES,
        default="es",
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="events", verbose_name=_("organizing hub")
    )
    other_hubs = models.ManyToManyField(
        Hub, blank=True, related_name="joint_events", verbose_name=_("joint with hubs")
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organizer"),
    )
    time_zone = models.CharField(
        _("time zone of the event"), max_length=64, validators=[validate_time_zone]
    )
    format = models.CharField(
        _("format"), max_length=12, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=240, blank=True)
    online_url = models.URLField(
        _("video link"),
        max_length=300,
        blank=True,
        help_text=_("Virtual meetings use this link, followed by the room number."),
    )
    room_links = models.JSONField(
        _("video room links"),
        default=list,
        blank=True,
        help_text=_(
            "One link per table, in table order (Zoom, Meet or Teams rooms); tables without "
            "one use the video link followed by the room number."
        ),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    changeover_minutes = models.PositiveSmallIntegerField(
        _("minutes between meetings"), default=5, validators=[MaxValueValidator(60)]
    )
    tables = models.PositiveSmallIntegerField(
        _("tables (or video rooms) per slot"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TABLES)],
    )
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    requests_close_at = models.DateTimeField(_("meeting requests close"), null=True, blank=True)
    request_expiry_hours = models.PositiveSmallIntegerField(
        _("hours to answer a request"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    max_requests_per_participant = models.PositiveSmallIntegerField(
        _("meeting requests each participant may send"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    max_meetings_per_participant = models.PositiveSmallIntegerField(
        _("meetings each participant may hold"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    fairness = models.PositiveSmallIntegerField(
        _("fairness bound on breaks"),
        default=2,
        validators=[MaxValueValidator(50)],
        help_text=_(
            "The scheduler keeps any two participants' numbers of breaks within this many of each other when it can."
        ),
    )
    visibility = models.CharField(
        _("who sees the event"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EventStatus.choices,
        default=EventStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("brokerage event")
        verbose_name_plural = _("brokerage events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def video_link(self, table: int | None) -> str:
        """The video room of a table: its own link, else the event's link and the number."""
        if table is None:
            return ""
        if 1 <= table <= len(self.room_links):
            return str(self.room_links[table - 1])
        return f"{self.online_url.rstrip('/')}/{table}" if self.online_url else ""

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    def hub_ids(self) -> set[int]:
        """The organizing hub and the hubs the event is joint with."""
        return {self.hub_id, *(hub.pk for hub in self.other_hubs.all())}


class EventSession(models.Model):
    """A block of consecutive meeting slots on one day (e.g. a morning), with an optional pause."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    name = models.CharField(
        _("name"), max_length=80, help_text=_("For example: Morning, Afternoon.")
    )
    date = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    break_start = models.TimeField(_("pause starts"), null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(
        _("pause length (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_times_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.date:%Y-%m-%d}"


class Slot(models.Model):
    """One meeting slot of a session, stored in UTC; every table of the event can host a meeting."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="slots", verbose_name=_("event")
    )
    session = models.ForeignKey(
        EventSession, on_delete=models.CASCADE, related_name="slots", verbose_name=_("session")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_times_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at


class ParticipantStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class Participant(models.Model):
    """An organization (or a person on their own) taking part in an event, with its catalogue
    entry (what it offers and seeks) and the slots it cannot attend."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event")
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_participations",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_participations",
        verbose_name=_("registered by"),
    )
    attendees = models.CharField(
        _("attendees"),
        max_length=300,
        blank=True,
        help_text=_("Names of the people who will attend the meetings."),
    )
    offer = models.TextField(_("what we offer"), max_length=2000, blank=True)
    seek = models.TextField(_("what we seek"), max_length=2000, blank=True)
    language = models.CharField(
        _("language of the profile"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="es"
    )
    opportunities = models.ManyToManyField(
        "marketplace.Opportunity",
        blank=True,
        related_name="+",
        verbose_name=_("linked opportunities"),
    )
    unavailable_slots = models.ManyToManyField(
        Slot, blank=True, related_name="+", verbose_name=_("slots they cannot attend")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.REGISTERED,
        db_index=True,
    )
    standby = models.BooleanField(
        _("on standby"),
        default=False,
        help_text=_("Happy to take meetings freed by participants who do not show up."),
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    no_show = models.BooleanField(_("did not show up"), default=False)
    reminded_at = models.DateTimeField(
        _("reminded"),
        null=True,
        blank=True,
        help_text=_("When the participant was reminded of their first meeting (once)."),
    )
    feedback_asked_at = models.DateTimeField(
        _("asked for feedback"),
        null=True,
        blank=True,
        help_text=_("When the participant was asked how their meetings went (once)."),
    )
    calendar_token = models.CharField(
        _("calendar feed key"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "The secret in the address of the participant's calendar subscription; "
            "empty until they ask for one."
        ),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(organization__isnull=False),
                name="participant_one_per_organization",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(organization__isnull=True),
                name="participant_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["calendar_token"],
                condition=~Q(calendar_token=""),
                name="participant_calendar_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.organization_id is not None:
            return self.organization.name  # type: ignore[union-attr]
        return self.user.full_name or self.user.email


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("meeting request", "Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired without an answer")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingRequest(models.Model):
    """One participant asks another for a meeting; pending requests hold no slot."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="requests", verbose_name=_("event")
    )
    requester = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="requests_sent",
        verbose_name=_("requested by"),
    )
    target = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="requests_received",
        verbose_name=_("requested from"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    expires_at = models.DateTimeField(_("answer by"), db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer_message = models.CharField(_("reply"), max_length=500, blank=True)
    reminded_at = models.DateTimeField(
        _("reminded"),
        null=True,
        blank=True,
        help_text=_("When the asked side was reminded to answer before it expires (once)."),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("target")), name="meeting_request_distinct_sides"
            ),
            models.UniqueConstraint(
                fields=["requester", "target"],
                condition=Q(status__in=["pending", "accepted"]),
                name="meeting_request_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.target}"


class TwoSides:
    """A meeting's two participants, ``first`` and ``second``, seen from one of them."""

    first: Participant
    second: Participant
    first_id: int

    def other(self, participant: Participant) -> Participant:
        return self.second if participant.pk == self.first_id else self.first


def either_side(participant: Participant) -> Q:
    """Meetings (or cancellations) where ``participant`` is one of the two sides."""
    return Q(first=participant) | Q(second=participant)


class Meeting(TwoSides, models.Model):
    """A meeting to schedule between two participants: from an accepted request or added by an
    organizer. ``slot`` and ``table`` are its place in the current schedule."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    request = models.OneToOneField(
        MeetingRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting",
        verbose_name=_("request"),
    )
    first = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="meetings_as_first",
        verbose_name=_("participant"),
    )
    second = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="meetings_as_second",
        verbose_name=_("other participant"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    session = models.ForeignKey(
        EventSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("required session"),
    )
    slot = models.ForeignKey(
        Slot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("slot"),
    )
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    last_slot = models.ForeignKey(
        Slot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last slot"),
        help_text=_(
            "Where the meeting was before it left the schedule: calendars get it cancelled."
        ),
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("A locked meeting keeps its slot and table when the scheduler runs again."),
    )
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("takes the place of"),
        help_text=_("The meeting a no-show freed, given to a participant on standby."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["slot__starts_at", "table", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=~Q(first=F("second")), name="meeting_distinct_sides"),
            models.CheckConstraint(
                condition=Q(slot__isnull=True, table__isnull=True)
                | Q(slot__isnull=False, table__gte=1),
                name="meeting_slot_has_table",
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(slot__isnull=False),
                name="meeting_one_per_table",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second}"


class MeetingCancellation(TwoSides, models.Model):
    """A meeting removed for good after it had a place in the schedule. Kept (with the
    meeting's calendar id, a higher revision and its last time) so that the calendar files
    of both participants tell clients that imported the meeting to drop it."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="cancellations", verbose_name=_("event")
    )
    first = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    second = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("other participant"),
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="+", verbose_name=_("last slot")
    )
    uid = models.UUIDField(_("calendar id"), unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"))
    cancelled_at = models.DateTimeField(_("cancelled on"), auto_now_add=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("cancelled meeting")
        verbose_name_plural = _("cancelled meetings")

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second} ({self.uid})"


class MeetingOutcome(models.TextChoices):
    NONE = "none", _("No fit for now")
    FOLLOW_UP = "follow_up", _("We will follow up")
    NEGOTIATING = "negotiating", _("We are negotiating a deal")
    AGREEMENT = "agreement", _("We reached an agreement")


class MeetingFeedback(models.Model):
    """One side's word on a meeting once its time has come: whether it took place, how
    useful it was and where it leads. A meeting reported as not held by its sides (and by
    none as held) does not count as held."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("meeting")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    held = models.BooleanField(_("the meeting took place"))
    rating = models.PositiveSmallIntegerField(
        _("usefulness"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (not useful) to 5 (very useful)."),
    )
    outcome = models.CharField(
        _("what comes next"), max_length=12, choices=MeetingOutcome.choices, blank=True
    )
    note = models.TextField(_("note for the organizers"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # By the key columns: ordering by the relations would join the meeting's nullable
        # slot (its own ordering) into every query, which PostgreSQL cannot lock FOR UPDATE.
        ordering = ["meeting_id", "participant_id"]
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="meeting_feedback_one_per_side"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="meeting_feedback_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.meeting}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("scheduler run", "Done")
    FAILED = "failed", _("Failed")


#: The solver's stages (``scheduling.solver``) as the organizer reads them.
RUN_STAGE_LABELS = {
    "model": _("preparing"),
    "start": _("preparing"),
    "anneal": _("searching for a good schedule"),
    "priority": _("placing as many meetings as possible"),
    "fairness": _("balancing breaks between participants"),
    "target": _("proving the fewest breaks"),
    "breaks": _("reducing breaks"),
    "moves": _("keeping changes to the schedule few"),
    "done": _("saving"),
}


class ScheduleRun(models.Model):
    """One run of the scheduler for an event: its progress and what it found."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="runs", verbose_name=_("event")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RunStatus.choices,
        default=RunStatus.QUEUED,
        db_index=True,
    )
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (seconds)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    progress = models.FloatField(_("progress"), default=0.0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    solver_status = models.CharField(_("result"), max_length=12, blank=True)
    meetings_total = models.PositiveIntegerField(_("meetings to place"), default=0)
    meetings_placed = models.PositiveIntegerField(_("meetings placed"), default=0)
    breaks_total = models.PositiveIntegerField(_("breaks"), null=True, blank=True)
    lower_bound = models.PositiveIntegerField(
        _("proven lower bound on breaks"), null=True, blank=True
    )
    breaks_per_participant = models.JSONField(_("breaks per participant"), default=dict, blank=True)
    unscheduled = models.JSONField(_("meetings left out"), default=list, blank=True)
    moved = models.PositiveIntegerField(_("meetings moved"), null=True, blank=True)
    fairness_used = models.PositiveSmallIntegerField(
        _("fairness bound used"), null=True, blank=True
    )
    elapsed_s = models.FloatField(_("seconds"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    advise_tables = models.BooleanField(
        _("check whether more tables would help"),
        default=True,
        help_text=_(
            "When the schedule is not proven optimal, the run goes on, for up to its "
            "time limit again, to find how many more tables would reduce breaks."
        ),
    )
    table_advice = models.JSONField(_("table advice"), default=dict, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self) -> str:
        return f"{self.event} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def is_optimal(self) -> bool:
        return self.solver_status == "optimal"

    @property
    def percent(self) -> int:
        return round(min(1.0, max(0.0, self.progress)) * 100)

    @property
    def stage_label(self) -> str:
        """What the scheduler is doing, in the reader's language (the solver's stage names
        are internal)."""
        return str(RUN_STAGE_LABELS.get(self.stage, self.stage))

    @property
    def advice_state(self) -> str:
        """``""`` (none asked or needed), ``"running"``, ``"done"`` or ``"failed"`` (also a
        check still "running" long after it should have ended: its worker died)."""
        state = str(self.table_advice.get("state", "")) if self.table_advice else ""
        if state == "running" and self.finished_at is not None:
            deadline = self.finished_at + dt.timedelta(seconds=self.time_limit) + RUN_STALE_MARGIN
            if timezone.now() > deadline:
                return "failed"
        return state

    @property
    def is_settled(self) -> bool:
        """Finished, and no table advice still being computed (the page stops polling)."""
        return self.is_finished and self.advice_state != "running"


class Audience(models.TextChoices):
    """Who an announcement of the organizers goes to."""

    EVERYONE = "everyone", _("Every participant")
    CHECKED_IN = "checked_in", _("Participants who checked in")
    NOT_CHECKED_IN = "not_checked_in", _("Participants who have not checked in")
    STANDBY = "standby", _("Participants on standby")
    NO_MEETINGS = "no_meetings", _("Participants without any meeting yet")


class Announcement(models.Model):
    """A message of the organizers to the event's participants (a room change, a reminder
    to check in): sent in the app and by email, and kept on the event's page."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("event")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    audience = models.CharField(
        _("sent to"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    message = models.TextField(_("message"), max_length=1000)
    recipients = models.PositiveIntegerField(_("people reached"), default=0)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return f"{self.event}: {self.message[:40]}"
