from django.urls import path

from congdoan.accounts import views

app_name = "accounts"

urlpatterns = [
    # Signing in and out, second factor.
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/devices/<int:pk>/remove/", views.otp_device_remove, name="otp_device_remove"),
    # My account and API tokens.
    path("me/", views.profile, name="profile"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/new/", views.token_create, name="token_create"),
    path("me/tokens/<str:pk>/revoke/", views.token_revoke, name="token_revoke"),
    # Accounts and role grants.
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:user>/grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
]
