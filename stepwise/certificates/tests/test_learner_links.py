"""The learner finds their digital credential beside their certificate's PDF."""

from django.urls import reverse
from markupsafe import escape  # what Jinja2 uses, so apostrophes match


def test_the_overview_offers_the_pdf_and_the_digital_credential(client_for, learner, signed_off):
    enrolment = signed_off.enrolment
    html = client_for(learner).get(reverse("progress:enrolment", args=[enrolment.pk])).content
    html = html.decode()
    credential = reverse("certificates:credential", args=[signed_off.serial])
    assert f'href="{escape(credential)}" download>Download digital credential</a>' in html
    assert reverse("certificates:download", args=[signed_off.serial]) in html


def test_the_sign_off_page_offers_it_too(client_for, learner, signed_off):
    url = reverse("progress:sign_off_request", args=[signed_off.enrolment.pk])
    html = client_for(learner).get(url).content.decode()
    assert reverse("certificates:credential", args=[signed_off.serial]) in html
    assert "Download digital credential" in html


def test_no_download_is_offered_until_the_pdf_is_stored(client_for, learner, pdf_pending):
    enrolment = pdf_pending.enrolment
    download = reverse("certificates:download", args=[pdf_pending.serial])
    for page in ("progress:enrolment", "progress:sign_off_request"):
        html = client_for(learner).get(reverse(page, args=[enrolment.pk])).content.decode()
        # A link now would save the "being made" page as a .pdf.
        assert "Download your certificate (PDF)" not in html
        assert "Your certificate is being made" in html
        assert f'data-certificate-pending="{download}"' in html
        assert ">Check again</a>" in html
        assert "certificates/pending.js" in html


def test_the_being_made_page_checks_again_without_a_timed_refresh(client_for, learner, pdf_pending):
    url = reverse("certificates:download", args=[pdf_pending.serial])
    html = client_for(learner).get(url).content.decode()
    assert "Your certificate is being made" in html
    assert f'data-certificate-pending="{url}"' in html
    assert f'href="{url}">Check again</a>' in html
    # A delayed <meta> refresh reloads the page under the reader (WCAG 2.2.1, failure F41).
    assert 'http-equiv="refresh"' not in html
