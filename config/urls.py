from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("profile/", include("apps.profiles.urls")),
    path("profile/who-has-seen-my-records/", include("apps.audit.urls")),
    path("activity/", include("apps.audit.urls_changes")),
    path("people/", include("apps.accounts.urls")),
    path("organisations/", include("apps.accounts.urls_organisations")),
    path("notifications/", include("apps.notifications.urls")),
    path("frameworks/", include("apps.competencies.urls")),
    path("ims/case/v1p0/", include("apps.competencies.urls_case")),
    path("self-assessment/", include("apps.assessments.urls")),
    path("feedback/", include("apps.assessments.urls_rater")),
    path("plans/", include("apps.development.urls")),
    path("mentoring/", include("apps.mentoring.urls")),
    path("learning-sets/", include("apps.learning_sets.urls")),
    path("careers/", include("apps.careers.urls")),
    path("talk-to-someone/", include("apps.shadowing.urls")),
    path("succession/", include("apps.succession.urls")),
    path("buddies/", include("apps.buddies.urls")),
    path("bilaterals/", include("apps.bilaterals.urls")),
    path("networks/", include("apps.networks.urls")),
    path("first-year/", include("apps.pathways.urls")),
    path("your-data/", include("apps.exports.urls")),
    path("privacy/", include("apps.privacy.urls")),
    path("account/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
