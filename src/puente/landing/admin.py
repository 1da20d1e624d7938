from django.contrib import admin

from puente.landing.models import (
    Application,
    Call,
    CaseFile,
    ChecklistItem,
    ChecklistTemplateItem,
    ConflictOfInterest,
    Criterion,
    EvidenceDocument,
    FormField,
    Milestone,
    Program,
    Review,
    ScreeningVote,
    SurveyRequest,
)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "name_en",
        "name_es",
        "hub",
        "destination_hub",
        "direction",
        "capacity",
        "is_published",
    ]
    list_filter = ["hub", "direction", "is_published"]
    search_fields = ["name_en", "name_es", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title_en", "program", "opens_at", "closes_at", "has_screening"]
    list_filter = ["program__hub", "program", "has_screening"]
    search_fields = ["title_en", "title_es"]
    filter_horizontal = ["reviewers"]
    inlines = [FormFieldInline, CriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "call",
        "state",
        "screening_outcome",
        "submitted_at",
        "decided_at",
    ]
    list_filter = ["state", "screening_outcome", "call__program__hub", "call"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization", "applicant", "decided_by"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "weighted_score", "abstained", "submitted_at"]
    list_filter = ["abstained", "application__call"]
    search_fields = ["application__organization__name", "reviewer__email"]
    raw_id_fields = ["application", "reviewer", "assigned_by"]


@admin.register(ScreeningVote)
class ScreeningVoteAdmin(admin.ModelAdmin):
    list_display = ["application", "screener", "choice", "voted_at"]
    list_filter = ["choice", "application__call"]
    search_fields = ["application__organization__name", "screener__email"]
    raw_id_fields = ["application", "screener", "assigned_by"]


@admin.register(ConflictOfInterest)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "application", "declared_at"]
    search_fields = ["reviewer__email", "application__organization__name"]
    raw_id_fields = ["reviewer", "application"]


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    list_display = ["hub", "code", "title_en", "title_es", "due_after_days", "sort_order"]
    list_filter = ["hub"]
    search_fields = ["code", "title_en", "title_es"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    raw_id_fields = ["owner", "provider"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    raw_id_fields = ["created_by"]


@admin.register(CaseFile)
class CaseFileAdmin(admin.ModelAdmin):
    list_display = ["application", "hub", "stage", "opened_at"]
    list_filter = ["hub", "stage"]
    search_fields = ["application__organization__name"]
    raw_id_fields = ["application"]
    inlines = [ChecklistItemInline, MilestoneInline]


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "item", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["item__case_file__hub"]
    search_fields = ["original_name", "item__case_file__application__organization__name"]
    raw_id_fields = ["item", "uploaded_by"]


@admin.register(SurveyRequest)
class SurveyRequestAdmin(admin.ModelAdmin):
    list_display = ["application", "period_label", "sent_at", "answered_at"]
    list_filter = ["period_label"]
    search_fields = ["application__organization__name"]
    raw_id_fields = ["application"]
