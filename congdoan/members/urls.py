"""Member pages (prefix /members/). Each area of views/ lists its own patterns."""

from congdoan.members.views import imports, registry, stats

app_name = "members"

urlpatterns = [*registry.urlpatterns, *imports.urlpatterns, *stats.urlpatterns]
