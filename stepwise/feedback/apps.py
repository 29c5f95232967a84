from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "stepwise.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self):
        from stepwise.feedback import receivers
        from stepwise.feedback.navigation import register_navigation

        receivers.connect()
        register_navigation()
