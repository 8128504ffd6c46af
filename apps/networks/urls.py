from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.network_new, name="network_new"),
    path("<int:network_id>/", views.network, name="network"),
    path("<int:network_id>/join/", views.join, name="join"),
    path("<int:network_id>/leave/", views.leave, name="leave"),
    path("<int:network_id>/members/", views.members, name="members"),
    path(
        "<int:network_id>/members/<int:membership_id>/<slug:action>/",
        views.member_action,
        name="member_action",
    ),
    path("<int:network_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<int:network_id>/learning-sets/new/", views.programme_new, name="programme_new"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/meeting.ics", views.meeting_calendar, name="meeting_ics"),
    path("meetings/<int:meeting_id>/change/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel_view, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/agenda/", views.agenda, name="agenda"),
    path("meetings/<int:meeting_id>/topics/new/", views.topic_new, name="topic_new"),
    path("meetings/<int:meeting_id>/notes/", views.notes, name="notes"),
    path("topics/<int:topic_id>/vote/", views.vote, name="vote"),
    path("topics/<int:topic_id>/unvote/", views.unvote, name="unvote"),
    path("notes/<int:note_id>/change/", views.note_edit_view, name="note_edit"),
    path("notes/<int:note_id>/delete/", views.note_delete_view, name="note_delete"),
]
