"""Pages of the partnerships app: partnerships under /partnerships/, technical assistance under /ta/."""

from django.urls import path

from partnerships import views, views_corrections, views_members, views_ta

urlpatterns = [
    path("partnerships/", views.partnership_list_page, name="partnership-list"),
    path("partnerships/new/", views.partnership_create, name="partnership-create"),
    path("partnerships/export.<slug:extension>", views.partnership_list_export, name="partnership-list-export"),
    path("partnerships/<int:partnership_id>/", views.partnership_detail, name="partnership-detail"),
    path(
        "partnerships/<int:partnership_id>/agreements/<int:agreement_id>/title/",
        views_corrections.agreement_title,
        name="agreement-title",
    ),
    path(
        "partnerships/<int:partnership_id>/members/<int:organization_id>/remove/",
        views_members.member_remove,
        name="partnership-member-remove",
    ),
    path(
        "partnerships/<int:partnership_id>/members/<int:organization_id>/restore/",
        views_members.member_restore,
        name="partnership-member-restore",
    ),
    path("partnerships/<int:partnership_id>/agreements/new/", views.agreement_create, name="agreement-create"),
    path(
        "partnerships/<int:partnership_id>/agreements/<int:agreement_id>/sign/",
        views.agreement_sign,
        name="agreement-sign",
    ),
    path("partnerships/<int:partnership_id>/assessments/", views.assessment_start, name="assessment-start"),
    path(
        "partnerships/<int:partnership_id>/assessments/<int:assessment_id>/",
        views.assessment_detail,
        name="assessment-detail",
    ),
    path(
        "partnerships/<int:partnership_id>/assessments/<int:assessment_id>/answers/<int:answer_id>/note/",
        views_corrections.assessment_note,
        name="assessment-note",
    ),
    path(
        "partnerships/<int:partnership_id>/assessments/<int:assessment_id>/gaps/<int:answer_id>/",
        views.assessment_gap_plan,
        name="assessment-gap",
    ),
    path(
        "partnerships/<int:partnership_id>/assessments/<int:assessment_id>/gaps/<int:answer_id>/task/",
        views.assessment_gap_task,
        name="assessment-gap-task",
    ),
    path("ta/", views_ta.ta_list, name="ta-list"),
    path("ta/new/", views_ta.ta_create, name="ta-create"),
    path("ta/report/", views_ta.ta_report, name="ta-report"),
    path("ta/report.csv", views_ta.ta_report_export, {"extension": "csv"}, name="ta-report-csv"),
    path("ta/report.xlsx", views_ta.ta_report_export, {"extension": "xlsx"}, name="ta-report-xlsx"),
    path("ta/<int:ta_request_id>/", views_ta.ta_detail, name="ta-detail"),
    path("ta/<int:ta_request_id>/match/", views_ta.ta_match, name="ta-match"),
    path("ta/<int:ta_request_id>/schedule/", views_ta.ta_schedule, name="ta-schedule"),
    path("ta/<int:ta_request_id>/deliveries/", views_ta.ta_delivery, name="ta-delivery"),
    path("learning-sites/", views_ta.learning_site_directory, name="learning-sites"),
    path("learning-sites/<int:organization_id>/profile/", views_ta.learning_site_profile, name="learning-site-profile"),
]
