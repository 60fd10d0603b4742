"""Member-space views that write: drafting, transitions, discussion, attachments, notes.

Each view finds the item among those the user may see (404 otherwise), then calls the workflow
or services; refusals come back as messages and nothing changes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from civic_core.admin_urls import inspect_url
from civic_participation import deadlines, permissions, services, workflow
from civic_participation.downloads import attachment_response
from civic_participation.errors import ParticipationError
from civic_participation.forms import (
    AttachmentForm,
    DeadlineExtensionForm,
    MessageForm,
    NoteForm,
    OfferDraftForm,
    RequestDraftForm,
)
from civic_participation.models import Deadline, Invitation, Offer, Request

VISIBLE = {
    "request": (Request, permissions.requests_for),
    "offer": (Offer, permissions.offers_for),
    "invitation": (Invitation, permissions.invitations_for),
}


def visible_item(user, kind, pk):
    if kind not in VISIBLE or not permissions.can_use_member_space(user):
        raise Http404
    model, scope = VISIBLE[kind]
    item = scope(user, model.objects.all()).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def _refused(request, error, form=None):
    messages.error(request, error.message)
    if form is not None:
        for name, problems in error.fields.items():
            if name in form.fields:
                for problem in problems:
                    form.add_error(name, problem)


def transition_view(request, kind, pk, name):
    item = visible_item(request.user, kind, pk)
    try:
        transition_ = workflow.get_transition(type(item), name)
    except workflow.TransitionError:
        raise Http404 from None
    if transition_.by_system:
        raise Http404
    form = workflow.input_form_class(transition_, item)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.perform(item, name, request.user, request.POST)
        except ParticipationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition_.label})
            return redirect(inspect_url(item))
    elif request.method == "GET":
        error = workflow.refusal(transition_, item, request.user)
        if error is not None:
            messages.warning(request, error.message)
    return TemplateResponse(
        request,
        "civic_participation/admin/transition.html",
        {"item": item, "transition": transition_, "form": form, "back_url": inspect_url(item)},
    )


def extend_deadline_view(request, pk):
    deadline = Deadline.objects.filter(pk=pk).first()
    if deadline is None:
        raise Http404
    item = visible_item(request.user, deadline.item._meta.model_name, deadline.item.pk)
    form = DeadlineExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_deadline(
                request.user, deadline, form.cleaned_data["due_on"], form.cleaned_data["reason"]
            )
        except ParticipationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The deadline was extended."))
            return redirect(inspect_url(item))
    elif request.method == "GET" and not deadlines.can_extend(request.user, item):
        messages.warning(
            request, _("Only a coordinator or the service's manager may extend a deadline.")
        )
    action = {"label": _("Extend the deadline: %(kind)s") % {"kind": deadline.get_kind_display()}}
    return TemplateResponse(
        request,
        "civic_participation/admin/transition.html",
        {"item": item, "transition": action, "form": form, "back_url": inspect_url(item)},
    )


def _draft_view(request, form_class, create, title):
    if not permissions.can_use_member_space(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = create(request.user, **form.cleaned_data)
        except ParticipationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(inspect_url(item))
    return TemplateResponse(
        request, "civic_participation/admin/draft.html", {"form": form, "title": title}
    )


def new_request_view(request):
    def create(user, council, **values):
        return services.create_request(user, council, **values)

    return _draft_view(request, RequestDraftForm, create, _("New request"))


def new_offer_view(request):
    def create(user, service, **values):
        return services.create_offer(user, service, **values)

    return _draft_view(request, OfferDraftForm, create, _("New offer"))


def _post_view(request, kind, pk, form_class, write):
    if request.method != "POST":
        raise Http404
    item = visible_item(request.user, kind, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The form is not valid: nothing was saved."))
        return redirect(inspect_url(item))
    try:
        write(request.user, item, form.cleaned_data)
    except ParticipationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(inspect_url(item))


def message_view(request, kind, pk):
    return _post_view(
        request,
        kind,
        pk,
        MessageForm,
        lambda user, item, data: services.post_message(user, item, data["body"]),
    )


def note_view(request, kind, pk):
    return _post_view(
        request,
        kind,
        pk,
        NoteForm,
        lambda user, item, data: services.add_note(user, item, data["body"]),
    )


def attachment_view(request, kind, pk):
    return _post_view(
        request,
        kind,
        pk,
        AttachmentForm,
        lambda user, item, data: services.add_attachment(user, item, data["title"], data["file"]),
    )


def download_view(request, pk):
    """Members-only files are never served from a public address."""
    attachment = services.readable_attachment(request.user, pk)
    if attachment is None:
        raise Http404
    return attachment_response(attachment)
