from django.urls import path

from congdoan.accounts import views

app_name = "accounts"

urlpatterns = [
    # Signing in and out, second factor.
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path(
        "otp/devices/<int:pk>/remove/",
        views.OTPDeviceRemoveView.as_view(),
        name="otp_device_remove",
    ),
    # My account and API tokens.
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/tokens/", views.TokenListView.as_view(), name="token_list"),
    path("me/tokens/new/", views.TokenCreateView.as_view(), name="token_create"),
    path("me/tokens/<str:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    # Accounts and role grants.
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/active/", views.UserSetActiveView.as_view(), name="user_set_active"),
    path("users/<int:user>/grants/new/", views.GrantCreateView.as_view(), name="grant_create"),
    path("grants/<int:pk>/revoke/", views.GrantRevokeView.as_view(), name="grant_revoke"),
]
