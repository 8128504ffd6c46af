from django.urls import path

from . import views_forward

urlpatterns = [
    path("", views_forward.mine, name="mine"),
    path("forward/", views_forward.forward_new, name="forward_new"),
    path("forward/<int:candidacy_id>/", views_forward.forward_edit, name="forward_edit"),
    path("forward/<int:candidacy_id>/confirm/", views_forward.forward_confirm, name="forward_confirm"),
    path("forward/<int:candidacy_id>/withdraw/", views_forward.forward_withdraw, name="forward_withdraw"),
]
