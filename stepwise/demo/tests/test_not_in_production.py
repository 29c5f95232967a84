"""Production settings do not install the demo app: no demo data, no benchmark generators."""

import json

from stepwise.core.tests.production import run_python

# Run with production settings: the apps, the management commands, and whether loading every
# URL and every app's registrations imported anything from stepwise.demo.
PROBE = """
import json
import sys
import django
django.setup()
from django.apps import apps
from django.core.management import get_commands
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps({
    "apps": [config.name for config in apps.get_app_configs()],
    "commands": sorted(get_commands()),
    "demo_modules": sorted(name for name in sys.modules if name.startswith("stepwise.demo")),
}))
"""


def test_production_settings_do_not_install_the_demo_app(tmp_path):
    result = run_python(tmp_path, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert "stepwise.demo" not in probe["apps"]
    assert "stepwise.progress" in probe["apps"]
    assert "seed_demo" not in probe["commands"] and "seed_bench" not in probe["commands"]
    assert "migrate" in probe["commands"]
    assert probe["demo_modules"] == []


def test_the_other_settings_still_install_it(settings):
    assert "stepwise.demo" in settings.INSTALLED_APPS
