"""/api/v1/solicitations/, /api/v1/applications/ and /api/v1/reviews/: thin views over the grants services."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from accounts.models import Membership, Organization, Role, User
from config.errors import NotAllowed
from grants import selectors, services
from grants import serializers as s
from grants.models import Application, ReviewAssignment, Solicitation
from grants.rules import reviewing_staff
from grants.services import review_changes, solicitation_changes
from workflow.access import EDIT, VIEW
from workflow.matrix import (
    AGENCY_GRANT_MANAGER,
    AGENCY_STAFF,
    APPLICANT_ADMIN,
    ASSIGNED_REVIEWER,
    BJA_STAFF,
    GRANT_MANAGER,
    LEAD_ADMIN,
    LEAD_STAFF,
    OWN,
    SIGNED_IN,
)
from workflow.models import Document
from workflow.serializers import DocumentSerializer
from workflow.viewsets import CaseScopedViewSet


def _agency(user: User, agency_id: int | None) -> Organization:
    if agency_id is not None:
        agency = Organization.objects.filter(pk=agency_id, is_active=True).first()
        if agency is None:
            raise serializers.ValidationError({"agency": ["No such organization."]})
        return agency
    managed = Membership.objects.active().filter(user=user, role=Role.GRANT_MANAGER).select_related("organization")
    agencies = [membership.organization for membership in managed]
    if not agencies:
        raise NotAllowed("Only a BJA grant manager creates solicitations.")
    if len(agencies) > 1:
        raise serializers.ValidationError({"agency": ["You manage grants for several agencies: say which."]})
    return agencies[0]


class SolicitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Published solicitations for everyone; drafts for the issuing agency. Grant managers write them."""

    serializer_class = s.SolicitationSerializer
    queryset = Solicitation.objects.none()
    action_rights = {
        "list": SIGNED_IN,
        "retrieve": SIGNED_IN,  # Published ones; a draft only for its agency.
        "create": AGENCY_GRANT_MANAGER,
        "partial_update": AGENCY_GRANT_MANAGER,
        "categories": AGENCY_GRANT_MANAGER,
        "criteria": AGENCY_GRANT_MANAGER,
        "publish": AGENCY_GRANT_MANAGER,
        "stages": AGENCY_STAFF,
        "ranking": AGENCY_STAFF,
        "reviewers": AGENCY_STAFF,
        "destroy": AGENCY_GRANT_MANAGER,
        "category": AGENCY_GRANT_MANAGER,
        "criterion": AGENCY_GRANT_MANAGER,
    }
    filterset_fields = ["program", "fiscal_year"]

    def get_queryset(self):
        return selectors.solicitation_list(user=self.request.user).order_by("-fiscal_year", "justgrants_deadline", "id")

    def _managed(self) -> Solicitation:
        """The solicitation in the path, for a write: 404 unless the user sees it, then 403 unless they manage it,
        before its input is read (the service checks again on the locked row)."""
        solicitation = self.get_object()
        services.solicitation_manager_require(solicitation=solicitation, actor=self.request.user)
        return solicitation

    def _fresh(self, solicitation: Solicitation, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(s.SolicitationSerializer(self.get_queryset().get(pk=solicitation.pk)).data, status=status_code)

    @extend_schema(request=s.SolicitationWriteSerializer, responses={201: s.SolicitationSerializer})
    def create(self, request):
        data = s.SolicitationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        agency = _agency(request.user, fields.pop("agency", None))
        solicitation = services.solicitation_create(actor=request.user, agency=agency, **fields)
        return self._fresh(solicitation, status.HTTP_201_CREATED)

    @extend_schema(request=s.SolicitationWriteSerializer, responses=s.SolicitationSerializer)
    def partial_update(self, request, pk=None):
        solicitation = self._managed()
        data = s.SolicitationWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {name: value for name, value in data.validated_data.items() if name != "agency"}
        return self._fresh(services.solicitation_update(solicitation=solicitation, actor=request.user, **fields))

    @extend_schema(request=s.CategorySerializer, responses={201: s.CategorySerializer})
    @action(detail=True, methods=["post"])
    def categories(self, request, pk=None):
        solicitation = self._managed()
        data = s.CategorySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        category = services.category_add(solicitation=solicitation, actor=request.user, **data.validated_data)
        return Response(s.CategorySerializer(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CriterionWriteSerializer, responses={201: s.CriterionSerializer})
    @action(detail=True, methods=["post"])
    def criteria(self, request, pk=None):
        solicitation = self._managed()
        data = s.CriterionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        criterion = services.criterion_add(solicitation=solicitation, actor=request.user, **data.validated_data)
        return Response(s.CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Delete a draft solicitation (a published one is amended, never deleted)."""
        solicitation_changes.solicitation_delete(solicitation=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["PATCH"], request=s.CategorySerializer, responses=s.CategorySerializer)
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"categories/(?P<category_id>\d+)")
    def category(self, request, pk=None, category_id=None):
        """Change or delete a draft's category."""
        solicitation, changes = self.get_object(), solicitation_changes
        if request.method == "DELETE":
            changes.category_delete(solicitation=solicitation, category_id=int(category_id), actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = s.CategorySerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        category = changes.category_update(
            solicitation=solicitation, category_id=int(category_id), actor=request.user, **data.validated_data
        )
        return Response(s.CategorySerializer(category).data)

    @extend_schema(methods=["PATCH"], request=s.CriterionWriteSerializer, responses=s.CriterionSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"criteria/(?P<criterion_id>\d+)")
    def criterion(self, request, pk=None, criterion_id=None):
        """Change or delete a draft's review criterion."""
        solicitation, changes = self.get_object(), solicitation_changes
        if request.method == "DELETE":
            changes.criterion_delete(solicitation=solicitation, criterion_id=int(criterion_id), actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = s.CriterionWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        criterion = changes.criterion_update(
            solicitation=solicitation, criterion_id=int(criterion_id), actor=request.user, **data.validated_data
        )
        return Response(s.CriterionSerializer(criterion).data)

    @extend_schema(request=None, responses=s.SolicitationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._fresh(services.solicitation_publish(solicitation=self._managed(), actor=request.user))

    def _report(self) -> Solicitation:
        solicitation = self.get_object()
        selectors.reports_require(user=self.request.user, solicitation=solicitation)
        return solicitation

    @extend_schema(responses=s.StageCountSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def stages(self, request, pk=None):
        """How many applications (that you see) are at each stage."""
        solicitation = self._report()
        counts = selectors.stage_counts(user=request.user, solicitations=[solicitation])[solicitation.id]
        return Response(s.StageCountSerializer(counts, many=True).data)

    @extend_schema(responses=s.RankedSerializer(many=True))
    @action(detail=True)
    def ranking(self, request, pk=None):
        """Applications past the completeness review by their average peer review score."""
        solicitation = self._report()
        page = self.paginate_queryset(selectors.ranking(solicitation=solicitation, user=request.user))
        return self.get_paginated_response(s.RankedSerializer(page, many=True).data)

    @extend_schema(responses=s.ReviewerProgressSerializer(many=True))
    @action(detail=True)
    def reviewers(self, request, pk=None):
        """Review progress per peer reviewer."""
        solicitation = self._report()
        page = self.paginate_queryset(selectors.reviewer_progress(user=request.user, solicitation=solicitation))
        return self.get_paginated_response(s.ReviewerProgressSerializer(page, many=True).data)


class ApplicationFilter(django_filters.FilterSet):
    stage = django_filters.CharFilter(field_name="case__stage")

    class Meta:
        model = Application
        fields = ["solicitation", "category", "stage"]


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseScopedViewSet):
    """Applications whose case you may see (Case.objects.visible_to), with every pre-award step as an action.

    A step finds its application by id (``write_target``) and its service decides access on the locked row.
    """

    serializer_class = s.ApplicationSerializer
    queryset = Application.objects.all()
    filterset_class = ApplicationFilter
    not_found = "Application not found."
    action_rights = {
        "list": VIEW,
        "retrieve": VIEW,
        "partial_update": EDIT,
        "budget": EDIT,
        "co_applicants": LEAD_ADMIN,
        "co_applicant_remove": LEAD_ADMIN,
        "co_applicant_restore": LEAD_ADMIN,
        "documents": EDIT,
        "document_withdraw": EDIT,
        "readiness": VIEW,
        "sign": APPLICANT_ADMIN,
        "grants_gov": LEAD_STAFF,
        "submit": LEAD_STAFF,
        "completeness": GRANT_MANAGER,
        "reviewers": GRANT_MANAGER,
        "reviews": VIEW,
        "declaration": ASSIGNED_REVIEWER,
        "review": ASSIGNED_REVIEWER,
        "decision": GRANT_MANAGER,
        "review_draft": ASSIGNED_REVIEWER,
        "reviewer_remove": GRANT_MANAGER,
        "summary": BJA_STAFF,
    }

    def rows(self):
        applications = Application.objects.order_by("-created_at", "-id")
        if self.detail and self.request.method in SAFE_METHODS:
            return selectors.application_with_participants(applications)
        return selectors.application_with_relations(applications)

    def get_serializer_class(self):
        return s.ApplicationDetailSerializer if self.action == "retrieve" else s.ApplicationSerializer

    def _detail(self, application: Application, status_code: int = status.HTTP_200_OK) -> Response:
        # After a write, its service has checked that the actor may see the case: no need to ask again.
        fresh = selectors.application_with_participants(Application.objects.filter(pk=application.pk)).get()
        return Response(s.ApplicationDetailSerializer(fresh).data, status=status_code)

    def _input(self, serializer_class, application: Application | None = None):
        if application is None:
            data = serializer_class(data=self.request.data)
            data.is_valid(raise_exception=True)
            return data.validated_data
        return self.write_input(serializer_class, application)

    @extend_schema(request=s.ApplicationCreateSerializer, responses={201: s.ApplicationDetailSerializer})
    def create(self, request):
        data = self._input(s.ApplicationCreateSerializer)
        solicitation = selectors.solicitation_get(user=request.user, solicitation_id=data["solicitation"])
        organization = Organization.objects.filter(pk=data["organization"], is_active=True).first()
        if organization is None:
            raise serializers.ValidationError({"organization": ["No such organization."]})
        co_applicants = list(Organization.objects.filter(pk__in=data["co_applicants"]))
        if len(co_applicants) != len(set(data["co_applicants"])):
            raise serializers.ValidationError({"co_applicants": ["No such organization."]})
        application = services.application_create(
            solicitation=solicitation,
            organization=organization,
            actor=request.user,
            title=data["title"],
            category=data["category"],
            co_applicants=co_applicants,
        )
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=s.ApplicationUpdateSerializer, responses=s.ApplicationDetailSerializer)
    def partial_update(self, request, pk=None):
        application = self.write_target()
        fields = self._input(s.ApplicationUpdateSerializer, application)
        return self._detail(services.application_update(application=application, actor=request.user, **fields))

    @extend_schema(request=s.BudgetSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["put"])
    def budget(self, request, pk=None):
        application = self.write_target()
        years = self._input(s.BudgetSerializer, application)["years"]
        services.budget_set(application=application, actor=request.user, years=years)
        return self._detail(application)

    @extend_schema(request=s.OrganizationRefSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="co-applicants")
    def co_applicants(self, request, pk=None):
        application = self.write_target()
        organization_id = self._input(s.OrganizationRefSerializer, application)["organization"]
        organization = self._organization(application, organization_id)
        services.co_applicant_add(application=application, organization=organization, actor=request.user)
        return self._detail(application)

    def _organization(self, application: Application, organization_id: int) -> Organization:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            with self.input_of(application):
                raise serializers.ValidationError({"organization": ["No such organization."]})
        return organization

    @extend_schema(request=s.CoApplicantRemoveSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="co-applicants/remove")
    def co_applicant_remove(self, request, pk=None):
        """The lead's admin takes a co-applicant added by mistake off a draft, saying why; its access ends at once
        and every applicant signs again."""
        application = self.write_target()
        data = self._input(s.CoApplicantRemoveSerializer, application)
        organization = self._organization(application, data["organization"])
        services.co_applicant_remove(
            application=application, organization=organization, actor=request.user, reason=data["reason"]
        )
        return self._detail(application)

    @extend_schema(request=s.OrganizationRefSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="co-applicants/restore")
    def co_applicant_restore(self, request, pk=None):
        """Add back a co-applicant removed by mistake (the application is still a draft)."""
        application = self.write_target()
        organization_id = self._input(s.OrganizationRefSerializer, application)["organization"]
        organization = self._organization(application, organization_id)
        services.co_applicant_restore(application=application, organization=organization, actor=request.user)
        return self._detail(application)

    @extend_schema(request={"multipart/form-data": s.ApplicationUploadSerializer}, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        """Attach a document of a required kind (program narrative, budget worksheet, MOU, …)."""
        application = self.write_target()
        data = self._input(s.ApplicationUploadSerializer, application)
        document = services.application_document_upload(
            application=application, actor=request.user, upload=data["file"], kind=data["kind"]
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AttachmentWithdrawSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="documents/withdraw")
    def document_withdraw(self, request, pk=None):
        """The organization that attached a document withdraws it from a draft, saying why; it leaves the lists and
        downloads (site staff keep it) and every applicant signs again. The generic document endpoints send an
        application's attachments here (409 `domain_documents`)."""
        application = self.write_target()
        data = self._input(s.AttachmentWithdrawSerializer, application)
        documents = Document.objects.readable_by(request.user)
        document = documents.filter(case_id=application.case_id, pk=data["document"]).first()
        if document is None:
            with self.input_of(application):
                raise serializers.ValidationError({"document": ["No such attachment on this application."]})
        services.application_document_withdraw(
            application=application, document=document, actor=request.user, reason=data["reason"]
        )
        return self._detail(application)

    @extend_schema(responses=s.ReadinessSerializer)
    @action(detail=True)
    def readiness(self, request, pk=None):
        """The submission checklist: every requirement, done or what is missing."""
        readiness = selectors.application_readiness(application=self.get_object())
        body = {
            "ready": readiness.ready,
            "content_ready": readiness.content_ready,
            "done": readiness.done,
            "total": readiness.total,
            "percent": readiness.percent,
            "items": readiness.items,
            "waiting_for": [organization.name for organization in readiness.waiting_for],
        }
        return Response(s.ReadinessSerializer(body).data)

    @extend_schema(request=None, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the current version for your organization (its admins only)."""
        application = self.write_target()
        services.application_sign(application=application, actor=request.user)
        return self._detail(application)

    @extend_schema(request=None, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="grants-gov")
    def grants_gov(self, request, pk=None):
        """Record step 1: the SF-424 and SF-LLL went in through Grants.gov."""
        return self._detail(services.grants_gov_record(application=self.write_target(), actor=request.user))

    @extend_schema(request=s.SubmitSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Step 2, the JustGrants submission."""
        application = self.write_target()
        data = self._input(s.SubmitSerializer, application)
        return self._detail(services.application_submit(application=application, actor=request.user, **data))

    @extend_schema(request=s.CompletenessSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def completeness(self, request, pk=None):
        """BJA's finding: complete (to peer review) or not, with reasons (back to draft, or rejected if late)."""
        application = self.write_target()
        services.completeness_record(
            application=application, actor=request.user, **self._input(s.CompletenessSerializer, application)
        )
        return self._detail(application)

    @extend_schema(request=s.AssignSerializer, responses={201: s.ReviewSerializer})
    @action(detail=True, methods=["post"])
    def reviewers(self, request, pk=None):
        """Assign a peer reviewer (grant managers)."""
        application = self.write_target()
        data = self._input(s.AssignSerializer, application)
        reviewer = User.objects.filter(email__iexact=data["reviewer"], is_active=True).first()
        if reviewer is None:
            with self.input_of(application):
                raise serializers.ValidationError({"reviewer": ["No active user has this email."]})
        assignment = services.reviewer_assign(
            application=application, reviewer=reviewer, actor=request.user, due_date=data.get("due_date")
        )
        return Response(s.ReviewSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReviewerRemoveSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="reviewers/remove")
    def reviewer_remove(self, request, pk=None):
        """Take a peer reviewer who has not submitted off the application (grant managers); assign another after."""
        application = self.write_target()
        data = self._input(s.ReviewerRemoveSerializer, application)
        reviewer = User.objects.filter(email__iexact=data["reviewer"]).first()
        if reviewer is None:
            with self.input_of(application):
                raise serializers.ValidationError({"reviewer": ["No user has this email."]})
        review_changes.reviewer_remove(
            application=application, reviewer=reviewer, actor=request.user, reason=data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.ReviewDraftInputSerializer, responses=s.ReviewSerializer)
    @action(detail=True, methods=["post"], url_path="review/draft")
    def review_draft(self, request, pk=None):
        """As the assigned reviewer: keep scores and comments so far (any may be blank), for you alone."""
        application = self.write_target()
        data = self._input(s.ReviewDraftInputSerializer, application)
        assignment = review_changes.review_draft_save(application=application, actor=request.user, **data)
        return Response(s.ReviewSerializer(ReviewAssignment.objects.get(pk=assignment.pk)).data)

    @extend_schema(responses=s.ReviewSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def reviews(self, request, pk=None):
        """The reviews you may see: all for BJA staff; for a reviewer, the others' only after submitting theirs."""
        reviews = selectors.reviews_visible(application=self.get_object(), user=request.user)
        return Response(s.ReviewSerializer(reviews, many=True).data)

    @extend_schema(request=s.DeclarationSerializer, responses=s.ReviewSerializer)
    @action(detail=True, methods=["post"])
    def declaration(self, request, pk=None):
        """As the assigned reviewer: declare no conflict of interest (or declare one and recuse)."""
        application = self.write_target()
        assignment = services.review_declare(
            application=application, actor=request.user, **self._input(s.DeclarationSerializer, application)
        )
        return Response(s.ReviewSerializer(assignment).data)

    @extend_schema(request=s.ReviewInputSerializer, responses=s.ReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """As the assigned reviewer: score every criterion (0 to its weight) and submit."""
        application = self.write_target()
        data = self._input(s.ReviewInputSerializer, application)
        assignment = services.review_submit(application=application, actor=request.user, **data)
        return Response(s.ReviewSerializer(ReviewAssignment.objects.get(pk=assignment.pk)).data)

    @extend_schema(request=s.DecisionInputSerializer, responses={201: s.DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Record the funding decision and move to "awarded" or "not funded" in one step."""
        application = self.write_target()
        decision = services.decision_record(
            application=application, actor=request.user, **self._input(s.DecisionInputSerializer, application)
        )
        return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.SummarySerializer)
    @action(detail=True)
    def summary(self, request, pk=None):
        """Weighted average, spread and per-criterion averages of the submitted reviews (BJA staff)."""
        application = self.get_object()
        if not reviewing_staff(request.user, application.case):
            raise NotAllowed("The score summary is for BJA staff.")
        summary = selectors.review_summary(application=application)
        body = {
            "submitted": summary.submitted,
            "expected": summary.expected,
            "average": summary.average,
            "spread": summary.spread,
            "low": summary.low,
            "high": summary.high,
            "criteria": [
                {"criterion": criterion.pk, "title": criterion.title, "weight": criterion.weight, "average": average}
                for criterion, average in summary.criteria
            ],
        }
        return Response(s.SummarySerializer(body).data)


class ReviewAssignmentViewSet(mixins.ListModelMixin, CaseScopedViewSet):
    """Your peer review assignments."""

    serializer_class = s.AssignmentSerializer
    queryset = ReviewAssignment.objects.all()
    case_field = "application__case"
    action_rights = {"list": OWN}

    def rows(self):
        return selectors.assignment_rows(ReviewAssignment.objects.filter(reviewer=self.request.user))
