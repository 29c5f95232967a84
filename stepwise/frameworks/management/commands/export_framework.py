from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stepwise.frameworks.exchange.files import Format, export_version
from stepwise.frameworks.models import Framework
from stepwise.frameworks.queries import latest_published_version, version_by_label


class Command(BaseCommand):
    help = "Export a framework version as CASE 1.1 JSON, XLSX or CSV."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names the framework version, so it replaces Django's own --version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The framework's short address, e.g. step-1.")
        parser.add_argument(
            "--version",
            dest="label",
            default="",
            help="The version label, e.g. 1.0 (default: the latest published version).",
        )
        parser.add_argument("--format", dest="fmt", choices=Format.values, required=True)
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, slug, label, fmt, output, **options):
        framework = Framework.objects.filter(slug=slug).first()
        if framework is None:
            raise CommandError(f"There is no framework called {slug}.")
        if label:
            version = version_by_label(framework, label)
            if version is None:
                raise CommandError(f"{framework} has no version {label}.")
        else:
            version = latest_published_version(framework)
            if version is None:
                raise CommandError(
                    f"{framework} has no published version: name one with --version."
                )
        try:
            Path(output).write_bytes(export_version(version, fmt))
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {version} to {output}."))
