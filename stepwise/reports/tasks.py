from django_tasks import task


@task()
def make_report_export(*, export_id: str) -> None:
    """The background half of a long download: see services.report_export_make."""
    # Imported here: the services module queues this task.
    from stepwise.reports.services import report_export_make

    report_export_make(export_id=export_id)
