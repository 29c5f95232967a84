from django.apps import AppConfig

from stepwise.core.navigation import Page, register

PAGES = [
    Page(
        "Shift rotas",
        "rotas:index",
        visible_to=lambda request: request.user.is_authenticated,
        # Between "To review" (20) and "Enrol learners" (30).
        order=25,
        description="Who is on which shift this week.",
    ),
    Page(
        "Rota archive",
        "rotas:archive",
        visible_to=lambda request: request.user.is_staff,
        order=26,
        description="Past rotas, for platform administrators.",
    ),
]


class RotasConfig(AppConfig):
    name = "stepwise.core.tests.rotas"
    label = "rotas"

    def ready(self):
        for page in PAGES:
            register(page)
