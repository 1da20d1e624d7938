"""Soft-landing programs: calls with bilingual forms, applications, reviews, landing case files
and outcome follow-up surveys."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puente.core.i18n import localized
from puente.core.models import Hub, Vocabulary
from puente.directory.models import Organization
from puente.landing.deadlines import is_open

CURRENCIES = [("COP", "COP"), ("USD", "USD"), ("EUR", "EUR")]


class Direction(models.TextChoices):
    """Which way companies travel through a program, seen from the hub that runs it."""

    INBOUND = "inbound", _("Arriving: companies landing in this hub")
    OUTBOUND = "outbound", _("Departing: this hub's companies landing in a partner hub")


class Service(models.TextChoices):
    HOSTING = "hosting", _("Free hosting period")
    DESK = "desk", _("Desk")
    MENTORING = "mentoring", _("Mentoring")
    LEGAL = "legal", _("Legal, tax and visa guidance")
    INTRODUCTIONS = "introductions", _("Introductions")


class Program(models.Model):
    """A soft-landing program run by a hub, bringing companies into its destination hub."""

    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="landing_programs", verbose_name=_("run by hub")
    )
    destination_hub = models.ForeignKey(
        Hub,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination hub"),
        help_text=_("Where admitted companies land; its checklist is used."),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_es = models.CharField(_("name (Spanish)"), max_length=160)
    summary_en = models.TextField(_("summary (English)"), max_length=3000, blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), max_length=3000, blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("companies per call"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    is_published = models.BooleanField(pgettext_lazy("landing program", "published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["hub__sort_order", "slug"]
        verbose_name = _("landing program")
        verbose_name_plural = _("landing programs")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    def service_labels(self) -> list[str]:
        labels = dict(Service.choices)
        return [str(labels[code]) for code in self.services if code in labels]


class CallQuerySet(models.QuerySet["Call"]):
    def open_at(self, at: dt.datetime) -> CallQuerySet:
        return self.filter(opens_at__lte=at, closes_at__gt=at)


class Call(models.Model):
    """One round of applications to a program, open between two instants (shown in the hub's zone)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="calls", verbose_name=_("program")
    )
    title_en = models.CharField(_("title (English)"), max_length=160)
    title_es = models.CharField(_("title (Spanish)"), max_length=160)
    eligibility_en = models.TextField(_("eligibility (English)"), max_length=3000, blank=True)
    eligibility_es = models.TextField(_("eligibility (Spanish)"), max_length=3000, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    hide_scores_until_submitted = models.BooleanField(
        _("reviewers see others' scores only after submitting theirs"), default=True
    )
    has_screening = models.BooleanField(
        _("screening round before scoring"),
        default=False,
        help_text=_("Screeners vote pass or fail first; only applications that pass are scored."),
    )
    screeners_per_application = models.PositiveSmallIntegerField(
        _("screeners per application"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    screening_closed_at = models.DateTimeField(_("screening closed"), null=True, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="landing_calls_to_review",
        verbose_name=_("reviewers"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="landing_call_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def eligibility(self) -> str:
        return localized(self, "eligibility")

    def is_open(self, at: dt.datetime | None = None) -> bool:
        return is_open(opens_at=self.opens_at, closes_at=self.closes_at, at=at or timezone.now())

    @property
    def screening_is_running(self) -> bool:
        return self.has_screening and self.screening_closed_at is None


class FieldKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Amount of money")
    CHOICE = "choice", _("Choice")
    FILE = "file", _("File")
    TERMS = "terms", _("Taxonomy terms")


class FormField(models.Model):
    """One typed question of a call's application form, labelled in both languages."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="fields", verbose_name=_("call")
    )
    key = models.SlugField(_("key"), max_length=40)
    kind = models.CharField(_("type"), max_length=12, choices=FieldKind.choices)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_es = models.CharField(_("label (Spanish)"), max_length=200)
    help_en = models.CharField(_("help (English)"), max_length=400, blank=True)
    help_es = models.CharField(_("help (Spanish)"), max_length=400, blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(
        _("maximum length"), default=2000, validators=[MaxValueValidator(20000)]
    )
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For choices: [{"value": "...", "label_en": "...", "label_es": "..."}].'),
    )
    allowed_extensions = models.JSONField(
        _("allowed file types"),
        default=list,
        blank=True,
        help_text=_('For files, e.g. ["pdf", "png"].'),
    )
    vocabulary = models.CharField(
        _("vocabulary"),
        max_length=32,
        choices=Vocabulary.choices,
        blank=True,
        help_text=_("For taxonomy terms: which vocabulary to choose from."),
    )
    max_file_mb = models.PositiveSmallIntegerField(
        _("maximum file size (MB)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="landing_field_unique_key")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help(self) -> str:
        return localized(self, "help")

    def choice_options(self) -> list[tuple[str, str]]:
        return [
            (str(item.get("value", "")), localized(_Choice(item), "label"))
            for item in self.choices or []
            if isinstance(item, dict)
        ]


class _Choice:
    """Adapts a choice dict to ``localized`` (which reads attributes)."""

    def __init__(self, item: dict[str, str]) -> None:
        self.label_en = item.get("label_en", "")
        self.label_es = item.get("label_es", "")


class Criterion(models.Model):
    """One weighted line of a call's scoring rubric, with an anchor text per level."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call")
    )
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_es = models.CharField(_("name (Spanish)"), max_length=160)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0.01)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("top of the scale"), default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    anchors = models.JSONField(
        _("anchors"),
        default=list,
        blank=True,
        help_text=_('One per level: [{"en": "...", "es": "..."}].'),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    def levels(self, language: str) -> list[tuple[int, str]]:
        anchors = self.anchors or []
        return [
            (
                level,
                str((anchors[level - 1] or {}).get(language, ""))
                if level - 1 < len(anchors) and isinstance(anchors[level - 1], dict)
                else "",
            )
            for level in range(1, self.scale_max + 1)
        ]


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ADMITTED = "admitted", _("Admitted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Not admitted")


DECIDED_STATES = (ApplicationState.ADMITTED, ApplicationState.WAITLISTED, ApplicationState.REJECTED)


class ScreeningOutcome(models.TextChoices):
    """Where an application stands after the screening round (see ``landing.screening``)."""

    PASSED = "passed", _("Passed screening")
    SCREENED_OUT = "screened_out", _("Screened out")


class ScreeningChoice(models.TextChoices):
    PASS = "pass", pgettext_lazy("screening vote", "Pass")
    FAIL = "fail", pgettext_lazy("screening vote", "Fail")
    ABSTAIN = "abstain", _("Abstain")


class Application(models.Model):
    """An organization's application to a call: a draft until submitted, once, before closing."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="applications", verbose_name=_("call")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="landing_applications",
        verbose_name=_("organization"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applicant"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="es"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    feedback = models.TextField(_("feedback to the applicant"), max_length=3000, blank=True)
    screening_outcome = models.CharField(
        _("screening outcome"),
        max_length=12,
        choices=ScreeningOutcome.choices,
        blank=True,
        help_text=_("Empty while screening runs (or when the call has no screening)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organization"], name="landing_one_application_per_call"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="landing_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.call}"

    @property
    def is_draft(self) -> bool:
        return self.state == ApplicationState.DRAFT

    @property
    def awaits_screening(self) -> bool:
        """Submitted to a call with screening and not yet passed or screened out."""
        return (
            self.state == ApplicationState.SUBMITTED
            and self.call.has_screening
            and not self.screening_outcome
        )


def application_upload_to(instance: ApplicationFile, filename: str) -> str:
    return f"landing/{instance.application.call_id}/{instance.application_id}/{instance.field_key}/{filename}"


class ApplicationFile(models.Model):
    """A document uploaded for one file field of an application (type and size checked)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    field_key = models.SlugField(_("field"), max_length=40)
    file = models.FileField(_("file"), upload_to=application_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "field_key"], name="landing_one_file_per_field"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that they must not review an application, and why."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("application"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application"], name="landing_conflict_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ⟂ {self.application}"


class Review(models.Model):
    """One reviewer's assignment to an application, and their marks once submitted (or abstention)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="landing_reviews",
        verbose_name=_("reviewer"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    marks = models.JSONField(
        _("marks"), default=dict, blank=True, help_text=_("Criterion id → level.")
    )
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    comment = models.TextField(_("comment"), max_length=3000, blank=True)
    abstained = models.BooleanField(_("abstained"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="landing_review_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ScreeningVote(models.Model):
    """A screener's assignment to an application in the screening round, and their pass/fail vote."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="screening_votes",
        verbose_name=_("application"),
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="landing_screening_votes",
        verbose_name=_("screener"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    choice = models.CharField(
        pgettext_lazy("screening", "vote"),
        max_length=8,
        choices=ScreeningChoice.choices,
        blank=True,
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    voted_at = models.DateTimeField(_("voted"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("screening vote")
        verbose_name_plural = _("screening votes")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "screener"], name="landing_screening_vote_unique"
            ),
            models.CheckConstraint(
                condition=Q(choice="") | Q(voted_at__isnull=False),
                name="landing_screening_vote_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.screener} ⊢ {self.application}"

    @property
    def is_cast(self) -> bool:
        return self.voted_at is not None


class ChecklistTemplateItem(models.Model):
    """One step every company landing in a hub goes through (data per hub, e.g. tax ids)."""

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="landing_checklist", verbose_name=_("hub")
    )
    code = models.SlugField(_("code"), max_length=40)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    description_en = models.CharField(_("description (English)"), max_length=500, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=500, blank=True)
    due_after_days = models.PositiveSmallIntegerField(_("due after (days)"), default=30)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["hub", "sort_order", "id"]
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        constraints = [
            models.UniqueConstraint(fields=["hub", "code"], name="landing_template_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.hub.slug}: {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class CaseStage(models.TextChoices):
    LANDING = "landing", _("Landing")
    ESTABLISHED = "established", _("Established")
    EXITED = "exited", _("Exited")


class CaseFile(models.Model):
    """The landing of one admitted company: its checklist, milestones and timeline."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="case_file",
        verbose_name=_("application"),
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("destination hub")
    )
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=CaseStage.choices,
        default=CaseStage.LANDING,
        db_index=True,
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("landing case file")
        verbose_name_plural = _("landing case files")

    def __str__(self) -> str:
        return str(self.application.organization)


class ItemState(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", pgettext_lazy("checklist item", "Done")
    NOT_NEEDED = "not_needed", _("Not needed")


class ChecklistItem(models.Model):
    """One step of a case file, copied from the destination hub's checklist."""

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, related_name="items", verbose_name=_("case file")
    )
    code = models.SlugField(_("code"), max_length=40)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("checklist item", "owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ItemState.choices, default=ItemState.TODO
    )
    provider = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("provider"),
    )
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["case_file", "code"], name="landing_item_unique_code")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


#: File types accepted as evidence on a checklist item, and their size ceiling.
EVIDENCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "docx")
EVIDENCE_MAX_MB = 10


def evidence_upload_to(instance: EvidenceDocument, filename: str) -> str:
    return f"landing/cases/{instance.item.case_file_id}/{instance.item_id}/{filename}"


class EvidenceDocument(models.Model):
    """A document proving progress on a checklist item (e.g. the RUT certificate), served only
    through a permission-checked view."""

    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("checklist item"),
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self) -> str:
        return self.original_name


class Milestone(models.Model):
    """A dated goal of a landing (e.g. "first hire in Medellín"), marked when reached."""

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("case file")
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    reached_on = models.DateField(_("reached"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class SurveyRequest(models.Model):
    """A follow-up survey of outcomes sent to an applicant (admitted or not), and its answers."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("application")
    )
    period_label = models.CharField(_("period"), max_length=40, help_text=_("e.g. 2026-H1"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, blank=True)
    revenue = models.DecimalField(
        _("revenue in the period"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    full_time_employees = models.PositiveIntegerField(
        _("full-time employees"), null=True, blank=True
    )
    investment_raised = models.DecimalField(
        _("investment raised in the period"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    jobs_created_host_city = models.PositiveIntegerField(
        _("jobs created in the host city"), null=True, blank=True
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("follow-up survey")
        verbose_name_plural = _("follow-up surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "period_label"], name="landing_one_survey_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.period_label}"
