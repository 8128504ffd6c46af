from django.urls import path

from . import views, views_crosswalk

app_name = "competencies"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<int:framework_id>/", views.framework_detail, name="detail"),
    path("crosswalk/", views_crosswalk.crosswalk, name="crosswalk"),
    path(
        "crosswalk/<slug:first_slug>/<str:code>/<slug:second_slug>/",
        views_crosswalk.crosswalk_edit,
        name="crosswalk_edit",
    ),
]
