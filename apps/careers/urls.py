from django.urls import path

from . import views_people, views_roles, views_routes

app_name = "careers"
urlpatterns = [
    path("", views_roles.role_list, name="home"),
    path("roles/<slug:slug>/", views_roles.role_detail, name="role"),
    path("roles/<slug:slug>/versions/", views_roles.role_versions, name="role_versions"),
    path("roles/<slug:slug>/edit/", views_roles.role_edit, name="role_edit"),
    path("compare/", views_roles.role_compare, name="compare"),
    path("directorates/", views_roles.directorate_models, name="directorates"),
    path("routes/", views_routes.routes, name="routes"),
    path("after-medical-director/", views_routes.after_md, name="after_md"),
    path("my-history/", views_people.my_history, name="my_history"),
    path("my-history/counting/", views_people.routes_consent, name="routes_consent"),
    path("my-history/<int:entry_id>/", views_people.history_edit, name="history_edit"),
    path("my-history/<int:entry_id>/remove/", views_people.history_remove, name="history_remove"),
    path("my-gap/", views_people.my_gap, name="my_gap"),
    path("right-time/", views_people.right_time, name="right_time"),
    path("right-time/to-plan/", views_people.right_time_add_to_plan, name="right_time_to_plan"),
]
