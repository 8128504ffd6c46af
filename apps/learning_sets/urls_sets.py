"""Members' and facilitators' pages (views_sets.py), the calendar feed, and publishing a programme."""

from django.urls import path

from . import views_sets

urlpatterns = [
    path("", views_sets.home, name="home"),
    path("sets/<int:set_id>/", views_sets.set_detail, name="set"),
    path("sets/<int:set_id>/notes/", views_sets.note_new, name="note_new"),
    path("sets/<int:set_id>/reflections/new/", views_sets.reflection_new, name="reflection_new"),
    path("sets/<int:set_id>/reflections/<int:reflection_id>/", views_sets.reflection_detail, name="reflection"),
    path("sets/<int:set_id>/reflections/<int:reflection_id>/plan/", views_sets.reflection_plan, name="reflection_plan"),
    path("sessions/<int:session_id>/", views_sets.session_detail, name="session"),
    path("sessions/<int:session_id>/apologies/", views_sets.apology_new, name="apology"),
    path("sessions/<int:session_id>/apologies/withdraw/", views_sets.apology_cancel, name="apology_withdraw"),
    path("sessions/<int:session_id>/attendance/", views_sets.attendance, name="attendance"),
    path("sessions/<int:session_id>/move/", views_sets.session_move, name="session_reschedule"),
    path("sessions/<int:session_id>/cancel/", views_sets.session_cancel_confirm, name="session_cancel"),
    path("calendar/new-link/", views_sets.feed_new, name="feed_reset"),
    path("calendar/<str:token>.ics", views_sets.feed, name="feed"),
    path("programmes/<int:programme_id>/publish/", views_sets.publish_programme, name="publish"),
]
