from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "stepwise.training"
    label = "training"
    verbose_name = "Training"

    def ready(self):
        # Here, not at import: what they register reads models, loaded only now.
        from stepwise.certificates import kinds
        from stepwise.notifications import daily
        from stepwise.progress import guards
        from stepwise.training.guard import training_guard
        from stepwise.training.kind import TrainingCompletion
        from stepwise.training.navigation import register_navigation
        from stepwise.training.services.reminders import expiry_reminders_send

        kinds.register(TrainingCompletion())
        guards.register("training", training_guard)
        daily.register("training_expiry", expiry_reminders_send)
        register_navigation()
