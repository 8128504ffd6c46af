from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("", views.profile_detail, name="detail"),
    path("edit/", views.profile_edit, name="edit"),
    path("diversity/", views.diversity_edit, name="diversity"),
    path("offer-to-mentor/", views.mentor_offer, name="mentor_offer"),
]
