import factory

from companies.models import Company, Country, Official, VehicleModel


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Страна {n}")
    slug = factory.Sequence(lambda n: f"country-{n}")
    aliases = factory.LazyFunction(list)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Компания {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    kind = Company.Kind.OTHER
    aliases = factory.LazyFunction(list)


class VehicleModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VehicleModel

    brand = factory.SubFactory(CompanyFactory, kind=Company.Kind.BRAND)
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.brand.name} M{n}")
    slug = factory.Sequence(lambda n: f"model-{n}")
    aliases = factory.LazyFunction(list)


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"Имя Фамилия{n}")
    slug = factory.Sequence(lambda n: f"official-{n}")
    aliases = factory.LazyFunction(list)
