from django.contrib import admin

from .models import Opportunity, OpportunityCriterion


class DevelopsInline(admin.TabularInline):
    model = OpportunityCriterion
    extra = 1


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    """Administrators keep the catalogue up to date here; `load_opportunities` leaves their edits alone."""

    list_display = ["title", "kind", "typical_time", "typical_cost", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "description", "code"]
    inlines = [DevelopsInline]


# Plans, goals, evidence and reflections are deliberately not registered: they are private to their owners.
