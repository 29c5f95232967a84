from django_tasks import task


@task()
def register_uploaded_people(*, upload_id: str) -> None:
    """The background half of a people upload: see services.people_upload_run."""
    # Imported here: the services module queues this task.
    from stepwise.organisations.upload.services import people_upload_run

    people_upload_run(upload_id=upload_id)
