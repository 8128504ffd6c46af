from django.urls import path

from . import views_pipeline as views

# The lead's pipeline and the regional view, included from urls.py under "pipeline/" (names in the "succession"
# namespace).
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("people/<int:candidacy_id>/", views.candidate, name="candidate"),
    path("regional/", views.regional, name="regional"),
]
