"""The learner finds their digital credential beside their certificate's PDF."""

from django.urls import reverse
from markupsafe import escape  # what Jinja2 uses, so apostrophes match


def test_the_overview_offers_the_pdf_and_the_digital_credential(client_for, learner, signed_off):
    enrolment = signed_off.enrolment
    html = client_for(learner).get(reverse("progress:enrolment", args=[enrolment.pk])).content
    html = html.decode()
    credential = reverse("certificates:credential", args=[signed_off.serial])
    assert f'<a href="{escape(credential)}" download>Download digital credential</a>' in html
    assert reverse("certificates:download", args=[signed_off.serial]) in html


def test_the_sign_off_page_offers_it_too(client_for, learner, signed_off):
    url = reverse("progress:sign_off_request", args=[signed_off.enrolment.pk])
    html = client_for(learner).get(url).content.decode()
    assert reverse("certificates:credential", args=[signed_off.serial]) in html
    assert "Download digital credential" in html
