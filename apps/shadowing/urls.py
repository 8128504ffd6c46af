from django.urls import path

from . import views

app_name = "shadowing"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("offers/<int:offer_id>/ask/", views.request_new, name="request_new"),
    path("your-offers/", views.offers, name="offers"),
    path("your-offers/new/", views.offer_new, name="offer_new"),
    path("your-offers/<int:offer_id>/", views.offer_edit, name="offer_edit"),
    path("your-offers/<int:offer_id>/pause/", views.offer_pause_view, name="offer_pause"),
    path("your-offers/<int:offer_id>/resume/", views.offer_resume_view, name="offer_resume"),
    path("your-offers/<int:offer_id>/withdraw/", views.offer_withdraw_view, name="offer_withdraw"),
    path("your-requests/", views.my_requests, name="requests"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/accept/", views.request_accept_view, name="request_accept"),
    path("requests/<int:request_id>/decline/", views.request_decline_view, name="request_decline"),
    path("requests/<int:request_id>/date/", views.request_date_view, name="request_date"),
    path("requests/<int:request_id>/withdraw/", views.request_withdraw_view, name="request_withdraw"),
    path("requests/<int:request_id>/reflection/", views.reflection, name="reflection"),
]
