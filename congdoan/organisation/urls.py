"""Pages of the organisation app: home, tree, units, emulation clusters, terms and committees.

Tree-changing operations live in the reorganisation app; the API in `organisation/api/`.
"""

from django.urls import path

from congdoan.organisation.views import clusters, home, terms, tree, units

app_name = "organisation"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    # Tree browser (current or as of a date) and its htmx fragments.
    path("tree/", tree.TreeView.as_view(), name="tree"),
    path("tree/search/", tree.TreeSearchView.as_view(), name="tree_search"),
    path("tree/<int:pk>/children/", tree.TreeChildrenView.as_view(), name="tree_children"),
    # Units.
    path("units/picker/", tree.UnitPickerView.as_view(), name="unit_picker"),
    path("units/field/", tree.UnitFieldView.as_view(), name="unit_field"),
    path("units/<int:pk>/", units.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/audit/", units.UnitAuditView.as_view(), name="unit_audit"),
    path("units/<int:pk>/terms/new/", terms.TermCreateView.as_view(), name="term_create"),
    # Emulation clusters and blocks.
    path("clusters/", clusters.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/new/", clusters.ClusterCreateView.as_view(), name="cluster_create"),
    path("clusters/<int:pk>/", clusters.ClusterDetailView.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/edit/", clusters.ClusterEditView.as_view(), name="cluster_edit"),
    path(
        "clusters/<int:pk>/members/add/",
        clusters.ClusterMemberAddView.as_view(),
        name="cluster_member_add",
    ),
    path(
        "clusters/<int:pk>/copy-year/",
        clusters.ClusterCopyYearView.as_view(),
        name="cluster_copy_year",
    ),
    path(
        "clusters/members/<int:pk>/remove/",
        clusters.ClusterMemberRemoveView.as_view(),
        name="cluster_member_remove",
    ),
    path(
        "clusters/members/<int:pk>/head/",
        clusters.ClusterSetHeadView.as_view(),
        name="cluster_set_head",
    ),
    # Terms and committees.
    path("terms/<int:pk>/", terms.TermDetailView.as_view(), name="term_detail"),
    path("terms/<int:pk>/seats/add/", terms.SeatAddView.as_view(), name="seat_add"),
    path("seats/<int:pk>/end/", terms.SeatEndView.as_view(), name="seat_end"),
]
