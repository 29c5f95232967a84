"""The public standards, kept offline in the project (certificates/standards): reading them,
checking a document against one of their JSON schemas, and a JSON-LD loader that serves their
contexts so the tests never touch the network."""

import json
from pathlib import Path

import jsonschema
from django.conf import settings


def standards() -> Path:
    return Path(settings.BASE_DIR) / "stepwise" / "certificates" / "standards"


def standard(name: str) -> dict:
    return json.loads((standards() / name).read_text(encoding="utf-8"))


def schema_errors(document: dict, schema_file: str) -> list[str]:
    """Every way `document` breaks the schema, as "path: message"; empty when it is valid."""
    schema = standard(schema_file)
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


OFFLINE_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "vc-credentials-v2.context.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob3-context-3.0.3.json",
}


def offline_loader(url, options=None):
    """A JSON-LD document loader that serves the two contexts from certificates/standards and
    refuses every other address: the tests never touch the network."""
    if url not in OFFLINE_CONTEXTS:
        raise ValueError(f"The tests load no documents from {url}")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": standard(OFFLINE_CONTEXTS[url]),
    }
