from django.urls import path

from workflow import views, views_documents, views_redactions, views_transitions

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path("<int:case_id>/transitions/", views.case_transition, name="case-transition"),
    path(
        "<int:case_id>/transitions/<slug:name>/",
        views_transitions.case_transition_confirm,
        name="case-transition-confirm",
    ),
    path("<int:case_id>/milestones/<int:milestone_id>/submit/", views.milestone_submit, name="milestone-submit"),
    path("<int:case_id>/milestones/<int:milestone_id>/approve/", views.milestone_approve, name="milestone-approve"),
    path(
        "<int:case_id>/milestones/<int:milestone_id>/request-changes/",
        views.milestone_request_changes,
        name="milestone-request-changes",
    ),
    path("<int:case_id>/milestones/<int:milestone_id>/sign-off/", views.milestone_sign_off, name="milestone-sign-off"),
    path("<int:case_id>/documents/", views.document_upload, name="document-upload"),
    path("<int:case_id>/documents/<int:document_id>/", views.document_download, name="document-download"),
    path(
        "<int:case_id>/documents/<int:document_id>/change/",
        views_documents.document_change,
        name="document-change",
    ),
    path(
        "<int:case_id>/milestones/<int:milestone_id>/note/",
        views_documents.milestone_note_correct,
        name="milestone-note-correct",
    ),
    path(
        "<int:case_id>/documents/<int:document_id>/redact/",
        views_documents.document_redact,
        name="document-redact",
    ),
    path(
        "<int:case_id>/redact/<slug:target>/<int:object_id>/<slug:field>/",
        views_redactions.text_redact,
        name="case-redact",
    ),
]
