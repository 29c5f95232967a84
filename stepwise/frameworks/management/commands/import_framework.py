from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stepwise.core.errors import ConflictError
from stepwise.frameworks.exchange.files import read_file
from stepwise.frameworks.exchange.problems import ImportInvalid
from stepwise.frameworks.models import Framework
from stepwise.frameworks.services import framework_create, version_import


class Command(BaseCommand):
    help = (
        "Import a CASE 1.1 JSON, XLSX or CSV file as a new draft version of a framework, "
        "creating the framework if it does not exist yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--framework", dest="slug", required=True, help="e.g. step-1")
        parser.add_argument("--title", default="", help="The title of a new framework.")
        parser.add_argument(
            "--by",
            default="",
            help="Email address of the person recorded as importing it "
            "(default: the first platform administrator).",
        )

    def handle(self, *args, file, slug, title, by, **options):
        person = self._person(by)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            content = read_file(data, path.name)
            with transaction.atomic():
                framework = Framework.objects.filter(slug=slug).first()
                if framework is None:
                    framework = framework_create(
                        slug=slug,
                        title=title or content.title or slug.replace("-", " ").capitalize(),
                        description=content.description,
                        by=person,
                    )
                version = version_import(
                    framework=framework, content=content, by=person, source=path.name
                )
        except ImportInvalid as invalid:
            lines = "\n".join(f"  {problem}" for problem in invalid.problems)
            raise CommandError(f"{path.name} was not imported:\n{lines}") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except ConflictError as error:
            raise CommandError(str(error)) from None
        count = version.proficiencies.count()
        self.stdout.write(self.style.SUCCESS(f"Imported {count} proficiencies as draft {version}."))

    def _person(self, email):
        people = get_user_model().objects
        person = (
            people.filter(email=email.strip().lower()).first()
            if email
            else people.filter(is_superuser=True).order_by("pk").first()
        )
        if person is None:
            raise CommandError(
                f"Nobody has the email address {email}."
                if email
                else "Create a platform administrator first, or name someone with --by."
            )
        return person
