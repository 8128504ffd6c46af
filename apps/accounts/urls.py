from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.PeopleView.as_view(), name="people"),
    path("<int:user_id>/roles/", views.PersonRolesView.as_view(), name="roles"),
]
