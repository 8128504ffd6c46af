from django.contrib import admin

from .models import Profile, Specialty


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "career_role", "organisation", "region", "completed_at"]
    list_filter = ["career_role", "profession", "region"]
    search_fields = ["user__email", "job_title"]
    raw_id_fields = ["user", "organisation"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group"]
    list_filter = ["group"]
    search_fields = ["name", "code"]


# DiversityInformation is deliberately not registered: nobody but its owner ever sees a row of it.
