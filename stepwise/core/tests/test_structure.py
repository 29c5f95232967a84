"""How the code is put together: what test modules share lives in support modules (an app's
tests/factories.py, core/tests/concurrency.py, ...), never in another test module, and tests
reach the code through its public names. Importing a test module runs its module-level code
again under another name and ties tests to each other's internals; a private name may change
without notice. The app code keeps the same rule: what another module needs is made public
where it lives, never taken by its private name."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def files_of_the_tests() -> list[Path]:
    files = [path for path in (ROOT / "stepwise").rglob("*.py") if "tests" in path.parts]
    files += (ROOT / "tests").rglob("*.py")
    return sorted(files)


def files_of_the_app() -> list[Path]:
    files = [path for path in (ROOT / "stepwise").rglob("*.py") if "tests" not in path.parts]
    files += (ROOT / "config").rglob("*.py")
    files += (ROOT / "bench").rglob("*.py")
    return sorted(files)


def _is_test_module(module: str) -> bool:
    return module.rsplit(".", 1)[-1].startswith("test_")


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


OURS = {"stepwise", "tests", "config", "bench"}
# Django's documented model API, private in name only.
PUBLIC_THOUGH_UNDERSCORED = {"_meta"}


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
            ours = node.level > 0 or module.split(".")[0] in OURS
            names = [alias.name for alias in node.names]
            if node.module and _is_test_module(node.module):
                found.append(f"line {node.lineno}: imports from the test module {module}")
            for name in names:
                if node.module is None and _is_test_module(name):
                    found.append(f"line {node.lineno}: imports the test module {module}{name}")
                elif (ours or node.module is None) and _is_private(name):
                    found.append(f"line {node.lineno}: imports the private {name} from {module}")
    return found


def private_names_reached(source: str) -> list[str]:
    """Each `name._private` where `name` was imported from our code: `from x import services`
    then `services._helper()` takes a private name as surely as importing it does."""
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {
                alias.asname or alias.name.split(".")[0]
                for alias in node.names
                if alias.name.split(".")[0] in OURS
            }
        elif isinstance(node, ast.ImportFrom) and (
            node.level > 0 or (node.module or "").split(".")[0] in OURS
        ):
            imported |= {alias.asname or alias.name for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _is_private(node.attr)
            and node.attr not in PUBLIC_THOUGH_UNDERSCORED
        ):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in imported:
                found.append(f"line {node.lineno}: reaches the private {ast.unparse(node)}")
    return found


def test_no_app_module_takes_another_modules_private_name():
    problems = [
        f"{path.relative_to(ROOT)}, {problem}"
        for path in files_of_the_app()
        for problem in broken_rules(path.read_text()) + private_names_reached(path.read_text())
    ]
    assert problems == [], (
        "Make the name public in the module it belongs to (a docstring saying what it "
        "promises), or move the code there:\n" + "\n".join(problems)
    )


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


def test_the_app_rule_catches_a_private_name_reached_through_its_module():
    assert private_names_reached(
        "from stepwise.organisations import services\nservices._transition(membership=m)"
    )
    assert private_names_reached("import stepwise.progress\nstepwise.progress.forms._field()")
    assert private_names_reached("from . import enrolment\nenrolment._check_staff()")
    # One's own private names, Django's _meta, and other libraries' names are fine.
    assert not private_names_reached("def _check(): pass\n_check()\nself._cache = 1")
    assert not private_names_reached(
        "from stepwise.certificates.models import Certificate\nCertificate._meta.get_field('x')"
    )
    assert not private_names_reached("import secrets\nsecrets._sysrand")
