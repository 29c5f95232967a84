from django_tasks import task


@task()
def make_subject_access_export(*, export_id: str) -> None:
    """The background half of a subject access export: see services.subject_access_make."""
    # Imported here: the services module queues this task.
    from stepwise.privacy.services import subject_access_make

    subject_access_make(export_id=export_id)
