"""Emails are rendered in the request (so templates see the right data) and sent by a
background task after the transaction commits (so nobody is emailed about a change that
was rolled back, and a slow mail server never slows a page)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def deliver_email(*, to: list[str], subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@task()
def deliver_emails(*, emails: list[dict]) -> None:
    """Many emails over one connection to the mail server."""
    with get_connection() as connection:
        connection.send_messages(
            [
                EmailMessage(
                    email["subject"], email["body"], settings.DEFAULT_FROM_EMAIL, email["to"]
                )
                for email in emails
            ]
        )


def render_templated_email(*, to: str | list[str], template: str, context: dict) -> dict:
    """`<template>.txt` rendered: its first line is the subject."""
    recipients = [to] if isinstance(to, str) else list(to)
    rendered = render_to_string(
        f"{template}.txt", {"site_url": settings.SITE_URL, **context}
    ).strip()
    subject, _, body = rendered.partition("\n")
    return {"to": recipients, "subject": subject.strip(), "body": body.strip()}


def send_templated_email(*, to: str | list[str], template: str, context: dict) -> None:
    """Render `<template>.txt` (first line is the subject) and queue it after commit."""
    email = render_templated_email(to=to, template=template, context=context)
    transaction.on_commit(lambda: deliver_email.enqueue(**email))


def send_templated_emails(emails: Iterable[dict], batch_size: int = 100) -> None:
    """Many emails (each a dict of `to`, `template`, `context`), rendered now and queued
    after commit in batches: one task per batch rather than thousands of tasks."""
    rendered = [render_templated_email(**email) for email in emails]
    for start in range(0, len(rendered), batch_size):
        batch = rendered[start : start + batch_size]
        transaction.on_commit(lambda batch=batch: deliver_emails.enqueue(emails=batch))
