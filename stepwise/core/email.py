"""Emails are rendered in the request (so templates see the right data) and sent by a
background task after the transaction commits (so nobody is emailed about a change that
was rolled back, and a slow mail server never slows a page)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def deliver_email(*, to: list[str], subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def send_templated_email(*, to: str | list[str], template: str, context: dict) -> None:
    """Render `<template>.txt` (first line is the subject) and queue it after commit."""
    recipients = [to] if isinstance(to, str) else list(to)
    rendered = render_to_string(
        f"{template}.txt", {"site_url": settings.SITE_URL, **context}
    ).strip()
    subject, _, body = rendered.partition("\n")
    transaction.on_commit(
        lambda: deliver_email.enqueue(to=recipients, subject=subject.strip(), body=body.strip())
    )
