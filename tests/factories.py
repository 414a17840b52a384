"""factory_boy factories for the objects tests need; each test builds only what it uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from servicedesk.accounts.models import (
    Client,
    Contact,
    ContactCard,
    ContactKind,
    ContactPhone,
    Contract,
    Outlet,
    User,
)
from servicedesk.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple-42"


class ClientFactory(DjangoModelFactory[Client]):
    class Meta:
        model = Client
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"client{n}")
    name = factory.Sequence(lambda n: f"Сеть №{n}")


class ContractFactory(DjangoModelFactory[Contract]):
    class Meta:
        model = Contract

    client = factory.SubFactory(ClientFactory)
    number = factory.Sequence(lambda n: f"ПТ-{n}")
    has_l1 = False
    has_l2 = True
    has_l3 = True
    consultation_hours_cap = Decimal("10")
    l3_hourly_rate = Decimal("3000")


def client_with_contract(**contract: Any) -> Client:
    """Return a client with a contract (L2 + L3 unless told otherwise)."""
    client = ClientFactory.create()
    ContractFactory.create(client=client, **contract)
    return Client.objects.select_related("contract").get(pk=client.pk)


class OutletFactory(DjangoModelFactory[Outlet]):
    class Meta:
        model = Outlet

    client = factory.SubFactory(ClientFactory)
    code = factory.Sequence(lambda n: f"TT-{n:03d}")
    name = factory.Sequence(lambda n: f"Магазин {n}")


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    kind = ContactKind.GUEST
    full_name = factory.Sequence(lambda n: f"Гость {n}")


def guest(client: Client | None, phone: str | None = None, card: str | None = None) -> Contact:
    contact = ContactFactory.create(client=client)
    if phone:
        ContactPhone.objects.create(contact=contact, number=phone)
    if card:
        ContactCard.objects.create(contact=contact, number=card)
    return contact


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Имя"
    last_name = factory.Sequence(lambda n: f"Фамилия{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: Any) -> None:
        if create and extracted:
            groups = [Group.objects.get_or_create(name=role.value)[0] for role in extracted]
            self.groups.set(groups)
        if create:
            self.save()


def staff(*roles: Role, username: str | None = None) -> User:
    """Return a staff member holding `roles` (sql_engineer by default)."""
    kwargs: dict[str, Any] = {"roles": list(roles) or [Role.SQL_ENGINEER], "is_staff": True}
    if username:
        kwargs["username"] = username
    return User.objects.get(pk=UserFactory.create(**kwargs).pk)


def client_user(client: Client, username: str | None = None) -> User:
    kwargs: dict[str, Any] = {"client": client}
    if username:
        kwargs["username"] = username
    return User.objects.get(pk=UserFactory.create(**kwargs).pk)
