"""Pages of the accounts app: sign-in, second factor, my account, API tokens, accounts and roles.

Views only translate: reads go through selectors, writes through services, objects through
`get_visible_or_404` (404 for "missing" and "not yours" alike).
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
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

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
from congdoan.core.scoping import get_visible_or_404, scope_prefixes
from congdoan.core.views import ScopedMixin


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


def _devices(user: Any) -> list[Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the QR code and secret, confirm with a code."""
    user = request.user
    devices = _devices(user)
    pending = None
    form = OTPConfirmForm()
    if request.method == "POST":
        pending = services.otp_device_pending(user=user)  # type: ignore[arg-type]
        if request.POST.get("action", "confirm") == "confirm":
            form = OTPConfirmForm(request.POST)
            if form.is_valid():
                if services.otp_device_confirm(
                    user=user,  # type: ignore[arg-type]
                    device=pending,
                    token=form.cleaned_data["token"],
                    name=form.cleaned_data["name"],
                ):
                    from django_otp import login as otp_login

                    pending.refresh_from_db()
                    otp_login(request, pending)
                    messages.success(request, _("Two-step verification is now on."))
                    return redirect("accounts:otp_setup")
                form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    elif not devices:
        pending = services.otp_device_pending(user=user)  # type: ignore[arg-type]

    context: dict[str, Any] = {
        "devices": devices,
        "pending": pending,
        "form": form,
        "otp_required": selectors.otp_required(user),
    }
    if pending is not None:
        context["qr_code"] = _qr_data_uri(pending.config_url)
        context["secret"] = base64.b32encode(pending.bin_key).decode("ascii")
        context["secret_groups"] = " ".join(
            context["secret"][i : i + 4] for i in range(0, len(context["secret"]), 4)
        )
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_POST
def otp_device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=request.user, pk=pk).first()
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


# --- my account -----------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    from django_otp import user_has_device

    user = request.user
    return render(
        request,
        "accounts/profile.html",
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
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- API tokens -----------------------------------------------------------------------------


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/token_list.html",
        {"tokens": selectors.api_tokens(request.user), "form": TokenCreateForm()},
    )


def _session_verified(request: HttpRequest) -> bool:
    """Whether this session has passed a second factor (django-otp's middleware sets it)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show its key once: it is not kept anywhere in clear."""
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
            response = render(
                request,
                "accounts/token_created.html",
                {"token": token, "key": key, "name": form.cleaned_data["name"]},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "accounts/token_list.html",
        {"tokens": selectors.api_tokens(request.user), "form": form},
        status=400,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: str) -> HttpResponse:
    from knox.models import AuthToken

    token = AuthToken.objects.filter(user=request.user, digest=pk).first()
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:token_list")


# --- accounts and role grants ---------------------------------------------------------------


def _require_scope(request: HttpRequest, action: Action) -> None:
    prefixes = scope_prefixes(request.user, action)
    if prefixes is not None and not prefixes:
        raise PermissionDenied


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    base = selectors.user_list(viewer=request.user)
    filterset = UserFilter(request.GET or None, queryset=base, request=request)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_create": scope_prefixes(request.user, Action.ACCOUNTS_GRANT) != [],
    }
    fragment = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "accounts/partials/user_table.html" if fragment else "accounts/user_list.html"
    return render(request, template, context)


class UserDetailView(ScopedMixin, DetailView):
    model = User
    scope_action = Action.ACCOUNTS_VIEW
    template_name = "accounts/user_detail.html"
    context_object_name = "account"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        account = self.object
        grants, hidden = selectors.user_grants(viewer=self.request.user, user=account)
        manageable = User.objects.visible_to(self.request.user, Action.ACCOUNTS_GRANT).filter(
            pk=account.pk
        )
        context.update(
            {
                "active_grants": [g for g in grants if g.is_active],
                "revoked_grants": [g for g in grants if not g.is_active],
                "hidden_grants": hidden,
                "history": selectors.account_audit(self.request.user, account),
                "can_manage": manageable.exists(),
            }
        )
        return context


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_scope(request, Action.ACCOUNTS_GRANT)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
                email=data["email"],
                job_title=data["job_title"],
                phone=data["phone"],
                role=data["role"],
                unit=data["unit"],
            )
        except RuleViolation as exc:
            field = {"password": "password1"}.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            messages.success(
                request, _("The account %(user)s has been created.") % {"user": account}
            )
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_visible_or_404(User, request.user, Action.ACCOUNTS_GRANT, pk=pk)
    initial = {f: getattr(account, f) for f in ("full_name", "email", "job_title", "phone")}
    form = UserDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=account, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The account has been updated."))
            return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "account": account, "creating": False}
    )


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_visible_or_404(User, request.user, Action.ACCOUNTS_GRANT, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=account, active=active)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The account has been enabled.") if active else _("The account has been disabled."),
        )
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
def grant_create(request: HttpRequest, user: int) -> HttpResponse:
    account = get_visible_or_404(User, request.user, Action.ACCOUNTS_GRANT, pk=user)
    form = GrantForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        stopped = selectors.tokens_stopped_by(account, form.cleaned_data["role"])
        try:
            services.role_grant(
                actor=request.user,
                user=account,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The role has been granted."))
            if stopped:
                messages.warning(
                    request,
                    ngettext(
                        "This role requires two-step verification: the account's %(n)s API "
                        "token created without it no longer works.",
                        "This role requires two-step verification: the account's %(n)s API "
                        "tokens created without it no longer work.",
                        stopped,
                    )
                    % {"n": stopped},
                )
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/grant_form.html", {"form": form, "account": account})


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_visible_or_404(RoleGrant, request.user, Action.ACCOUNTS_GRANT, pk=pk)
    try:
        services.role_revoke(actor=request.user, grant=grant)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The role has been revoked; the record is kept."))
    return redirect("accounts:user_detail", pk=grant.user_id)
