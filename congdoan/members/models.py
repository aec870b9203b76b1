"""Members (đoàn viên): the registry.

- `Member` is the member record of domain.md §2. Personal identifiers and sensitive data
  (citizen ID, ethnicity, religion, Party) are shown in full only to roles with
  "members.view_personal", after stating a purpose; every such access is logged
  (`PersonalDataAccess`).
- `Membership` rows are the spells a member spent in each unit ([start, end)); counts "as of D"
  are the spells open on D.
- `MemberEvent` is the dated timeline (admission, transfer, suspension, exit, discipline, Party
  referral and admission), kept forever.
- `TransferRequest` is a transfer between units awaiting the receiving unit's confirmation.
- `Ethnicity` (the 54 official groups with their codes) and `Religion` are catalogues.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, scope_q
from congdoan.core.text import fold, nfc, sort_string
from congdoan.members.search import name_form as form_of_name


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("member status", "Active")
    SUSPENDED = "suspended", _("Suspended")
    EXITED = "exited", _("Left the union")


class ExitReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned from the union")
    RETIRED = "retired", _("Retired")
    LEFT_JOB = "left_job", _("Left the job")
    UNIT_DISSOLVED = "unit_dissolved", _("Unit dissolved")
    NON_PAYMENT = "non_payment", _("Prolonged non-payment of dues")
    EXPELLED = "expelled", _("Expelled")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    ADMIT = "admit", _("Admitted")
    TRANSFER = "transfer", _("Transferred")
    SUSPEND = "suspend", _("Suspended")
    RESUME = "resume", _("Resumed")
    EXIT = "exit", _("Left the union")
    DISCIPLINE = "discipline", _("Disciplined")
    PARTY_REFERRAL = "party_referral", _("Referred to the Party")
    PARTY_ADMISSION = "party_admission", _("Admitted to the Party")
    CARD_ISSUED = "card_issued", _("Membership card issued")


class Discipline(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    EXPULSION = "expulsion", _("Expulsion")


class ProfessionalLevel(models.TextChoices):
    NONE = "", _("None")
    ELEMENTARY = "so_cap", _("Elementary vocational")
    INTERMEDIATE = "trung_cap", _("Intermediate")
    COLLEGE = "cao_dang", _("College")
    UNIVERSITY = "dai_hoc", _("University")
    MASTER = "thac_si", _("Master")
    DOCTOR = "tien_si", _("Doctor")


class PoliticalTheoryLevel(models.TextChoices):
    NONE = "", _("None")
    ELEMENTARY = "so_cap", _("Elementary")
    INTERMEDIATE = "trung_cap", _("Intermediate")
    ADVANCED = "cao_cap", _("Advanced")
    BACHELOR = "cu_nhan", _("Bachelor")


class Ethnicity(models.Model):
    """One of the 54 official ethnic groups, with its official code (01 Kinh … 54 Rơ Măm)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60)
    other_names = models.CharField(_("other spellings"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnicity")
        verbose_name_plural = _("ethnicities")

    def __str__(self) -> str:
        return self.name


class Religion(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("religion")
        verbose_name_plural = _("religions")

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(ScopedQuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)

    def current(self) -> MemberQuerySet:
        """Members still in the union (active or suspended)."""
        return self.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.SUSPENDED])

    def in_vietnamese_order(self) -> MemberQuerySet:
        """Official lists: by given name, then family name, then middle name."""
        return self.order_by("given_sort", "family_sort", "middle_sort", "pk")

    def search(self, text: str) -> MemberQuerySet:
        """Words of a name (any case, with or without diacritics, NFC or NFD), a card number,
        a phone number or a citizen ID."""
        from congdoan.members.search import in_search_order, search_q, sort_found_first

        return sort_found_first(in_search_order(self.filter(search_q(text)), text), text)


class Member(models.Model):
    # Indexes cost every import row, so none duplicates another: the unit is served by
    # (unit, status), substring search by the trigram index (migration 0004).
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("union unit"),
        db_index=False,
    )
    family_name = models.CharField(_("family name"), max_length=60)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    given_name = models.CharField(_("given name"), max_length=60)
    full_name = models.CharField(_("full name"), max_length=200, editable=False)
    # Derived keys: folded text for search and duplicate control, Vietnamese sort keys.
    search_text = models.CharField(max_length=300, editable=False)
    name_fold = models.CharField(max_length=200, editable=False, default="")
    # The name as written, in the form exact matches compare (`search.name_form`).
    name_form = models.CharField(max_length=200, editable=False, default="")
    given_sort = models.CharField(max_length=200, editable=False, default="")
    family_sort = models.CharField(max_length=200, editable=False, default="")
    middle_sort = models.CharField(max_length=200, editable=False, default="")

    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # NULL, not "", when unknown: the unique constraint applies to the numbers that are given.
    citizen_id = models.CharField(  # noqa: DJ001
        _("citizen ID (CCCD) or old ID card (CMND)"), max_length=12, null=True, blank=True
    )
    ethnicity = models.ForeignKey(
        Ethnicity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("ethnicity"),
        db_index=False,
    )
    religion = models.ForeignKey(
        Religion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("religion"),
        db_index=False,
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hometown = models.CharField(_("hometown"), max_length=300, blank=True)
    address = models.CharField(pgettext_lazy("member", "address"), max_length=300, blank=True)
    province_code = models.PositiveIntegerField(_("province"), null=True, blank=True)
    ward_code = models.PositiveIntegerField(_("commune / ward"), null=True, blank=True)
    general_education = models.CharField(_("general education"), max_length=10, blank=True)
    professional_level = models.CharField(
        _("professional qualification"),
        max_length=16,
        choices=ProfessionalLevel.choices,
        blank=True,
    )
    political_theory = models.CharField(
        _("political theory"), max_length=16, choices=PoliticalTheoryLevel.choices, blank=True
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    workplace = models.CharField(_("employer / workplace"), max_length=300, blank=True)
    # Unique through Meta.constraints: unique=True would add a second (LIKE) index on PostgreSQL.
    card_number = models.CharField(  # noqa: DJ001
        _("membership card number"), max_length=32, null=True, blank=True
    )
    card_issued_on = models.DateField(_("card issued on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    admitted_on = models.DateField(_("admitted on"))
    suspended_on = models.DateField(_("suspended since"), null=True, blank=True)
    exited_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=32, choices=ExitReason.choices, blank=True
    )
    party_member = models.BooleanField(_("Party member"), default=False)
    party_joined_on = models.DateField(_("admitted to the Party on"), null=True, blank=True)
    party_referred_on = models.DateField(_("referred to the Party on"), null=True, blank=True)
    salary_base = models.DecimalField(
        _("salary base for dues (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    hardship = models.BooleanField(_("in hardship"), default=False)
    disability = models.BooleanField(_("with a disability"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    import_batch = models.ForeignKey(
        "members.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("record created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("record last changed"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=[
            "search_text",
            "name_fold",
            "name_form",
            "given_sort",
            "family_sort",
            "middle_sort",
        ],
        # The history is read per member (id) and by date; other indexes would slow imports.
        no_db_index=["unit", "ethnicity", "religion", "import_batch", "card_number"],
    )

    objects = MemberQuerySet.as_manager()
    scope_path = "unit__path"

    # Fields that only "members.view_personal" may read in full.
    SENSITIVE_FIELDS = (
        "citizen_id",
        "ethnicity",
        "religion",
        "party_member",
        "party_joined_on",
        "party_referred_on",
    )

    class Meta:
        ordering = ["given_sort", "family_sort", "middle_sort", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["name_fold", "date_of_birth"], name="member_name_dob"),
            models.Index(
                fields=["given_sort", "family_sort", "middle_sort"], name="member_vi_order"
            ),
            models.Index(fields=["phone"], name="member_phone"),
            models.Index(fields=["status", "exited_on"], name="member_status_exit"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["card_number"], name="member_card_number_unique"),
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=Q(citizen_id__isnull=False),
                name="member_citizen_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    WORD_KEYS = ("name_fold", "given_sort", "family_sort", "middle_sort", "name_form")

    def save(self, *args: Any, **kwargs: Any) -> None:
        from congdoan.members import words

        self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.DERIVED_FIELDS}
        super().save(*args, **kwargs)
        keys = tuple(getattr(self, k) for k in self.WORD_KEYS)
        if getattr(self, "_stored_word_keys", None) != keys:
            words.sync([self])
            self._stored_word_keys = keys

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> Member:
        instance = super().from_db(db, field_names, values, **kwargs)
        # The keys as stored, so that `save` rewrites the search words only when they change.
        if all(name in field_names for name in cls.WORD_KEYS):
            instance._stored_word_keys = tuple(getattr(instance, k) for k in cls.WORD_KEYS)
        return instance

    DERIVED_FIELDS = (
        "family_name",
        "middle_name",
        "given_name",
        "full_name",
        "search_text",
        "name_fold",
        "name_form",
        "given_sort",
        "family_sort",
        "middle_sort",
    )

    def refresh_derived(self) -> None:
        """Normalise names to NFC and recompute the search and sort keys (also for bulk writes)."""
        self.family_name = nfc(self.family_name)
        self.middle_name = nfc(self.middle_name)
        self.given_name = nfc(self.given_name)
        self.full_name = " ".join(
            p for p in (self.family_name, self.middle_name, self.given_name) if p
        )
        self.name_fold = fold(self.full_name)
        self.name_form = form_of_name(self.full_name)
        self.search_text = " ".join(
            p for p in (self.name_fold, (self.card_number or "").lower(), self.phone) if p
        )
        self.given_sort = sort_string(self.given_name)
        self.family_sort = sort_string(self.family_name)
        self.middle_sort = sort_string(self.middle_name)

    @property
    def masked_citizen_id(self) -> str:
        from congdoan.members.cccd import mask

        return mask(self.citizen_id)

    @property
    def is_current(self) -> bool:
        return self.status in (MemberStatus.ACTIVE, MemberStatus.SUSPENDED)


class MemberWord(models.Model):
    """One word of a member's folded name with the member's sort keys (maintained by
    `members.words`), so that a name search walks the members holding its rarest word in the
    official order and stops after a page (`search.first_matches`)."""

    pk = models.CompositePrimaryKey("member_id", "word")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    word = models.CharField(max_length=300)
    given_sort = models.CharField(max_length=200)
    family_sort = models.CharField(max_length=200)
    middle_sort = models.CharField(max_length=200)
    # Copied so that the walk tests the other words of a search, and whether the name is
    # written as typed, in the index, not the table.
    name_fold = models.CharField(max_length=200)
    name_form = models.CharField(max_length=200, default="")

    class Meta:
        verbose_name = _("member search word")
        verbose_name_plural = _("member search words")
        indexes = [
            models.Index(
                fields=["word", "given_sort", "family_sort", "middle_sort", "member"],
                include=["name_fold", "name_form"],
                name="memberword_walk",
            )
        ]

    def __str__(self) -> str:
        return f"{self.word} {self.member_id}"


class SearchWord(models.Model):
    """Every word ever found in a member's folded name (never removed): a search for "hoa"
    walks the members of each word containing it (hoa, khoa, hoang …)."""

    word = models.CharField(max_length=300, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word


class Membership(models.Model):
    """A spell of a member in a unit: [start, end)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="spells")
    unit = models.ForeignKey(  # served by the (unit, start, end) index
        "organisation.Unit", on_delete=models.PROTECT, related_name="member_spells", db_index=False
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["member", "start"]
        indexes = [models.Index(fields=["unit", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="spell_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.unit_id} {self.start}–{self.end or ''}"


class MemberEvent(models.Model):
    """One dated event in a member's life in the union; kept forever."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"))
    # from_unit and to_unit are served by memberevent_from and memberevent_to.
    from_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decision_ref = models.CharField(_("decision number"), max_length=120, blank=True)
    reorg_event = models.ForeignKey(
        "organisation.ReorgEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__unit__path"

    class Meta:
        ordering = ["member", "date", "id"]
        indexes = [
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["from_unit", "kind", "date"], name="memberevent_from"),
            models.Index(fields=["to_unit", "kind", "date"], name="memberevent_to"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiving unit")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Refused by the receiving unit")
    CANCELLED = "cancelled", _("Withdrawn")


class TransferRequestQuerySet(ScopedQuerySet["TransferRequest"]):
    def visible_to(
        self, user: Any, action: Action = Action.MEMBERS_VIEW
    ) -> TransferRequestQuerySet:
        """Both the sending and the receiving unit see a transfer."""
        q_from = scope_q(user, action, "from_unit__path")
        q_to = scope_q(user, action, "to_unit__path")
        if q_from is None or q_to is None:
            return self
        return self.filter(q_from | q_to)

    def pending(self) -> TransferRequestQuerySet:
        return self.filter(status=TransferStatus.PENDING)


class TransferRequest(models.Model):
    """A member's transfer (chuyển sinh hoạt) that the receiving unit must confirm."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfer_requests")
    from_unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="transfers_in"
    )
    day = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = TransferRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="pending"),
                name="transfer_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.to_unit}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DISTINCT = "distinct", _("Different people")
    RESOLVED = "resolved", _("Resolved")


class DuplicateFlagQuerySet(ScopedQuerySet["DuplicateFlag"]):
    def visible_to(self, user: Any, action: Action = Action.MEMBERS_VIEW) -> DuplicateFlagQuerySet:
        """A pair is seen from both sides: where either record lies in the user's scope (the
        other record is then named only if the user may see it, `selectors.DuplicateRow`)."""
        q_member = scope_q(user, action, "member__unit__path")
        q_other = scope_q(user, action, "other__unit__path")
        if q_member is None or q_other is None:
            return self
        return self.filter(q_member | q_other)


class DuplicateFlag(models.Model):
    """Two records that are likely the same person (same folded name and date of birth)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="duplicate_flags")
    other = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = DuplicateFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["member", "other"], name="duplicate_pair_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} ~ {self.other}"


class AccessKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    SUBJECT_EXPORT = "subject_export", _("Data-subject export")
    LOOKUP = "lookup", _("Searched by identity number")
    DUPLICATE = "duplicate", _("Identity number already registered")


class PersonalDataAccess(models.Model):
    """One read of full personal data: who, when, which records, why (Law 91/2025/QH15)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="personal_data_reads"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    kind = models.CharField(_("access"), max_length=16, choices=AccessKind.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    members = models.ManyToManyField(Member, related_name="personal_data_reads", blank=True)
    member_count = models.PositiveIntegerField(default=0)
    # Records of other registers holding personal data of people who are not members (a care
    # record's beneficiary): "app_label.model:pk" labels (`personal.record_label`).
    records = models.JSONField(_("other records"), default=list, blank=True)
    where = models.CharField(_("page or export"), max_length=300, blank=True)
    # Look-ups by identity number (kinds "lookup" and "duplicate"; `congdoan.members.lookups`):
    # the number sought, how many look-ups the row counts against the user's limit, and whether
    # it was refused because the limit had been reached.
    sought = models.CharField(_("identity number sought"), max_length=20, blank=True)
    lookups = models.PositiveIntegerField(default=0)
    refused = models.BooleanField(_("refused (limit reached)"), default=False)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"], name="access_user_at")]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.member_count}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Checked, ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An upload of members from an xlsx or csv file: checked, previewed, then committed."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="member_imports"
    )
    filename = models.CharField(_("file"), max_length=255)
    file = models.FileField(upload_to="imports/members/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with the progress while the job runs: a job checking or importing whose last
    # beat is old, and that no worker holds, stopped half-way (jobs.is_stalled).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return self.filename


class CardSequence(models.Model):
    """The last number allocated under one card-number prefix (see members/cards.py)."""

    prefix = models.CharField(max_length=32, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


# ---------------------------------------------------------------------------------------------
# Member count summaries: written by members/summaries.py (called from every service that opens
# or closes spells or records counted events), read by members/counts.py.


class MemberCountDelta(models.Model):
    """What changed in one unit on one day.

    `members` and `women` are the change in the stock (spells opened minus spells closed that
    day); the other columns are the flows of that day. Members of a unit as of D are the sum of
    its deltas up to D, read from the yearly snapshot plus the deltas since (`counts.py`).
    """

    # The unique (unit, day) constraint serves lookups by unit: no separate index.
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    members = models.IntegerField(default=0)
    women = models.IntegerField(default=0)
    admissions = models.IntegerField(default=0)
    exits = models.IntegerField(default=0)
    exits_resigned = models.IntegerField(default=0)
    exits_retired = models.IntegerField(default=0)
    exits_left_job = models.IntegerField(default=0)
    exits_unit_dissolved = models.IntegerField(default=0)
    exits_non_payment = models.IntegerField(default=0)
    exits_expelled = models.IntegerField(default=0)
    exits_deceased = models.IntegerField(default=0)
    exits_other = models.IntegerField(default=0)
    transfers_in = models.IntegerField(default=0)
    transfers_out = models.IntegerField(default=0)
    reorg_in = models.IntegerField(default=0)
    reorg_out = models.IntegerField(default=0)
    party_referrals = models.IntegerField(default=0)
    party_admissions = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("member count change")
        verbose_name_plural = _("member count changes")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="membercountdelta_unit_day")
        ]
        indexes = [
            # As-of counts read the deltas of one year for every unit: an index-only scan.
            models.Index(
                fields=["day", "unit", "members", "women"], name="membercountdelta_day_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.members:+d}"


class MemberCountSnapshot(models.Model):
    """Members and women of a unit at the end of `day`, for every snapshot day up to the horizon
    (`MemberSummaryState`): every 31/12, and every month end since `monthly_from`. A missing row
    means no members."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    members = models.IntegerField(default=0)
    women = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("member count snapshot")
        verbose_name_plural = _("member count snapshots")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="membercountsnapshot_unit_day")
        ]
        indexes = [
            # An as-of count reads the snapshot of one day for every unit: an index-only scan.
            models.Index(
                fields=["day", "unit", "members", "women"], name="membercountsnapshot_day_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.members}"


class MemberSummaryState(models.Model):
    """One row: how far the snapshots go (`snapshot_until`, a month end) and since when they
    are kept for every month end (`monthly_from`); both empty before the first snapshots."""

    snapshot_until = models.DateField(null=True, blank=True)
    monthly_from = models.DateField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member summary state")
        verbose_name_plural = _("member summary states")

    def __str__(self) -> str:
        return f"snapshots up to {self.snapshot_until}"
