from django.urls import include, path

from . import views

app_name = "mentoring"
urlpatterns = [
    path("", views.mentoring_home, name="home"),
    path("offer/", views.offer_edit, name="offer"),
    path("request/", views.request_edit, name="request"),
    path("request/withdraw/", views.request_cancel, name="withdraw"),
    path("find/", views.find_now, name="find"),
    path("proposals/<int:proposal_id>/", views.proposal_reply, name="reply"),
    path("together/", include("apps.mentoring.urls_relationships")),
    path("schemes/", include("apps.mentoring.urls_schemes")),
]
