from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import gettext as _

from dtis.orgs.accounts import password_changed
from dtis.orgs.forms import LoginForm
from dtis.orgs.models import SecurityEventKind
from dtis.orgs.security_log import record


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = "/"

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response: HttpResponse = super().form_valid(form)
        password_changed(user=form.user)
        record(SecurityEventKind.PASSWORD_CHANGED, self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return response
