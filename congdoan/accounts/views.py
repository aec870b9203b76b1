"""Pages of the accounts app: sign-in, second factor, my account, API tokens, accounts and roles.

Views only translate: reads go through selectors, writes through services. Pages about the
signed-in user's own account use `OwnAccountMixin`; account and grant pages `ScopedMixin`
(objects through `get_object` / `get_visible`: 404 for "missing" and "not yours" alike). Sign-in,
sign-out and the second factor serve before the second factor is passed and stay open.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from congdoan.accounts import selectors, services
from congdoan.accounts.filters import UserFilter
from congdoan.accounts.forms import (
    GrantForm,
    LoginForm,
    OTPConfirmForm,
    OTPTokenForm,
    StyledPasswordChangeForm,
    TokenCreateForm,
    UserCreateForm,
    UserDetailsForm,
)
from congdoan.accounts.models import RoleGrant, User
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import ACTIONS, Action
from congdoan.core.views import OwnAccountMixin, ScopedMixin


def _safe_next(request: HttpRequest, default: str = "") -> str:
    """The ?next= (or posted next) target if it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("organisation:home")


# --- sign in and out ------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        from django_otp import user_has_device

        target = super().get_success_url()
        if user_has_device(self.request.user):
            return f"{reverse('accounts:otp_verify')}?{urlencode({'next': target})}"
        return target


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET)."""


# --- second factor --------------------------------------------------------------------------


def _qr_data_uri(text: str) -> str:
    """A QR code as a data: SVG image (the Content Security Policy allows img-src data:)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg: bytes = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _pending_context(pending: Any) -> dict[str, Any]:
    """What the page shows to set up a new device: its QR code and its secret in groups of 4."""
    secret = base64.b32encode(pending.bin_key).decode("ascii")
    return {
        "qr_code": _qr_data_uri(pending.config_url),
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


def _otp_confirm(request: HttpRequest, pending: Any) -> tuple[OTPConfirmForm, bool]:
    """Confirm the pending device with the posted code; the form, and whether it worked (the
    session then counts as verified)."""
    form = OTPConfirmForm(request.POST)
    if not form.is_valid():
        return form, False
    confirmed = services.otp_device_confirm(
        user=request.user,  # type: ignore[arg-type]
        device=pending,
        token=form.cleaned_data["token"],
        name=form.cleaned_data["name"],
    )
    if not confirmed:
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
        return form, False
    from django_otp import login as otp_login

    pending.refresh_from_db()
    otp_login(request, pending)
    return form, True


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the QR code and secret, confirm with a code."""
    user = request.user
    devices = selectors.otp_devices(user)
    pending = None
    form = OTPConfirmForm()
    if request.method == "POST":
        pending = services.otp_device_pending(user=user)  # type: ignore[arg-type]
        if request.POST.get("action", "confirm") == "confirm":
            form, confirmed = _otp_confirm(request, pending)
            if confirmed:
                messages.success(request, _("Two-step verification is now on."))
                return redirect("accounts:otp_setup")
    elif not devices:
        pending = services.otp_device_pending(user=user)  # type: ignore[arg-type]

    context: dict[str, Any] = {
        "devices": devices,
        "pending": pending,
        "form": form,
        "otp_required": selectors.otp_required(user),
    }
    if pending is not None:
        context.update(_pending_context(pending))
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the user's authenticator app."""
    from django_otp import login as otp_login
    from django_otp import user_has_device

    user = request.user
    target = _safe_next(request)
    if user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(target)
    if not user_has_device(user):
        if selectors.otp_required(user):
            return redirect("accounts:otp_setup")
        return HttpResponseRedirect(target)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_verify(user=user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        except RuleViolation as exc:
            form.add_error("token", str(exc))
        else:
            if device is not None:
                otp_login(request, device)
                return HttpResponseRedirect(target)
            form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": target},
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


class OTPDeviceRemoveView(OwnAccountMixin, View):
    """POST: remove one of the signed-in user's devices."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = selectors.otp_device_of(user=request.user, pk=pk)
        if device is None:
            raise Http404
        try:
            services.otp_device_remove(
                user=request.user,  # type: ignore[arg-type]
                device=device,
                otp_required=selectors.otp_required(request.user),
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The device has been removed."))
        return redirect("accounts:otp_setup")


# --- my account -----------------------------------------------------------------------------


class ProfileView(OwnAccountMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django_otp import user_has_device

        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "grants": selectors.active_grants(user),
                "actions_by_unit": [
                    {
                        "unit": e["unit"],
                        "actions": [(a, ACTIONS.get(a, a)) for a in e["actions"]],
                    }
                    for e in selectors.actions_by_unit(user)
                ],
                "has_device": user_has_device(user),
                "otp_required": selectors.otp_required(user),
                "token_count": len(selectors.api_tokens(user)),
            }
        )
        return context


class PasswordChangeView(OwnAccountMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- API tokens -----------------------------------------------------------------------------


def _token_list(request: HttpRequest, form: TokenCreateForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/token_list.html",
        {"tokens": selectors.api_tokens(request.user), "form": form},
        status=status,
    )


class TokenListView(OwnAccountMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return _token_list(request, TokenCreateForm())


def _session_verified(request: HttpRequest) -> bool:
    """Whether this session has passed a second factor (django-otp's middleware sets it)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class TokenCreateView(OwnAccountMixin, View):
    """POST: create a token and show its key once: it is not kept anywhere in clear."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                token, key = services.token_create(
                    actor=request.user,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    otp_verified=_session_verified(request),
                )
            except RuleViolation as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                return self.created(token, key, form.cleaned_data["name"])
        return _token_list(request, form, status=400)

    def created(self, token: Any, key: str, name: str) -> HttpResponse:
        context = {"token": token, "key": key, "name": name}
        response = render(self.request, "accounts/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response


class TokenRevokeView(OwnAccountMixin, View):
    """POST: revoke one of the signed-in user's tokens."""

    def post(self, request: HttpRequest, pk: str) -> HttpResponse:
        token = selectors.api_token_of(user=request.user, digest=pk)
        if token is None:
            raise Http404
        services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        messages.success(request, _("The token has been revoked."))
        return redirect("accounts:token_list")


# --- accounts and role grants ---------------------------------------------------------------


class UserListView(ScopedMixin, TemplateView):
    """Accounts in the user's scope, searchable; an htmx request gets the table only."""

    scope_action = Action.ACCOUNTS_VIEW
    template_name = "accounts/user_list.html"

    def get_template_names(self) -> list[str]:
        headers = self.request.headers
        if headers.get("HX-Request") == "true" and not headers.get("HX-History-Restore-Request"):
            return ["accounts/partials/user_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.request
        base = selectors.user_list(viewer=request.user)
        filterset = UserFilter(request.GET or None, queryset=base, request=request)
        context.update(
            {
                "filter": filterset,
                "page": Paginator(filterset.qs, 50).get_page(request.GET.get("page")),
                "can_create": self.has_scope(Action.ACCOUNTS_GRANT),
            }
        )
        return context


class UserDetailView(ScopedMixin, DetailView):
    model = User
    scope_action = Action.ACCOUNTS_VIEW
    template_name = "accounts/user_detail.html"
    context_object_name = "account"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        account = self.object
        viewer = self.request.user
        grants, hidden = selectors.user_grants(viewer=viewer, user=account)
        context.update(
            {
                "active_grants": [g for g in grants if g.is_active],
                "revoked_grants": [g for g in grants if not g.is_active],
                "hidden_grants": hidden,
                "history": selectors.account_audit(viewer, account),
                "can_manage": selectors.user_is_manageable(viewer=viewer, user=account),
            }
        )
        return context


class _GrantFormView(ScopedMixin, FormView):
    """A form page about accounts and grants ("accounts.grant"): `prepare()` refuses or fetches
    what the page is about once the user is signed in, before any handler; valid input goes to
    a service through `perform(form)`, which returns the URL to go to; a broken rule is shown on
    the form, next to its field (`error_fields` renames a service's field to the form's)."""

    scope_action = Action.ACCOUNTS_GRANT
    error_fields: dict[str, str] = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.prepare()
        return super().dispatch(request, *args, **kwargs)

    def prepare(self) -> None:
        pass

    def perform(self, form: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            url = self.perform(form)
        except RuleViolation as exc:
            field = self.error_fields.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(url)


class UserCreateView(_GrantFormView):
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"
    error_fields = {"password": "password1"}
    extra_context = {"creating": True}

    def prepare(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        account = services.user_create(
            actor=self.request.user,
            username=data["username"],
            full_name=data["full_name"],
            password=data["password1"],
            email=data["email"],
            job_title=data["job_title"],
            phone=data["phone"],
            role=data["role"],
            unit=data["unit"],
        )
        messages.success(
            self.request, _("The account %(user)s has been created.") % {"user": account}
        )
        return reverse("accounts:user_detail", args=[account.pk])


class UserEditView(_GrantFormView):
    model = User
    form_class = UserDetailsForm
    template_name = "accounts/user_form.html"
    extra_context = {"creating": False}

    def prepare(self) -> None:
        self.account = self.get_object()

    def get_initial(self) -> dict[str, Any]:
        return {f: getattr(self.account, f) for f in ("full_name", "email", "job_title", "phone")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(account=self.account, **kwargs)

    def perform(self, form: Any) -> str:
        services.user_update(actor=self.request.user, user=self.account, **form.cleaned_data)
        messages.success(self.request, _("The account has been updated."))
        return reverse("accounts:user_detail", args=[self.account.pk])


class GrantCreateView(_GrantFormView):
    form_class = GrantForm
    template_name = "accounts/grant_form.html"

    def prepare(self) -> None:
        self.account = self.get_visible(User, pk=self.kwargs["user"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(account=self.account, **kwargs)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        stopped = selectors.tokens_stopped_by(self.account, data["role"])
        services.role_grant(
            actor=self.request.user,
            user=self.account,
            role=data["role"],
            unit=data["unit"],
            note=data["note"],
        )
        messages.success(self.request, _("The role has been granted."))
        if stopped:
            messages.warning(self.request, self.tokens_stopped_message(stopped))
        return reverse("accounts:user_detail", args=[self.account.pk])

    @staticmethod
    def tokens_stopped_message(stopped: int) -> str:
        return ngettext(
            "This role requires two-step verification: the account's %(n)s API "
            "token created without it no longer works.",
            "This role requires two-step verification: the account's %(n)s API "
            "tokens created without it no longer work.",
            stopped,
        ) % {"n": stopped}


class UserSetActiveView(ScopedMixin, View):
    """POST: enable (active=1) or disable an account."""

    model = User
    scope_action = Action.ACCOUNTS_GRANT

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_object()
        active = request.POST.get("active") == "1"
        try:
            services.user_set_active(actor=request.user, user=account, active=active)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            done = (
                _("The account has been enabled.")
                if active
                else _("The account has been disabled.")
            )
            messages.success(request, done)
        return redirect("accounts:user_detail", pk=account.pk)


class GrantRevokeView(ScopedMixin, View):
    """POST: end a grant; the record stays."""

    model = RoleGrant
    scope_action = Action.ACCOUNTS_GRANT

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = self.get_object()
        try:
            services.role_revoke(actor=request.user, grant=grant)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The role has been revoked; the record is kept."))
        return redirect("accounts:user_detail", pk=grant.user_id)
