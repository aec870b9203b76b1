"""Member pages (prefix /members/). Each area of views/ lists its own patterns."""

from congdoan.members.views import (
    access_log,
    admission,
    duplicates,
    exports,
    imports,
    lifecycle,
    members,
    stats,
    transfers,
)

app_name = "members"

urlpatterns = [
    *members.urlpatterns,
    *admission.urlpatterns,
    *lifecycle.urlpatterns,
    *transfers.urlpatterns,
    *duplicates.urlpatterns,
    *access_log.urlpatterns,
    *imports.urlpatterns,
    *exports.urlpatterns,
    *stats.urlpatterns,
]
