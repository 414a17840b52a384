"""People and organisations: staff, client users, clients with contracts, outlets, contacts."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from servicedesk.accounts.roles import Capability, Role, capabilities_of
from servicedesk.core.identifiers import mask_tail

CARD_RANGE_WIDTH = 20


class SupportLine(models.TextChoices):
    """A line of support (SPEC §4)."""

    L1 = "L1", "1-я линия"
    L2 = "L2", "2-я линия"
    L3 = "L3", "3-я линия"


class Client(models.Model):
    """A retail chain under contract with Plas-Tek; tenants never see each other's data."""

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("название", max_length=200)
    legal_name = models.CharField("юридическое лицо", max_length=300, blank=True)
    is_active = models.BooleanField("активен", default=True)
    notes = models.TextField("заметки", blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "клиент"
        verbose_name_plural = "клиенты"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """What a client bought: lines, consultation cap, L3 rate and the SLA calendar."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="contract", verbose_name="клиент"
    )
    number = models.CharField("номер договора", max_length=60, blank=True)
    has_l1 = models.BooleanField("1-я линия (24/7)", default=False)
    has_l2 = models.BooleanField("2-я линия", default=True)
    has_l3 = models.BooleanField("3-я линия", default=False)
    consultation_hours_cap = models.DecimalField(
        "лимит часов консультаций в месяц",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Пусто — без лимита.",
    )
    l3_hourly_rate = models.DecimalField(
        "ставка 3-й линии, ₽/ч", max_digits=10, decimal_places=2, default=Decimal("0")
    )
    calendar = models.ForeignKey(
        "calendars.Calendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="календарь SLA",
        help_text="Пусто — календарь по умолчанию «5/2 МСК».",
    )
    valid_from = models.DateField("действует с", null=True, blank=True)
    valid_to = models.DateField("действует по", null=True, blank=True)

    class Meta:
        verbose_name = "договор"
        verbose_name_plural = "договоры"

    def __str__(self) -> str:
        return f"{self.client} — {self.number or 'договор'}"

    def covers(self, line: str) -> bool:
        """Return whether the client bought `line`."""
        return {
            SupportLine.L1: self.has_l1,
            SupportLine.L2: self.has_l2,
            SupportLine.L3: self.has_l3,
        }.get(SupportLine(line), False)


class Emission(models.Model):
    """A range of loyalty card numbers issued for one client: a card tells its client."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="emissions", verbose_name="клиент"
    )
    name = models.CharField("название", max_length=200)
    range_start = models.CharField("первый номер", max_length=CARD_RANGE_WIDTH)
    range_end = models.CharField("последний номер", max_length=CARD_RANGE_WIDTH)

    class Meta:
        verbose_name = "эмиссия"
        verbose_name_plural = "эмиссии"
        indexes = [models.Index(fields=["range_start", "range_end"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.range_start}–{self.range_end})"

    def save(self, *args: object, **kwargs: object) -> None:
        # Zero-padded so that string order is numeric order for range lookups.
        self.range_start = self.range_start.zfill(CARD_RANGE_WIDTH)
        self.range_end = self.range_end.zfill(CARD_RANGE_WIDTH)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class User(AbstractUser):
    """A person who logs in: support staff (with roles) or a client user (bound to a client)."""

    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="клиент",
        help_text="Заполняется только для пользователей клиента: они видят лишь его обращения.",
    )
    phone = models.CharField("телефон", max_length=32, blank=True)
    extension = models.CharField(
        "внутренний номер", max_length=16, blank=True, help_text="Для всплывающей карточки звонка."
    )

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    def __str__(self) -> str:
        return self.display_name(self.first_name, self.last_name, self.username)

    @staticmethod
    def display_name(first_name: str, last_name: str, username: str) -> str:
        """How a person is named everywhere; also for rows read without a model instance."""
        return f"{first_name} {last_name}".strip() or username

    @property
    def is_client_user(self) -> bool:
        return self.client_id is not None

    @cached_property
    def roles(self) -> frozenset[Role]:
        """Return the staff roles this person holds (none for client users)."""
        if self.client_id is not None:
            return frozenset()
        names = {group.name for group in self.groups.all()}
        return frozenset(role for role in Role if role.value in names)

    @property
    def is_support_staff(self) -> bool:
        return self.is_active and self.client_id is None and (bool(self.roles) or self.is_superuser)

    def can(self, capability: Capability) -> bool:
        """Return whether this user's roles allow `capability`."""
        if self.is_superuser and self.client_id is None:
            return True
        return capability in capabilities_of(self.roles)


class Outlet(models.Model):
    """A client's store with tills (торговая точка)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="outlets", verbose_name="клиент"
    )
    code = models.CharField("код", max_length=40)
    name = models.CharField("название", max_length=200)
    address = models.CharField("адрес", max_length=400, blank=True)
    is_active = models.BooleanField("работает", default=True)

    class Meta:
        verbose_name = "торговая точка"
        verbose_name_plural = "торговые точки"
        ordering = ["client", "code"]
        constraints = [
            models.UniqueConstraint(fields=["client", "code"], name="outlet_code_unique_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OutletPhone(models.Model):
    """A normalised phone number of an outlet, unique so a caller id finds one outlet."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField("телефон", max_length=32, unique=True)

    class Meta:
        verbose_name = "телефон точки"
        verbose_name_plural = "телефоны точек"

    def __str__(self) -> str:
        return self.number


class ContactKind(models.TextChoices):
    GUEST = "guest", "Гость"
    OUTLET_STAFF = "outlet_staff", "Сотрудник точки"
    CLIENT_STAFF = "client_staff", "Сотрудник клиента"


class Contact(models.Model):
    """Someone who asks for help without logging in: a guest, outlet staff or client staff."""

    kind = models.CharField("тип", max_length=20, choices=ContactKind.choices)
    full_name = models.CharField("имя", max_length=200, blank=True)
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name="клиент",
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name="торговая точка",
    )
    notes = models.TextField("заметки", blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    anonymised_at = models.DateTimeField("обезличен", null=True, blank=True)

    class Meta:
        verbose_name = "контакт"
        verbose_name_plural = "контакты"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.display_name(self.full_name, self.kind, self.pk)

    @staticmethod
    def display_name(full_name: str, kind: str, pk: int | None) -> str:
        """How a contact is named everywhere; also for rows read without a model instance."""
        return full_name or f"{dict(ContactKind.choices).get(kind, kind)} #{pk}"


class ContactPhone(models.Model):
    """A contact's phone in E.164 form; unique, so a caller id finds exactly one contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField("телефон", max_length=32, unique=True)

    class Meta:
        verbose_name = "телефон контакта"
        verbose_name_plural = "телефоны контактов"

    def __str__(self) -> str:
        return mask_tail(self.number)


class ContactCard(models.Model):
    """A loyalty card held by a guest, digits only, unique."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="cards")
    number = models.CharField("номер карты", max_length=CARD_RANGE_WIDTH, unique=True)

    class Meta:
        verbose_name = "карта"
        verbose_name_plural = "карты"

    def __str__(self) -> str:
        return mask_tail(self.number)


class ContactEmail(models.Model):
    """A contact's e-mail address, lower-cased, unique so a sender maps to one contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField("e-mail", unique=True)

    class Meta:
        verbose_name = "e-mail контакта"
        verbose_name_plural = "e-mail контактов"

    def __str__(self) -> str:
        return self.address


class ApiToken(models.Model):
    """A named API token of one user; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("название", max_length=100)
    prefix = models.CharField("начало ключа", max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    expires_at = models.DateTimeField("истекает", null=True, blank=True)
    last_used_at = models.DateTimeField("использован", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)

    class Meta:
        verbose_name = "API-токен"
        verbose_name_plural = "API-токены"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
