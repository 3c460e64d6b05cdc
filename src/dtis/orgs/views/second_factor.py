"""The second factor's pages: the code asked after the password, setting up
an authenticator app (with backup codes shown once), and an administrator
removing a lost phone's factor. Rules live in `dtis.orgs.second_factor`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dtis.orgs import second_factor
from dtis.orgs.forms import CodeForm
from dtis.orgs.models import User
from dtis.orgs.views.common import user_for


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return "/"


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(n)d second and try again.",
        "Too many wrong codes. Wait %(n)d seconds and try again.",
        seconds,
    ) % {"n": seconds}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if second_factor.is_verified(request):
        return redirect(_next(request))
    if not second_factor.has_factor(user):
        # Removed since sign-in (an administrator reset it): set up anew.
        second_factor.remember_factor(request, user)
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = second_factor.verify(request, user, form.cleaned_data["code"])
        if check.ok:
            if check.used_backup:
                left = second_factor.backup_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a backup code; %(n)d is left. "
                        "Make new ones on the “Two-step sign-in” page.",
                        "You signed in with a backup code; %(n)d are left. "
                        "Make new ones on the “Two-step sign-in” page.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(_next(request))
        form.add_error(
            "code",
            _wait_message(check.wait_seconds)
            if check.wait_seconds
            else _(
                "This code is not right. Type the code your app shows now "
                "(it changes every 30 seconds) and check the phone's clock."
            ),
        )
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": _next(request), "pending_step": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """The person's own two-step sign-in page: set up, replace the phone, new
    backup codes, or (where it is optional) turn it off."""
    user = _user(request)
    required = second_factor.is_required(user)
    has_factor = second_factor.has_factor(user)
    action = request.POST.get("action", "")
    form = CodeForm(request.POST if action == "confirm" else None)
    if request.method == "POST":
        if action == "confirm" and form.is_valid():
            done = second_factor.confirm_app(request, user, form.cleaned_data["code"])
            if done.codes is not None:
                return render(
                    request,
                    "accounts/backup_codes.html",
                    {"codes": done.codes, "next": _next(request)},
                )
            form.add_error(
                "code",
                _wait_message(done.wait_seconds)
                if done.wait_seconds
                else _(
                    "This code is not right. Check that you scanned the code on this page "
                    "and type the 6 digits the app shows now."
                ),
            )
        elif action == "codes" and has_factor:
            codes = second_factor.new_backup_codes(user)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": "/"})
        elif action == "remove" and has_factor and not required:
            second_factor.remove_own(request, user)
            messages.success(request, _("Two-step sign-in is off for your account."))
            return redirect("otp_setup")
    replacing = action == "replace" or (request.GET.get("doi") == "1" and has_factor)
    pending = (
        second_factor.pending_app(user)
        if not has_factor or replacing or action == "confirm"
        else None
    )
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form,
            "required": required,
            "has_factor": has_factor,
            "pending": pending,
            "codes_left": second_factor.backup_codes_left(user) if has_factor else 0,
            "next": _next(request),
            "pending_step": required and not has_factor,  # no menu: its pages would send back
        },
    )


@login_required
@require_POST
def user_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_for(request, pk)
    second_factor.reset(request, target)
    messages.success(
        request,
        _(
            "Two-step sign-in removed for %(name)s. At their next sign-in they set it up "
            "again with their new phone."
        )
        % {"name": target.full_name or target.username},
    )
    return redirect("orgs:user-detail", pk=target.pk)
