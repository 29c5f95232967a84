"""The pages: a person reaches only packages for their roles at their Trust; authors write;
educators and Trust administrators see who has trained; the review page says why a decision
would be refused."""

import io

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from stepwise.certificates.models import Certificate
from stepwise.frameworks.models import TrustFramework
from stepwise.progress.tests.conftest import build_version
from stepwise.training.models import Audience, Completion, PackageVersion, PageOpening
from stepwise.training.tests.conftest import make_package, read_all


def test_a_learner_reads_completes_and_gets_the_certificate(client_for, learner, version):
    client = client_for(learner)
    listing = client.get(reverse("training:mine")).content.decode()
    assert "Using Stepwise" in listing and "Not started" in listing
    html = client.get(reverse("training:package", args=["using-stepwise"])).content.decode()
    assert "Estimated reading time" in html and "at 200 words a minute" in html
    first, second = version.pages.order_by("position")
    page = client.get(reverse("training:page", args=["using-stepwise", first.pk]))
    assert "Estimated reading time: 30 seconds" in page.content.decode()
    assert PageOpening.objects.filter(person=learner, page=first).exists()

    url = reverse("training:complete", args=["using-stepwise"])
    refused = client.post(url, {"agree": "on"}).content.decode()
    assert "There is a problem" in refused
    assert "You have not opened this page yet: \u201cYour role\u201d" in refused
    client.get(reverse("training:page", args=["using-stepwise", second.pk]))
    unticked = client.post(url, {}).content.decode()
    assert "Agree to the declaration to complete the training" in unticked
    assert not Completion.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(url, {"agree": "on"})
    assert done.status_code == 302
    html = client.get(done.url).content.decode()
    certificate = Certificate.objects.get(holder=learner)
    assert "You have completed Using Stepwise" in html
    assert reverse("certificates:download", args=[certificate.serial]) in html
    assert certificate.verify_url in html


def test_another_roles_package_is_not_found(client_for, learner, framework_author):
    package = make_package(framework_author, slug="for-assessors", audience=Audience.ASSESSOR)
    page = package.versions.get().pages.first()
    client = client_for(learner)
    assert client.get(reverse("training:package", args=["for-assessors"])).status_code == 404
    assert client.get(reverse("training:page", args=["for-assessors", page.pk])).status_code == 404


def test_a_framework_package_shows_only_where_the_trust_offers_it(
    client_for, learner, trust, framework_author
):
    framework = build_version().framework
    make_package(
        framework_author, slug="step-1-learners", audience=Audience.LEARNER, framework=framework
    )
    client = client_for(learner)
    url = reverse("training:package", args=["step-1-learners"])
    assert client.get(url).status_code == 404
    TrustFramework.objects.create(trust=trust, framework=framework)
    assert client.get(url).status_code == 200


def test_a_draft_is_nobodys_reading(client_for, learner, framework_author):
    from stepwise.training.services import authoring

    package = authoring.package_create(
        slug="drafty", title="Drafty", audience=Audience.EVERYONE, by=framework_author
    )
    authoring.page_save(
        version=package.versions.get(), by=framework_author, title="P", body="Words"
    )
    assert client_for(learner).get(reverse("training:package", args=["drafty"])).status_code == 404


def test_start_here_shows_until_the_learners_package_is_complete(
    client_for, learner, framework_author
):
    package = make_package(
        framework_author, slug="learners", title="Training for learners", audience=Audience.LEARNER
    )
    client = client_for(learner)
    assert "Start here: Training for learners" in client.get("/").content.decode()
    version = package.versions.get()
    read_all(learner, version)
    client.post(reverse("training:complete", args=["learners"]), {"agree": "on"})
    assert "Start here" not in client.get("/").content.decode()


def test_authors_write_and_publish_through_the_pages(client_for, framework_author, learner):
    assert client_for(learner).get(reverse("training:authoring")).status_code == 403
    client = client_for(framework_author)
    response = client.post(
        reverse("training:package_create"),
        {"title": "Using Stepwise", "slug": "using", "audience": "everyone", "framework": ""},
    )
    version = PackageVersion.objects.get(package__slug="using")
    assert response.url == reverse("training:version", args=["using", version.pk])
    client.post(
        reverse("training:page_add", args=["using", version.pk]),
        {"title": "Welcome", "body": "# Hello\n\n<script>alert(1)</script>", "required": "on"},
    )
    page = version.pages.get()
    edit = client.get(reverse("training:page_edit", args=["using", version.pk, page.pk]))
    assert "&lt;script&gt;" in edit.content.decode()
    client.post(reverse("training:submit", args=["using", version.pk]))
    client.post(reverse("training:publish", args=["using", version.pk]))
    version.refresh_from_db()
    assert version.is_published
    refused = client.post(
        reverse("training:page_add", args=["using", version.pk]), {"title": "Late", "body": "x"}
    )
    assert refused.status_code == 302
    assert version.pages.count() == 1


def test_records_count_and_name_who_has_trained_and_download(
    client_for, educator, learner, assessor, trust, framework_author, other_learner
):
    package = make_package(framework_author, slug="learners", audience=Audience.LEARNER)
    version = package.versions.get()
    read_all(learner, version)
    client_for(learner).post(reverse("training:complete", args=["learners"]), {"agree": "on"})
    client = client_for(educator)
    html = client.get(reverse("training:records")).content.decode()
    assert "Training records" in html
    completed = reverse("training:records") + "?role=learner&amp;show=completed"
    assert f'<a href="{completed}">1<span class="nhsuk-u-visually-hidden"> learner' in html
    named = client.get(reverse("training:records") + "?role=learner&show=completed")
    assert learner.full_name in named.content.decode()
    assert other_learner.full_name not in named.content.decode()
    untrained = client.get(reverse("training:records") + "?role=assessor&show=not_completed")
    assert assessor.full_name in untrained.content.decode()
    assert client.get(reverse("training:records") + "?role=x&show=y").status_code == 404
    download = client.get(reverse("training:records_download", args=["xlsx"]))
    book = load_workbook(io.BytesIO(download.content))
    counts = [[cell.value for cell in row] for row in book["Training by role"].iter_rows()]
    assert counts[0] == ["Role", "People", "Completed", "Not completed"]
    assert counts[1] == ["Learner", 1, 1, 0]
    names = [row[0].value for row in book["Learners completed"].iter_rows()]
    assert names == ["Name", learner.full_name]
    assert client_for(learner).get(reverse("training:records")).status_code == 403


def test_the_records_cost_the_same_for_many_people(
    client_for, educator, trust, framework_author, django_assert_max_num_queries
):
    from stepwise.organisations.tests.factories import MembershipFactory

    for _ in range(15):
        MembershipFactory(trust=trust, unit=trust.units[0], is_learner=True)
    client = client_for(educator)
    url = reverse("training:records") + "?role=learner&show=not_completed"
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)


def test_the_trust_admin_sets_the_rule(client_for, trust_admin, educator, trust):
    assert client_for(educator).get(reverse("training:rule")).status_code == 403
    client = client_for(trust_admin)
    client.post(reverse("training:rule"), {"assessors_must_train": "on"})
    assert trust.training_rule.assessors_must_train
    assert not trust.training_rule.educators_must_train


def test_your_training_costs_the_same_for_many_packages(
    client_for, learner, framework_author, django_assert_max_num_queries
):
    for number in range(8):
        package = make_package(framework_author, slug=f"package-{number}")
        read_all(learner, package.versions.get())
    client = client_for(learner)
    client.get(reverse("training:mine"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("training:mine")).content.decode()
    assert html.count("Not started") == 8


def test_a_package_costs_the_same_for_many_pages(
    client_for, learner, framework_author, django_assert_max_num_queries
):
    pages = [(f"Page {n}", "Words to read. " * 50) for n in range(20)]
    package = make_package(framework_author, slug="long", pages=pages)
    read_all(learner, package.versions.get())
    client = client_for(learner)
    url = reverse("training:package", args=["long"])
    client.get(url)
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    assert html.count(">Opened<") == 20
