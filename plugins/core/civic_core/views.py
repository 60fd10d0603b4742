"""The resident's own pages: what the site holds about them, its download, their erasure.

Rules (the throttle, who may erase themselves, what is exported and erased) live in
:mod:`civic_core.privacy`; these views only ask and render.
"""

import json

from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic_core import privacy
from civic_core.errors import CivicError
from civic_core.forms import ErasureConfirmationForm
from civic_core.signin import resident_login_required

REFUSAL_STATUS = {CivicError.FORBIDDEN: 403, CivicError.RATE_LIMITED: 429}


def _refusal(request, error):
    return render(
        request,
        "civic_core/refused.html",
        {"message": error.message},
        status=REFUSAL_STATUS.get(error.code, 400),
    )


@require_GET
@resident_login_required
def my_data(request):
    data = privacy.export_personal_data(request.user)
    return render(
        request,
        "civic_core/my_data.html",
        {
            "account": data[privacy.ACCOUNT_SECTION],
            "summary": privacy.summarise(data),
            "export_interval": privacy.EXPORT_INTERVAL_SECONDS,
        },
    )


@require_POST
@resident_login_required
def download(request):
    try:
        privacy.claim_export(request.user)
    except CivicError as error:
        return _refusal(request, error)
    data = privacy.export_personal_data(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = _("personal-data")
    filename = f"{name}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@resident_login_required
def erase(request):
    user = request.user
    try:
        privacy.check_self_erasure(user)
    except CivicError as error:
        return _refusal(request, error)
    form = ErasureConfirmationForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.erase_personal_data(user)
        logout(request)
        return redirect("civic_core:erased")
    status = 400 if form.is_bound else 200
    return render(request, "civic_core/erase.html", {"form": form}, status=status)


@require_GET
def erased(request):
    return render(request, "civic_core/erased.html")
