from django_tasks import task


@task()
def make_certificate_pdf(*, certificate_id: int) -> None:
    from stepwise.certificates.pdf import render_certificate
    from stepwise.certificates.services import certificate_store_pdf

    certificate_store_pdf(certificate_id=certificate_id, content=render_certificate(certificate_id))
