"""Task pages: my tasks, a case's tasks (with the create form), an organization's tasks, one task."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Membership
from accounts.selectors import organization_list_for_user, user_can_administer
from config.errors import NotAllowed, ServiceError
from config.forms import apply_error
from config.refusals import REFUSALS, refusal
from tasks import selectors
from tasks.filters import TaskFilter
from tasks.forms import CommentForm, ReassignForm, TaskForm, TaskStatusForm
from tasks.models import Task
from tasks.services import task as services
from tasks.views.common import act, invalid, paginate
from workflow.access import EDIT, REVIEW, case_rights, reviews_anonymously
from workflow.models import Case, Milestone
from workflow.selectors import case_get


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404("Case not found.") from None


def _task(request: HttpRequest, task_id: int) -> Task:
    try:
        return selectors.task_get_for_user(user=request.user, task_id=task_id)
    except Task.DoesNotExist:
        raise Http404("Task not found.") from None


def _works_on(rights: set[str]) -> bool:
    return EDIT in rights or REVIEW in rights


def _can_work(user, case: Case) -> bool:
    return _works_on(case_rights(user=user, case=case))


def _own_organizations(user) -> list[tuple[int, str]]:
    """The task filter's "Organization": the organizations the user works for, by name."""
    memberships = Membership.objects.active().filter(user=user).select_related("organization")
    return sorted(((m.organization_id, m.organization.name) for m in memberships), key=lambda pair: pair[1])


def _listing(request: HttpRequest, queryset, **filter_options) -> dict:
    filterset = TaskFilter(request.GET, queryset=queryset, **filter_options)
    tasks = selectors.task_order(filterset.qs if filterset.is_valid() else queryset.none())
    return {"filter": filterset, "form": filterset.form, "filtered": bool(request.GET), **paginate(request, tasks)}


@require_safe
@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.task_list_mine(user=request.user)
    context = _listing(request, queryset, hide=("assignee", "assignee_organization", "case", "mine"))
    return render(request, "tasks/task_list.html", context)


def _assignee_value(task: Task) -> str:
    if task.assignee_id:
        return f"user:{task.assignee_id}:{task.assignee_organization_id}"
    return f"org:{task.assignee_organization_id}"


def _task_page(task: Task) -> tuple[str, str]:
    return reverse("task-detail", args=[task.pk]), task.title


def _task_to_work_on(request: HttpRequest, task_id: int) -> Task | HttpResponse:
    """The task, 404 for outsiders; the refusal page for those who may only read it (checked before the form)."""
    task = _task(request, task_id)
    if not _can_work(request.user, task.case):
        error = NotAllowed("Only people who work on this case can change its tasks.")
        return refusal(request, error, back=_task_page(task))
    return task


@login_required
def case_tasks(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's tasks; POST creates one (the inline form above the list)."""
    case = _case(request, case_id)
    can_work = _can_work(request.user, case)
    groups = selectors.assignable_groups(case=case)
    milestones = list(Milestone.objects.filter(case=case).order_by("order", "id"))
    form = TaskForm(request.POST or None, groups=groups, milestones=milestones)
    status = 200
    if request.method == "POST":
        if not can_work:
            return refusal(request, NotAllowed("Only people who work on this case can add tasks."), back=case)
        if form.is_valid():
            try:
                task = services.task_create(case=case, actor=request.user, **form.service_fields(milestones))
            except (ServiceError, ValidationError) as error:
                apply_error(form, error)
            else:
                messages.success(request, f"Task “{task.title}” was added.")
                return redirect("case-tasks", case_id=case.pk)
        status = 400
    elif request.method != "GET":
        return HttpResponse(status=405)
    people = [(person.pk, str(person)) for _, members in groups for person in members]
    context = {
        "case": case,
        "can_work": can_work,
        "create_form": form,
        **_listing(request, selectors.task_list_for_case(user=request.user, case=case), hide=("case", "mine"),
                   assignee_choices=sorted(set(people), key=lambda pair: pair[1]),
                   organization_choices=_own_organizations(request.user)),
    }  # fmt: skip
    return render(request, "tasks/case_tasks.html", context, status=status)


@require_safe
@login_required
def organization_tasks(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_object_or_404(organization_list_for_user(user=request.user), pk=organization_id)
    members = selectors.organization_members_for_reassign(organization=organization)
    can_administer = user_can_administer(user=request.user, organization=organization)
    queryset = selectors.task_list_for_organization(user=request.user, organization=organization)
    context = {
        "organization": organization,
        "can_administer": can_administer,
        "reassign_form": ReassignForm(members=members) if can_administer else None,
        **_listing(request, queryset, hide=("assignee_organization", "case", "mine"),
                   assignee_choices=[(member.pk, str(member)) for member in members]),
    }  # fmt: skip
    return render(request, "tasks/organization_tasks.html", context)


@login_required
@require_POST
def organization_reassign(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_object_or_404(organization_list_for_user(user=request.user), pk=organization_id)
    back, label = reverse("organization-tasks", args=[organization.pk]), f"the tasks of {organization}"
    form = ReassignForm(request.POST, members=selectors.organization_members_for_reassign(organization=organization))
    if not form.is_valid():
        try:
            selectors.organization_admin_check(user=request.user, organization=organization)
        except NotAllowed as error:
            return refusal(request, error, back=(back, label))
        return invalid(request, form, back)
    data = form.cleaned_data
    target = data["to_user"] or f"anyone at {organization}"
    return act(
        request,
        lambda: services.task_bulk_reassign(actor=request.user, organization=organization, **data),
        done=lambda count: f"{count} open task{'s' if count != 1 else ''} of {data['from_user']} went to {target}.",
        back=back,
        back_label=label,
    )


def _task_context(request: HttpRequest, task: Task, **forms) -> dict:
    rights = case_rights(user=request.user, case=task.case)
    can_work = _works_on(rights)
    milestones = list(Milestone.objects.filter(case=task.case).order_by("order", "id"))
    edit_form = forms.get("edit_form") or TaskForm(
        groups=selectors.assignable_groups(case=task.case),
        milestones=milestones,
        initial={
            "title": task.title, "description": task.description, "due_date": task.due_date,
            "due_time": task.due_time, "priority": task.priority, "milestone": task.milestone_id,
            "assign_to": _assignee_value(task),
        },
    )  # fmt: skip
    return {
        "task": task,
        "case": task.case,
        "can_work": can_work,
        # Everyone who sees the case but a peer reviewer, whose name would show among the followers.
        "can_watch": not reviews_anonymously(rights),
        "watching": task.watchers.filter(pk=request.user.pk).exists(),
        "watchers": list(task.watchers.all()),
        "comments": list(selectors.comment_list_for_user(user=request.user, task=task)),
        "history": list(selectors.task_history(task=task)),
        "edit_form": edit_form,
        "status_form": TaskStatusForm(initial={"status": task.status, "reason": task.blocked_reason}),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "milestones": milestones,
    }


@require_safe
@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    return render(request, "tasks/task_detail.html", _task_context(request, task))


@login_required
@require_POST
def task_update(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task_to_work_on(request, task_id)
    if isinstance(task, HttpResponse):
        return task
    milestones = list(Milestone.objects.filter(case=task.case).order_by("order", "id"))
    form = TaskForm(request.POST, groups=selectors.assignable_groups(case=task.case), milestones=milestones)
    if form.is_valid():
        try:
            services.task_update(task=task, actor=request.user, **form.service_fields(milestones))
        except REFUSALS as error:
            return refusal(request, error, back=_task_page(task))
        except (ServiceError, ValidationError) as error:
            apply_error(form, error)
        else:
            messages.success(request, "The task was saved.")
            return redirect("task-detail", task_id=task.pk)
    task = _task(request, task_id)
    return render(request, "tasks/task_detail.html", _task_context(request, task, edit_form=form), status=400)


@login_required
@require_POST
def task_status(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task_to_work_on(request, task_id)
    if isinstance(task, HttpResponse):
        return task
    back, label = _task_page(task)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        return invalid(request, form, back)
    return act(
        request,
        lambda: services.task_set_status(task=task, actor=request.user, **form.cleaned_data),
        done=lambda saved: f"The task is now {saved.get_status_display().lower()}.",
        back=back,
        back_label=label,
    )


@login_required
@require_POST
def task_comment(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task_to_work_on(request, task_id)
    if isinstance(task, HttpResponse):
        return task
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.task_comment_add(task=task, actor=request.user, **form.cleaned_data)
        except REFUSALS as error:
            return refusal(request, error, back=_task_page(task))
        except ServiceError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Your comment was added.")
            return redirect(reverse("task-detail", args=[task.pk]) + "#comments")
    context = _task_context(request, task, comment_form=form)
    return render(request, "tasks/task_detail.html", context, status=400)


@login_required
@require_POST
def task_watch(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    watching = request.POST.get("watching") == "1"
    back, label = _task_page(task)
    return act(
        request,
        lambda: services.task_watch(task=task, actor=request.user, watching=watching),
        done=lambda _: "You follow this task." if watching else "You no longer follow this task.",
        back=back,
        back_label=label,
    )
