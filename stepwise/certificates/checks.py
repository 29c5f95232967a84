"""Start-up check: configured signing keys that cannot be used fail `manage.py check` (and so
runserver and deployment) with the reason, rather than the first credential download."""

from django.conf import settings
from django.core.checks import Error, register

from stepwise.certificates import keys


@register()
def signing_keys_configured(app_configs, **kwargs):
    if not (settings.STEPWISE_SIGNING_KEYS or settings.STEPWISE_SIGNING_KEYS_FILE):
        return []  # development: a key is generated on first use
    try:
        keys.signing_keys()
    except keys.SigningKeyError as error:
        return [
            Error(
                str(error),
                hint='Each key is {"kid": ..., "private_key": <RSA PEM of 2048 bits or more>}.',
                id="certificates.E001",
            )
        ]
    return []
