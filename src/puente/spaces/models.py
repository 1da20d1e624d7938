"""Bookable spaces of the hubs, their bookings, community events and mentor office hours."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from puente.core.i18n import localized
from puente.core.models import Hub, validate_time_zone


class SpaceKind(models.TextChoices):
    DESK = "desk", _("Desk")
    OFFICE = "office", _("Office")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    LAB = "lab", _("Lab")
    EVENT_HALL = "event_hall", _("Event hall")


class HubCalendar(models.Model):
    """Which public holidays close a hub's spaces (country and subdivision of the holidays package)."""

    hub = models.OneToOneField(
        Hub, on_delete=models.CASCADE, related_name="space_calendar", verbose_name=_("hub")
    )
    holiday_country = models.CharField(
        _("holiday country"), max_length=2, help_text=_("ISO 3166-1 alpha-2, e.g. CO or US.")
    )
    holiday_subdivision = models.CharField(
        _("holiday subdivision"),
        max_length=10,
        blank=True,
        help_text=_("e.g. FL for Florida; empty for national holidays only."),
    )
    observe_holidays = models.BooleanField(_("closed on public holidays"), default=True)

    class Meta:
        verbose_name = _("hub calendar")
        verbose_name_plural = _("hub calendars")

    def __str__(self) -> str:
        return f"{self.hub} · {self.holiday_country}{'-' + self.holiday_subdivision if self.holiday_subdivision else ''}"


class Space(models.Model):
    """A desk, office, meeting room, lab or event hall of a hub that members can book."""

    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("hub")
    )
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (people)"), default=1, validators=[MinValueValidator(1)]
    )
    units = models.PositiveSmallIntegerField(
        _("bookable units"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_(
            "How many bookings may run at the same time: the number of desks of a shared desk area, 1 for a room."
        ),
    )
    equipment = models.CharField(_("equipment"), max_length=400, blank=True)
    requires_induction = models.BooleanField(
        _("safety induction required"),
        default=False,
        help_text=_("Bookings stay tentative until a manager confirms the induction."),
    )
    photo = models.ImageField(_("photo"), upload_to="spaces/", blank=True)
    min_duration_minutes = models.PositiveIntegerField(
        _("minimum duration (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    max_duration_minutes = models.PositiveIntegerField(
        _("maximum duration (minutes)"), default=480, validators=[MaxValueValidator(24 * 60)]
    )
    max_days_ahead = models.PositiveIntegerField(
        _("bookable days ahead"), default=90, validators=[MaxValueValidator(730)]
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer between bookings (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    requires_approval = models.BooleanField(_("approval required"), default=False)
    price_per_hour = models.DecimalField(
        _("price per hour"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("In the hub's currency; 0 for free."),
    )
    open_to_hubs = models.ManyToManyField(
        Hub,
        blank=True,
        related_name="+",
        verbose_name=_("open to members of"),
        help_text=_("Empty: members of this hub and of its partner hubs."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hub__sort_order", "kind", "name_en"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_duration_minutes__lte=F("max_duration_minutes")),
                name="space_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=Q(units__gte=1) & Q(capacity__gte=1), name="space_units_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def time_zone(self) -> str:
        return self.hub.time_zone

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return self.hub.zone

    @property
    def currency(self) -> str:
        return self.hub.currency

    @property
    def is_shared(self) -> bool:
        return self.units > 1


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One window in which a space may be booked on a weekday, in the hub's local time."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="hours", verbose_name=_("space")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="opening_hours_opens_before_closes"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """Days a hub (or one of its spaces) is closed besides public holidays."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+", verbose_name=_("hub"))
    space = models.ForeignKey(
        Space,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("space"),
        help_text=_("Empty: every space of the hub."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)
    reason_es = models.CharField(_("reason (Spanish)"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="closure_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hub} {self.starts_on}-{self.ends_on}"

    @property
    def reason(self) -> str:
        return localized(self, "reason")


class BookingStatus(models.TextChoices):
    TENTATIVE = "tentative", _("Tentative")
    APPROVED = "approved", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    RELEASED = "released", _("Released (no check-in)")


#: Bookings that hold their time: no other booking of the same unit may overlap them.
HOLDING_STATUSES = (BookingStatus.TENTATIVE, BookingStatus.APPROVED)


class BookingSeries(models.Model):
    """A recurring booking: the rule its bookings were expanded from (RFC 5545), for display."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="+", verbose_name=_("space")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    rule = models.CharField(_("recurrence rule"), max_length=300)
    exceptions = models.JSONField(_("left-out dates"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self) -> str:
        return f"{self.space} · {self.rule}"


class Booking(models.Model):
    """One booking of one unit of a space. The database refuses two holding bookings of the same
    unit whose intervals (plus the space's buffer) overlap (see migration 0002)."""

    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("space")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_bookings",
        verbose_name=_("booked by"),
    )
    series = models.ForeignKey(
        BookingSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name=_("series"),
    )
    unit = models.PositiveSmallIntegerField(_("unit"), default=1)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    blocked_until = models.DateTimeField(
        _("blocked until"), help_text=_("The end plus the space's buffer.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BookingStatus.choices,
        default=BookingStatus.TENTATIVE,
        db_index=True,
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    attendees = models.PositiveSmallIntegerField(_("people"), default=1)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["space", "starts_at"], name="booking_space_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__gte=F("ends_at")), name="booking_block_covers_booking"
            ),
            models.CheckConstraint(condition=Q(unit__gte=1), name="booking_unit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.space} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING_STATUSES


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A secret iCalendar address for one user's bookings and sessions, or for one space."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("owner"),
    )
    space = models.ForeignKey(
        Space,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feeds",
        verbose_name=_("space"),
        help_text=_("Empty: the owner's own calendar."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} · {self.space or '—'}"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        raw = secrets.token_urlsafe(24)
        return raw, _hash_token(raw)

    @staticmethod
    def hash_of(raw: str) -> str:
        return _hash_token(raw)


# --- Community events --------------------------------------------------------------------------


class EventKind(models.TextChoices):
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop")
    DEMO_DAY = "demo_day", _("Demo day")
    MEETUP = "meetup", _("Meetup")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class CommunityEvent(models.Model):
    """A talk, workshop, demo day or meetup of one hub, or joint with partner hubs."""

    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="community_events", verbose_name=_("hub")
    )
    joint_hubs = models.ManyToManyField(
        Hub, blank=True, related_name="+", verbose_name=_("joint with")
    )
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    space = models.ForeignKey(
        Space,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("space"),
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    is_published = models.BooleanField(_("published"), default=True)
    reminder_sent_at = models.DateTimeField(
        _("reminder sent"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("community event")
        verbose_name_plural = _("community events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="community_event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class EventRegistration(models.Model):
    """A person's place (or waiting-list position) at a community event, and their attendance."""

    event = models.ForeignKey(
        CommunityEvent,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("user"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_registration_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


# --- Mentor office hours -----------------------------------------------------------------------


class OfficeHours(models.Model):
    """A mentor's recurring availability, cut into bookable slots, on the mentor's wall clock."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="office_hours",
        verbose_name=_("mentor"),
    )
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("hub"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    rule = models.CharField(_("recurrence rule"), max_length=300, default="FREQ=WEEKLY;BYDAY=TU")
    first_day = models.DateField(_("first day"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    weekly_cap = models.PositiveSmallIntegerField(
        _("most sessions per week"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    location = models.CharField(_("place or link"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")), name="office_hours_starts_before_ends"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} · {self.rule} {self.starts:%H:%M}-{self.ends:%H:%M}"


class SessionStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Held")
    NO_SHOW = "no_show", _("No-show")


class MentorSession(models.Model):
    """A founder's booked slot of a mentor's office hours; notes are private to the two of them."""

    office_hours = models.ForeignKey(
        OfficeHours,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("office hours"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_sessions",
        verbose_name=_("mentor"),
    )
    founder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="founder_sessions",
        verbose_name=_("founder"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.BOOKED,
        db_index=True,
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Seen only by the mentor and the founder.")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.CharField(_("feedback"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("mentor session")
        verbose_name_plural = _("mentor sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "starts_at"],
                condition=~Q(status="cancelled"),
                name="mentor_session_one_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="mentor_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="mentor_session_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} · {self.founder} {self.starts_at:%Y-%m-%d %H:%M}"
