"""The public CASE 1.1 endpoint: published frameworks are national, so anyone may read them."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from stepwise.frameworks.exchange.case import export_case
from stepwise.frameworks.queries import public_version


@require_safe
def case_package(request, document_uuid):
    """CASE 1.1 CFPackage of a published or retired version. Public: the frameworks are national."""
    version = public_version(document_uuid)
    if version is None:
        # CASE's own error shape, so CASE clients can read it.
        return JsonResponse(
            {
                "imsx_codeMajor": "failure",
                "imsx_severity": "error",
                "imsx_description": "Unknown Object",
                "imsx_CodeMinor": {
                    "imsx_codeMinorField": [
                        {
                            "imsx_codeMinorFieldName": "sourcedId",
                            "imsx_codeMinorFieldValue": "unknownobject",
                        }
                    ]
                },
            },
            status=404,
        )
    return JsonResponse(export_case(version), json_dumps_params={"ensure_ascii": False})
