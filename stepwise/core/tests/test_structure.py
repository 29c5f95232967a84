"""How the tests are put together: what test modules share lives in support modules (an app's
tests/factories.py, core/tests/concurrency.py, ...), never in another test module, and tests
reach the code through its public names. Importing a test module runs its module-level code
again under another name and ties tests to each other's internals; a private name may change
without notice."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def files_of_the_tests() -> list[Path]:
    files = [path for path in (ROOT / "stepwise").rglob("*.py") if "tests" in path.parts]
    files += (ROOT / "tests").rglob("*.py")
    return sorted(files)


def _is_test_module(module: str) -> bool:
    return module.rsplit(".", 1)[-1].startswith("test_")


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def broken_rules(source: str) -> list[str]:
    """Each import in `source` that reaches into a test module or takes a private name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_test_module(alias.name):
                    found.append(f"line {node.lineno}: imports the test module {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            ours = node.level > 0 or module.split(".")[0] in {"stepwise", "tests", "config"}
            names = [alias.name for alias in node.names]
            if node.module and _is_test_module(node.module):
                found.append(f"line {node.lineno}: imports from the test module {module}")
            for name in names:
                if node.module is None and _is_test_module(name):
                    found.append(f"line {node.lineno}: imports the test module {module}{name}")
                elif (ours or node.module is None) and _is_private(name):
                    found.append(f"line {node.lineno}: imports the private {name} from {module}")
    return found


def test_no_test_imports_another_test_module_or_a_private_name():
    problems = [
        f"{path.relative_to(ROOT)}, {problem}"
        for path in files_of_the_tests()
        for problem in broken_rules(path.read_text())
    ]
    assert problems == [], (
        "Move what is shared into the app's tests/factories.py or another support module, and "
        "test through public names:\n" + "\n".join(problems)
    )


def test_the_rule_catches_each_way_of_breaking_it():
    assert broken_rules("from stepwise.progress.tests.test_races import at_once")
    assert broken_rules("from .test_services import records")
    assert broken_rules("from test_races import at_once")
    assert broken_rules("from . import test_services")
    assert broken_rules("import stepwise.core.tests.test_security")
    assert broken_rules("from stepwise.accounts.services import PersonDetails, _account_create")
    assert broken_rules("from .factories import _another_enrolment")
    # Support modules, public names, dunders and other libraries' names are fine.
    assert not broken_rules("from stepwise.core.tests.concurrency import at_once")
    assert not broken_rules("from .factories import records\nfrom .conftest import build_version")
    assert not broken_rules("from stepwise import __version__")
    assert not broken_rules("from django.utils.timezone import _get_timezone_name")
    assert not broken_rules("import stepwise.core.tests.pages")
