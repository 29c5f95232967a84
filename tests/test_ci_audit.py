"""The dependency audit in CI (.ci/audit) fails on a vulnerability with a fix, not on one
without, and says NOT CHECKED, failing only when told to, when a service cannot answer."""

import importlib.machinery
import importlib.util
import json
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parent.parent / ".ci" / "audit"


@pytest.fixture(scope="module")
def audit():
    loader = importlib.machinery.SourceFileLoader("ci_audit", str(PATH))
    spec = importlib.util.spec_from_loader("ci_audit", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def pip_audit_json(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_python_vulnerability_with_a_fix_fails(audit, capsys):
    found = audit.read_pip_audit(
        pip_audit_json(
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [
                    {"id": "PYSEC-1", "fix_versions": ["5.2.1"]},
                    {"id": "PYSEC-2", "fix_versions": []},
                ],
            },
            {"name": "jinja2", "version": "3.1.6", "vulns": []},
        ),
        "",
    )
    assert found.fixable == ["django 5.2.0: PYSEC-1, fixed in 5.2.1"]
    assert found.unfixable == ["django 5.2.0: PYSEC-2, no fixed version yet"]
    assert audit.report("Python", found, required=False) is True
    assert "VULNERABLE, upgrade: django 5.2.0: PYSEC-1" in capsys.readouterr().out


def test_a_vulnerability_without_a_fix_is_printed_and_passes(audit, capsys):
    found = audit.read_pip_audit(
        pip_audit_json({"name": "x", "version": "1", "vulns": [{"id": "A", "fix_versions": []}]}),
        "",
    )
    assert audit.report("Python", found, required=False) is False
    assert "no fix yet (not failing): x 1: A" in capsys.readouterr().out


def test_packages_the_service_does_not_know_are_not_checked(audit, capsys):
    skipped = {"name": "x", "skip_reason": "Dependency not found on PyPI: x (1)"}
    found = audit.read_pip_audit(pip_audit_json(skipped), "")
    assert found.not_checked == ["Dependency not found on PyPI: x (1)"]
    assert audit.report("Python", found, required=False) is False
    assert "NOT CHECKED" in capsys.readouterr().out
    assert audit.report("Python", found, required=True) is True


def test_no_answer_at_all_is_not_checked(audit):
    found = audit.read_pip_audit("", "requests.exceptions.ConnectionError: no route to host")
    assert found.not_checked == [
        "the vulnerability service did not answer: "
        "requests.exceptions.ConnectionError: no route to host"
    ]
    refused = audit.read_npm_audit(json.dumps({"message": "405 Method Not Allowed", "error": {}}))
    assert refused.not_checked == ["the npm audit service did not answer: 405 Method Not Allowed"]


def test_npm_vulnerabilities_fail_only_with_a_fix(audit):
    found = audit.read_npm_audit(
        json.dumps(
            {
                "vulnerabilities": {
                    "a": {"severity": "high", "range": "<2", "fixAvailable": True},
                    "b": {"severity": "low", "range": "*", "fixAvailable": False},
                }
            }
        )
    )
    assert found.fixable == ["a (high, versions <2)"]
    assert found.unfixable == ["b (low, versions *)"]
