"""factory_boy factories for tests: fictitious organisations and users."""

from __future__ import annotations

import factory

from vigie.core.choices import AccessType, Clearance, OrganisationKind, RecordView, Role, Sector
from vigie.core.models import Organisation, User

TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        # Reference organisations exist after migrate: naming one's code fetches it.
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-org-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Service {o.code}")
    name_nl = factory.LazyAttribute(lambda o: f"Dienst {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Service {o.code}")
    kind = OrganisationKind.PARTNER_SERVICE
    sector = Sector.OTHER
    access_type = AccessType.CONSULT
    record_view = RecordView.CARD
    categories: list[str] = []


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTNER_OFFICER
    clearance = Clearance.NONE
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def sign_in(client, user):  # type: ignore[no-untyped-def]
    """Sign `user` in on a test client with both factors passed (the UI demands both)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
