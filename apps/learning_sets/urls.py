from django.urls import include, path

app_name = "learning_sets"
urlpatterns = [
    # Organisers: programmes, applications, grouping review, report.
    path("programmes/", include("apps.learning_sets.urls_programmes")),
    # Members and facilitators: applying, their set, sessions, attendance, notes, reflections, calendar feed.
    path("", include("apps.learning_sets.urls_sets")),
]
