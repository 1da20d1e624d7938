from django.contrib import admin

from puente.matching.models import Embedding, MatchFeedback


@admin.register(Embedding)
class EmbeddingAdmin(admin.ModelAdmin):
    list_display = ["item_type", "item_id", "language", "text_version", "updated_at"]
    list_filter = ["item_type", "language"]
    exclude = ["vector"]
    readonly_fields = ["item_type", "item_id", "language", "text_version", "updated_at"]


@admin.register(MatchFeedback)
class MatchFeedbackAdmin(admin.ModelAdmin):
    list_display = ["user", "item_type", "item_id", "kind", "created_at"]
    list_filter = ["kind", "item_type"]
    raw_id_fields = ["user"]
