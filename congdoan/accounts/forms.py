"""Forms of the accounts app. They only translate input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.accounts.models import Role
from congdoan.core.permissions import Action
from congdoan.organisation.forms import UnitChoiceField


class BootstrapMixin:
    """Give every widget the Bootstrap class it needs."""

    fields: dict[str, forms.Field]

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class LoginForm(BootstrapMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = pgettext_lazy("account", "Username")
        self.fields["password"].label = _("Password")
        self._style()


class StyledPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class OTPTokenForm(BootstrapMixin, forms.Form):
    token = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        error_messages={"invalid": _("Enter the 6-digit code shown by your app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).replace(" ", "").strip()


class OTPConfirmForm(OTPTokenForm):
    name = forms.CharField(
        label=_("Device name"),
        max_length=64,
        required=False,
        help_text=_("For example: my phone."),
    )

    field_order = ["name", "token"]


class TokenCreateForm(BootstrapMixin, forms.Form):
    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("", _("Never")),
    ]
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monthly report script”."),
    )
    days = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_days(self) -> int | None:
        value = self.cleaned_data.get("days")
        return int(value) if value else None


def role_queryset(actor: Any) -> Any:
    qs = Role.objects.all()
    if not actor.is_superuser:
        qs = qs.filter(system_only=False)
    return qs


class GrantForm(BootstrapMixin, forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = role_queryset(actor)  # type: ignore[attr-defined]
        self.fields["unit"] = UnitChoiceField(
            user=actor,
            action=Action.ACCOUNTS_GRANT,
            label=_("Unit"),
            help_text=_("Code of the unit; the role covers the unit and all units below it."),
        )
        self.order_fields(["role", "unit", "note"])
        self._style()


class UserDetailsForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class UserCreateForm(UserDetailsForm):
    username = forms.RegexField(
        label=pgettext_lazy("account", "Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and @ . + - _ only."),
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    role = forms.ModelChoiceField(label=_("First role"), queryset=Role.objects.none())

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = role_queryset(actor)  # type: ignore[attr-defined]
        self.fields["unit"] = UnitChoiceField(
            user=actor,
            action=Action.ACCOUNTS_GRANT,
            label=_("Unit of the role"),
            help_text=_("Code of the unit; the role covers the unit and all units below it."),
        )
        self.order_fields(
            [
                "username",
                "full_name",
                "email",
                "job_title",
                "phone",
                "password1",
                "password2",
                "role",
                "unit",
            ]
        )
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return data
