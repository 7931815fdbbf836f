"""Pages of the grants app."""

from django.urls import path

from grants.awards import views as w
from grants.views import application_changes as ac
from grants.views import applications as a
from grants.views import reports as r
from grants.views import solicitation_changes as sc
from grants.views import solicitations as s

urlpatterns = [
    path("grants/", s.grants_home, name="grants-home"),
    path("grants/solicitations/new/", s.solicitation_create, name="grants-solicitation-create"),
    path("grants/solicitations/<int:solicitation_id>/", s.solicitation_detail, name="grants-solicitation"),
    path("grants/solicitations/<int:solicitation_id>/categories/", s.category_add, name="grants-category-add"),
    path("grants/solicitations/<int:solicitation_id>/criteria/", s.criterion_add, name="grants-criterion-add"),
    path("grants/solicitations/<int:solicitation_id>/deadlines/", s.deadlines_update, name="grants-deadlines"),
    path("grants/solicitations/<int:solicitation_id>/publish/", s.solicitation_publish, name="grants-publish"),
    path("grants/solicitations/<int:solicitation_id>/edit/", sc.solicitation_edit, name="grants-solicitation-edit"),
    path(
        "grants/solicitations/<int:solicitation_id>/delete/", sc.solicitation_delete, name="grants-solicitation-delete"
    ),
    path(
        "grants/solicitations/<int:solicitation_id>/categories/<int:category_id>/edit/",
        sc.category_edit,
        name="grants-category-edit",
    ),
    path(
        "grants/solicitations/<int:solicitation_id>/categories/<int:category_id>/delete/",
        sc.category_delete,
        name="grants-category-delete",
    ),
    path(
        "grants/solicitations/<int:solicitation_id>/criteria/<int:criterion_id>/edit/",
        sc.criterion_edit,
        name="grants-criterion-edit",
    ),
    path(
        "grants/solicitations/<int:solicitation_id>/criteria/<int:criterion_id>/delete/",
        sc.criterion_delete,
        name="grants-criterion-delete",
    ),
    path("grants/solicitations/<int:solicitation_id>/apply/", s.application_start, name="grants-apply"),
    path("grants/solicitations/<int:solicitation_id>/stages/", r.stages_report, name="grants-report-stages"),
    path("grants/solicitations/<int:solicitation_id>/ranking/", r.ranking_report, name="grants-report-ranking"),
    path("grants/solicitations/<int:solicitation_id>/reviewers/", r.reviewers_report, name="grants-report-reviewers"),
    path(
        "grants/solicitations/<int:solicitation_id>/export/<slug:report>.<slug:extension>",
        r.report_export,
        name="grants-export",
    ),
    path("grants/reviews/", r.my_reviews, name="grants-my-reviews"),
    path("grants/applications/<int:application_id>/", a.application_detail, name="grants-application"),
    path("grants/applications/<int:application_id>/details/", a.application_update, name="grants-details"),
    path("grants/applications/<int:application_id>/budget/", a.budget_update, name="grants-budget"),
    path("grants/applications/<int:application_id>/co-applicants/", a.co_applicant_add, name="grants-co-applicant"),
    path(
        "grants/applications/<int:application_id>/co-applicants/<int:organization_id>/remove/",
        ac.co_applicant_remove,
        name="grants-co-applicant-remove",
    ),
    path(
        "grants/applications/<int:application_id>/co-applicants/<int:organization_id>/restore/",
        ac.co_applicant_restore,
        name="grants-co-applicant-restore",
    ),
    path("grants/applications/<int:application_id>/documents/", a.document_upload, name="grants-upload"),
    path(
        "grants/applications/<int:application_id>/documents/<int:document_id>/withdraw/",
        ac.document_withdraw,
        name="grants-document-withdraw",
    ),
    path("grants/applications/<int:application_id>/sign/", a.application_sign, name="grants-sign"),
    path("grants/applications/<int:application_id>/grants-gov/", a.grants_gov_record, name="grants-grants-gov"),
    path("grants/applications/<int:application_id>/submit/", a.application_submit, name="grants-submit"),
    path("grants/applications/<int:application_id>/completeness/", a.completeness_record, name="grants-completeness"),
    path("grants/applications/<int:application_id>/reviewers/", a.reviewer_assign, name="grants-assign"),
    path(
        "grants/applications/<int:application_id>/reviewers/<int:reviewer_id>/remove/",
        ac.reviewer_remove,
        name="grants-reviewer-remove",
    ),
    path("grants/applications/<int:application_id>/declaration/", a.review_declare, name="grants-declare"),
    path("grants/applications/<int:application_id>/review/", a.review_submit, name="grants-review"),
    path("grants/applications/<int:application_id>/award/", a.decision_award, name="grants-award"),
    path("grants/applications/<int:application_id>/not-funded/", a.decision_not_funded, name="grants-not-funded"),
    path("grants/cases/<int:case_id>/", w.case_redirect, name="grants-case"),
    path("grants/awards/", w.award_lists, name="grants-awards"),
    path("grants/awards/export/<slug:report>.<slug:extension>", w.award_export, name="grants-award-export"),
    path("grants/awards/<int:award_id>/", w.award_detail, name="grants-award-detail"),
    path("grants/awards/<int:award_id>/accept/", w.award_accept, name="grants-award-accept"),
    path("grants/awards/<int:award_id>/roles/", w.award_roles, name="grants-award-roles"),
    path("grants/awards/<int:award_id>/decline/", w.award_decline, name="grants-award-decline"),
    path("grants/awards/<int:award_id>/modifications/", w.modification_prepare, name="grants-modification"),
    path(
        "grants/awards/<int:award_id>/modifications/<int:modification_id>/<slug:step>/",
        w.modification_action,
        name="grants-modification-step",
    ),
    path("grants/awards/<int:award_id>/match/", w.match_report, name="grants-match"),
    path("grants/awards/<int:award_id>/planning-spending/", w.planning_spending, name="grants-planning-spending"),
    path("grants/awards/<int:award_id>/reports/<int:report_id>/", w.report_detail, name="grants-award-report"),
    path(
        "grants/awards/<int:award_id>/reports/<int:report_id>/<slug:step>/",
        w.report_action,
        name="grants-award-report-step",
    ),
]
