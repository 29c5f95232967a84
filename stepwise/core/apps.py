from django.apps import AppConfig

from stepwise.core import lookups  # noqa: F401 (registers the integer `__in` lookup)


class CoreConfig(AppConfig):
    name = "stepwise.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Here, not at import: the receivers look up accounts, which are loaded only now.
        from stepwise.core import security_events, session_lifetime

        security_events.connect()
        session_lifetime.connect()
